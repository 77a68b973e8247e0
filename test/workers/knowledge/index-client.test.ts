import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { knowledgeIndex } from "../../../workers/knowledge/index-client.ts";
import type { AiRunner } from "../../../workers/knowledge/embed/workers-ai.ts";
import { fakeVectorize } from "../../fixtures/fake-vectorize.ts";

/** Workers AI bge-m3 wire shape: `{ shape: [n, 1024], data }`, one hot dimension per first letter. */
const fakeAi: AiRunner = {
  async run(_model, input) {
    const texts =
      typeof input === "object" && input !== null && "text" in input && Array.isArray(input.text)
        ? input.text.map(String)
        : [];
    const data = texts.map((t) =>
      Array.from({ length: 1024 }, (_, i) => (i === t.toLowerCase().charCodeAt(0) % 1024 ? 1 : 0)),
    );
    return { shape: [texts.length, 1024], data };
  },
};

describe("knowledge index client", () => {
  it("uses Vectorize + Workers AI when both are bound, keeping BM25 in the workspace object", async () => {
    const vectorize = fakeVectorize();
    const index = knowledgeIndex({ VECTOR_INDEX: env.VECTOR_INDEX, VECTORIZE: vectorize.binding, AI: fakeAi }, "ws_vz");
    expect(index.backend).toBe("vectorize");
    expect(index.embedder.id).toBe("workers-ai:@cf/baai/bge-m3");
    const [values] = await index.embedder.embed(["apricot"]);
    if (values === undefined) throw new Error("no vector");
    const meta = (chunkId: string) => ({ workspaceId: "ws_vz", documentId: "doc1", chunkId, category: null });
    await index.upsert([
      { id: "c1", values, namespace: "workspace", metadata: meta("c1"), text: "Apricot jam ships in glass jars" },
      { id: "c2", values, namespace: "workspace", metadata: meta("c2"), text: "Olive oil from the Galilee" },
    ]);
    expect([...vectorize.stored.keys()].sort()).toEqual(["c1", "c2"]);
    expect(await index.count("doc1")).toBe(2);

    const hits = await index.vectors.query(values, { workspaceId: "ws_vz", topK: 5 });
    expect(hits.map((h) => h.id).sort()).toEqual(["c1", "c2"]);
    expect(await index.vectors.query(values, { workspaceId: "ws_other", topK: 5 })).toEqual([]);
    // The keyword side never sees the empty placeholder vectors as vector matches.
    expect((await index.keyword("ws_vz", "olive oil", 5)).map((m) => m.id)).toEqual(["c2"]);

    await index.deleteDocument("doc1", ["c1", "c2"]);
    expect(vectorize.stored.size).toBe(0);
    expect(await index.count("doc1")).toBe(0);
  });

  it("uses the local embedder and the workspace object otherwise", async () => {
    const index = knowledgeIndex({ VECTOR_INDEX: env.VECTOR_INDEX }, "ws_local_only");
    expect(index.backend).toBe("local");
    expect(index.embedder.id).toBe("local-hash-v2");
    const [values] = await index.embedder.embed(["refund for a damaged jar"]);
    if (values === undefined) throw new Error("no vector");
    await index.upsert([
      {
        id: "l1",
        values,
        namespace: "damaged_item",
        metadata: { workspaceId: "ws_local_only", documentId: "d", chunkId: "l1", category: "damaged_item" },
        text: "refund for a damaged jar",
      },
    ]);
    expect(
      (await index.vectors.query(values, { workspaceId: "ws_local_only", namespace: "damaged_item", topK: 3 }))[0]?.id,
    ).toBe("l1");
    await index.deleteDocument("d", []);
    expect(await index.count()).toBe(0);
  });
});
