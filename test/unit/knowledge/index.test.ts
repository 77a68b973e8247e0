import { afterEach, describe, expect, it } from "vitest";
import { openSqlExec } from "../../../evals/retrieval/sqlite-exec.ts";
import { createMemoryIndex } from "../../../workers/knowledge/index/memory.ts";
import { createSqliteIndex, toFtsQuery } from "../../../workers/knowledge/index/sqlite.ts";
import { createVectorizeIndex } from "../../../workers/knowledge/index/vectorize.ts";
import { fakeVectorize } from "../../fixtures/fake-vectorize.ts";
import type { VectorRecord } from "../../../workers/knowledge/types.ts";

const rec = (
  id: string,
  values: number[],
  opts: { ws?: string; ns?: string; doc?: string; text?: string } = {},
): VectorRecord & { text?: string } => ({
  id,
  values: Float32Array.from(values),
  namespace: opts.ns ?? "workspace",
  metadata: { workspaceId: opts.ws ?? "ws1", documentId: opts.doc ?? "d1", chunkId: id, category: opts.ns ?? null },
  ...(opts.text === undefined ? {} : { text: opts.text }),
});

describe("memory index", () => {
  it("ranks by cosine within one workspace and namespace", async () => {
    const index = createMemoryIndex();
    await index.upsert([
      rec("a", [1, 0]),
      rec("b", [0.7, 0.7]),
      rec("c", [1, 0], { ws: "ws2" }),
      rec("d", [0.9, 0.1], { ns: "shipping_inquiry" }),
    ]);
    expect((await index.query(Float32Array.from([1, 0]), { workspaceId: "ws1", topK: 3 })).map((m) => m.id)).toEqual([
      "a",
      "d",
      "b",
    ]);
    expect(
      (
        await index.query(Float32Array.from([1, 0]), { workspaceId: "ws1", namespace: "shipping_inquiry", topK: 3 })
      ).map((m) => m.id),
    ).toEqual(["d"]);
    await index.deleteByIds(["a"]);
    expect(index.size).toBe(3);
  });
});

