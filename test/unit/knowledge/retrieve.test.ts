import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqlExec } from "../../../evals/retrieval/sqlite-exec.ts";
import { runRetrievalBench } from "../../../evals/retrieval/run.ts";
import { createLocalEmbedder } from "../../../workers/knowledge/embed/local.ts";
import { createMemoryIndex } from "../../../workers/knowledge/index/memory.ts";
import { createSqliteIndex, type SqliteVectorIndex } from "../../../workers/knowledge/index/sqlite.ts";
import { parseDocument } from "../../../workers/knowledge/parse/index.ts";
import { formatCitation, fuseRankings, hybridRetrieve, type ChunkLookup } from "../../../workers/knowledge/retrieve.ts";
import { faq, fixture, indexDocuments } from "./helpers.ts";

const embedder = createLocalEmbedder();

describe("retrieval over the real fixtures", () => {
  const sql = openSqlExec();
  let index: SqliteVectorIndex;
  let lookup: ChunkLookup;

  beforeAll(async () => {
    index = createSqliteIndex(sql);
    lookup = await indexDocuments(
      [
        {
          id: "docx-shipping",
          doc: await parseDocument("docx", fixture("shipping-and-delivery.docx")),
          category: "shipping_inquiry",
        },
        {
          id: "pdf-payments",
          doc: await parseDocument("pdf", fixture("payments-and-failed-charges.pdf")),
          category: "payment_issue",
        },
        {
          id: "html-damage",
          doc: await parseDocument("html", fixture("damaged-or-missing-items.html")),
          category: "damaged_item",
        },
        { id: "pdf-handbook", doc: await parseDocument("pdf", fixture("handbook-200-pages.pdf")) },
        { id: "md-pause", doc: await parseDocument("md", faq("pause-skip-cancel.md")), category: "pause_subscription" },
      ],
      embedder,
      index,
    );
  });
  afterAll(() => sql.close());

  const ask = (query: string, category?: string) =>
    hybridRetrieve({
      embedder,
      index,
      keyword: index.keywordSearch,
      lookup,
      workspaceId: "ws_test",
      query,
      category: category ?? null,
    });

  it("finds the DOCX table row for a delivery-time question", async () => {
    const results = await ask("How long does a parcel take to reach Canada?");
    const hit = results.slice(0, 3).find((p) => p.text.includes("12–20 business days"));
    expect(hit?.documentId).toBe("docx-shipping");
    expect(hit?.citation).toBe("Shipping and Delivery › Delivery times by region");
  });

  it("finds the PDF passage and cites its page", async () => {
    const [top] = await ask("my card got declined, will you try again?");
    expect(top?.documentId).toBe("pdf-payments");
    expect(top?.text).toContain("retry the charge automatically");
    expect(top?.citation).toBe("Payments and Failed Charges › When a payment fails (p. 1)");
  });

  it("finds the HTML passage about broken jars", async () => {
    const results = await ask("a bottle broke and soaked the other products");
    expect(results[0]?.documentId).toBe("html-damage");
    expect(results[0]?.heading.at(-1)).toBe("Items damaged by leaks");
  });

  it("finds a needle on page 150 of the 200-page PDF by keyword", async () => {
    const [top] = await ask("archive code ZEBRA-4471");
    expect(top?.documentId).toBe("pdf-handbook");
    expect(top?.citation).toBe("Lev Haolam Operations Handbook › Chapter 150 (p. 150)");
  });

  it("boosts the conversation's category namespace", async () => {
    const neutral = await ask("what happens to my box");
    const boosted = await ask("what happens to my box", "pause_subscription");
    const rankOf = (list: typeof neutral) => list.findIndex((p) => p.documentId === "md-pause");
    expect(rankOf(boosted)).toBeGreaterThanOrEqual(0);
    // The boost must do something: the category's passage scores higher than without it
    // (absent from the neutral list counts as no score at all).
    const scoreOf = (list: typeof neutral) => list.find((p) => p.documentId === "md-pause")?.score ?? -Infinity;
    expect(scoreOf(boosted)).toBeGreaterThan(scoreOf(neutral));
    expect(boosted[0]?.score).toBeGreaterThan(0);
  });

  it("never returns another workspace's passages", async () => {
    expect(
      await hybridRetrieve({
        embedder,
        index,
        keyword: index.keywordSearch,
        lookup,
        workspaceId: "ws_other",
        query: "refund",
      }),
    ).toEqual([]);
  });
});

describe("fusion and citations", () => {
  it("fuses rankings so an id found by both rankers wins", () => {
    const m = (id: string) => ({
      id,
      score: 1,
      metadata: { workspaceId: "w", documentId: "d", chunkId: id, category: null },
    });
    const fused = fuseRankings([
      { weight: 1, matches: [m("a"), m("b"), m("c")] },
      { weight: 1, matches: [m("b")] },
    ]);
    expect(fused.map((f) => f.id)).toEqual(["b", "a", "c"]);
  });

  it("formats citations without repeating the title", () => {
    expect(formatCitation({ documentTitle: "FAQ", heading: ["FAQ", "Refunds"], page: 3 })).toBe("FAQ › Refunds (p. 3)");
    expect(formatCitation({ documentTitle: "Notes", heading: [] })).toBe("Notes");
  });

  it("works vector-only with the in-memory index and skips chunks missing from the lookup", async () => {
    const index = createMemoryIndex();
    const doc = await parseDocument("md", faq("changing-your-address.md"));
    const full = await indexDocuments([{ id: "addr", doc }], embedder, index);
    const lookup: ChunkLookup = async (ids) => {
      const found = await full(ids);
      found.delete("addr#0");
      return found;
    };
    const results = await hybridRetrieve({
      embedder,
      index,
      lookup,
      workspaceId: "ws_test",
      query: "I am moving house, where do I update it?",
      topK: 3,
    });
    expect(results).toHaveLength(3);
    expect(results.some((r) => r.chunkId === "addr#0")).toBe(false);
    expect(results.map((r) => r.heading.at(-1))).toContain("How to update your delivery address");
  });
});

describe("retrieval benchmark", () => {
  it("reaches recall@5 ≥ 0.85 on paraphrased questions with the local embedder", async () => {
    const result = await runRetrievalBench();
    expect(result.pairs).toBeGreaterThanOrEqual(50);
    expect(result.vectorOnly.recallAt5).toBeGreaterThanOrEqual(0.85);
    expect(result.hybrid.recallAt5).toBeGreaterThanOrEqual(0.85);
    expect(result.mrr).toBeGreaterThan(0.5);
  });
});
