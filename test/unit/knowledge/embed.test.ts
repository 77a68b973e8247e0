import { describe, expect, it } from "vitest";
import { cosineSimilarity } from "../../../workers/knowledge/index/cosine.ts";
import { createLocalEmbedder } from "../../../workers/knowledge/embed/local.ts";
import { createOpenAiEmbedder } from "../../../workers/knowledge/embed/openai.ts";
import { createWorkersAiEmbedder } from "../../../workers/knowledge/embed/workers-ai.ts";

describe("local embedder", () => {
  const embedder = createLocalEmbedder();

  it("is deterministic, fixed-size and L2-normalised", async () => {
    const [a, b] = await embedder.embed(["Where is my parcel?", "Where is my parcel?"]);
    expect(embedder.id).toBe("local-hash-v2");
    expect(a?.length).toBe(embedder.dimensions);
    expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));
    const norm = Math.sqrt((a ?? new Float32Array()).reduce((n, v) => n + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
  });

  it("puts paraphrases closer than unrelated sentences", async () => {
    const [refund, moneyBack, address, paused, hold] = await embedder.embed([
      "How do I get a refund?",
      "Can I have my money back?",
      "I am moving to a new home next month",
      "Pause my subscription",
      "Put my deliveries on hold for a while",
    ]);
    const sim = (x?: Float32Array, y?: Float32Array): number =>
      cosineSimilarity(x ?? new Float32Array(), y ?? new Float32Array());
    expect(sim(refund, moneyBack)).toBeGreaterThan(sim(refund, address) + 0.1);
    expect(sim(paused, hold)).toBeGreaterThan(sim(paused, address) + 0.1);
  });

  it("bridges key terms across languages through the lexicon", async () => {
    const [ru, en, other] = await embedder.embed(["Как отменить подписку?", "How do I cancel?", "What is in the box?"]);
    expect(cosineSimilarity(ru ?? new Float32Array(), en ?? new Float32Array())).toBeGreaterThan(
      cosineSimilarity(ru ?? new Float32Array(), other ?? new Float32Array()),
    );
  });
});

describe("Workers AI embedder", () => {
  it("parses { shape, data } and batches at most 100 texts per call", async () => {
    const calls: unknown[] = [];
    const ai = {
      async run(_model: string, input: unknown): Promise<unknown> {
        calls.push(input);
        const texts =
          typeof input === "object" && input !== null && "text" in input && Array.isArray(input.text) ? input.text : [];
        return { shape: [texts.length, 1024], data: texts.map((_t, i) => Array.from({ length: 1024 }, () => i / 10)) };
      },
    };
    const embedder = createWorkersAiEmbedder(ai);
    const vectors = await embedder.embed(Array.from({ length: 150 }, (_, i) => `text ${i}`));
    expect(calls).toHaveLength(2);
    expect(vectors).toHaveLength(150);
    expect(vectors[101]?.[0]).toBeCloseTo(0.1);
    expect(embedder.dimensions).toBe(1024);
  });

  it("rejects a malformed response", async () => {
    const embedder = createWorkersAiEmbedder({ run: async () => ({ result: "nope" }) });
    await expect(embedder.embed(["x"])).rejects.toThrow(/unexpected Workers AI response/);
  });
});

describe("OpenAI-compatible embedder", () => {
  it("posts to /embeddings and orders results by index", async () => {
    const requests: Array<{ url: string; body: unknown }> = [];
    const fetchFn = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      requests.push({ url: String(url), body: JSON.parse(String(init?.body)) });
      return Response.json({
        data: [
          { embedding: [0, 1], index: 1 },
          { embedding: [1, 0], index: 0 },
        ],
      });
    };
    const embedder = createOpenAiEmbedder({
      baseUrl: "http://llm.local/v1/",
      apiKey: "k",
      model: "m",
      dimensions: 2,
      fetchFn,
    });
    const vectors = await embedder.embed(["a", "b"]);
    expect(requests[0]?.url).toBe("http://llm.local/v1/embeddings");
    expect(requests[0]?.body).toMatchObject({ model: "m", input: ["a", "b"] });
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it("fails on HTTP errors", async () => {
    const embedder = createOpenAiEmbedder({
      baseUrl: "http://x/v1",
      model: "m",
      dimensions: 2,
      fetchFn: async () => new Response("no", { status: 429 }),
    });
    await expect(embedder.embed(["a"])).rejects.toThrow(/HTTP 429/);
  });
});