describe("sqlite index", () => {
  const opened: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });
  const open = () => {
    const sql = openSqlExec();
    opened.push(sql);
    return { sql, index: createSqliteIndex(sql) };
  };

  it("stores vectors as blobs and queries with workspace and namespace filters", async () => {
    const { index } = open();
    await index.upsert([
      rec("a", [1, 0, 0]),
      rec("b", [0, 1, 0]),
      rec("c", [1, 0, 0], { ws: "other" }),
      rec("d", [0.8, 0.2, 0], { ns: "damaged_item" }),
    ]);
    const all = await index.query(Float32Array.from([1, 0, 0]), { workspaceId: "ws1", topK: 10 });
    expect(all.map((m) => m.id)).toEqual(["a", "d", "b"]);
    expect(all[0]?.score).toBeCloseTo(1, 5);
    expect(all[1]?.metadata).toEqual({ workspaceId: "ws1", documentId: "d1", chunkId: "d", category: "damaged_item" });
    const scoped = await index.query(Float32Array.from([1, 0, 0]), {
      workspaceId: "ws1",
      namespace: "damaged_item",
      topK: 10,
    });
    expect(scoped.map((m) => m.id)).toEqual(["d"]);
  });

  it("reads the vectors once for repeated queries and sees every write after it", async () => {
    const { sql, index } = open();
    let vectorReads = 0;
    const counting = {
      exec(statement: string, ...params: unknown[]) {
        if (statement.startsWith("SELECT * FROM kb_vectors")) vectorReads++;
        return sql.exec(statement, ...params);
      },
    };
    const counted = createSqliteIndex(counting);
    await counted.upsert([rec("a", [1, 0]), rec("b", [0, 1]), rec("c", [1, 0], { ws: "other" })]);
    const q = Float32Array.from([1, 0]);
    const ids = async (ws = "ws1") => (await counted.query(q, { workspaceId: ws, topK: 5 })).map((m) => m.id);
    expect(await ids()).toEqual(["a", "b"]);
    expect(await ids()).toEqual(["a", "b"]);
    expect(vectorReads).toBe(1);
    // Another workspace is its own entry, never mixed with the first.
    expect(await ids("other")).toEqual(["c"]);
    expect(vectorReads).toBe(2);
    await counted.upsert([rec("d", [0.9, 0.1])]);
    expect(await ids()).toEqual(["a", "d", "b"]);
    await counted.deleteByIds(["a"]);
    expect(await ids()).toEqual(["d", "b"]);
    await counted.deleteByDocument("ws1", "d1");
    expect(await ids()).toEqual([]);
    expect(vectorReads).toBe(5);
    // A second index over the same storage sees the rows the first wrote.
    expect((await index.query(q, { workspaceId: "other", topK: 5 })).map((m) => m.id)).toEqual(["c"]);
  });

  it("upsert replaces a record and its keyword row", async () => {
    const { index } = open();
    await index.upsert([rec("a", [1, 0], { text: "olive oil bottle" })]);
    await index.upsert([rec("a", [0, 1], { text: "ceramic mug" })]);
    expect(await index.keywordSearch("ws1", "olive", 5)).toEqual([]);
    expect((await index.keywordSearch("ws1", "mugs", 5)).map((m) => m.id)).toEqual(["a"]);
    expect((await index.query(Float32Array.from([0, 1]), { workspaceId: "ws1", topK: 1 }))[0]?.score).toBeCloseTo(1, 5);
  });

  it("keyword search ranks by BM25, stays in the workspace and survives hostile input", async () => {
    const { index } = open();
    await index.upsert([
      rec("ship", [1, 0], { text: "Deliveries to Canada take 12 to 20 business days" }),
      rec("pay", [0, 1], { text: "Declined card payments are retried on day 3 and day 7" }),
      rec("foreign", [1, 0], { ws: "ws2", text: "Deliveries to Canada are fast" }),
    ]);
    expect((await index.keywordSearch("ws1", "delivery canada?", 5)).map((m) => m.id)).toEqual(["ship"]);
    for (const hostile of ['"unbalanced', "NEAR(a b) OR", "card:* AND (", "-pay ^day", "*", ""]) {
      await expect(index.keywordSearch("ws1", hostile, 5)).resolves.toBeInstanceOf(Array);
    }
    expect(toFtsQuery('card") OR text:*')).toBe('"card"* OR "text"*');
    expect(toFtsQuery("?!")).toBeNull();
  });

  it("deleting a document removes its vectors and its FTS rows", async () => {
    const { sql, index } = open();
    await index.upsert([
      rec("a1", [1, 0], { doc: "A", text: "pause the subscription" }),
      rec("a2", [0, 1], { doc: "A", text: "skip a month" }),
      rec("b1", [1, 0], { doc: "B", text: "pause deliveries" }),
    ]);
    expect(await index.deleteByDocument("ws1", "A")).toBe(2);
    expect((await index.query(Float32Array.from([1, 0]), { workspaceId: "ws1", topK: 5 })).map((m) => m.id)).toEqual([
      "b1",
    ]);
    expect((await index.keywordSearch("ws1", "pause skip", 5)).map((m) => m.id)).toEqual(["b1"]);
    expect(sql.exec("SELECT count(*) AS n FROM kb_fts").toArray()[0]?.n).toBe(1);
    await index.deleteByIds(["b1"]);
    expect(sql.exec("SELECT count(*) AS n FROM kb_vectors").toArray()[0]?.n).toBe(0);
    expect(sql.exec("SELECT count(*) AS n FROM kb_fts").toArray()[0]?.n).toBe(0);
  });
});

describe("vectorize adapter", () => {
  it("upserts with namespace and metadata and queries with the workspace filter", async () => {
    const fake = fakeVectorize();
    const index = createVectorizeIndex(fake.binding);
    await index.upsert([rec("a", [1, 0], { ns: "shipping_inquiry" }), rec("b", [0, 1])]);
    expect(fake.stored.get("a")).toMatchObject({
      namespace: "shipping_inquiry",
      metadata: { workspaceId: "ws1", category: "shipping_inquiry" },
    });
    expect(fake.stored.get("b")?.metadata).not.toHaveProperty("category");
    const matches = await index.query(Float32Array.from([1, 0]), { workspaceId: "ws1", topK: 50 });
    expect(fake.queries[0]).toEqual({ topK: 20, filter: { workspaceId: "ws1" }, returnMetadata: "all" });
    expect(matches.map((m) => [m.id, m.metadata.category])).toEqual([
      ["a", "shipping_inquiry"],
      ["b", null],
    ]);
    expect(await index.query(Float32Array.from([1, 0]), { workspaceId: "ws2", topK: 5 })).toEqual([]);
    await index.deleteByIds(["a"]);
    expect(fake.stored.has("a")).toBe(false);
  });
});
