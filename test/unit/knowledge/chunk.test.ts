import { describe, expect, it } from "vitest";
import { chunkDocument, chunkEmbeddingText, estimateTokens } from "../../../workers/knowledge/chunk.ts";
import type { ParsedDocument } from "../../../workers/knowledge/types.ts";

const sentence = (i: number): string => `Sentence number ${i} talks about parcels and boxes.`;

describe("chunkDocument", () => {
  it("never mixes sections and keeps the heading path on every chunk", () => {
    const doc: ParsedDocument = {
      kind: "md",
      title: "FAQ",
      sections: [
        { heading: ["FAQ", "Shipping"], text: "Boxes ship on the 10th." },
        { heading: ["FAQ", "Billing"], text: "Billing happens on the 5th." },
      ],
    };
    const chunks = chunkDocument(doc);
    expect(chunks.map((c) => [c.ordinal, c.heading.at(-1), c.text])).toEqual([
      [0, "Shipping", "Boxes ship on the 10th."],
      [1, "Billing", "Billing happens on the 5th."],
    ]);
  });

  it("splits long sections within budget with overlapping sentences", () => {
    const text = Array.from({ length: 60 }, (_, i) => sentence(i)).join(" ");
    const chunks = chunkDocument(
      { kind: "txt", title: "T", sections: [{ heading: ["Long"], text }] },
      { targetTokens: 60, overlapTokens: 15 },
    );
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.tokenCount).toBeLessThanOrEqual(60);
      expect(c.heading).toEqual(["Long"]);
    }
    for (let i = 1; i < chunks.length; i++) {
      const previousLast = chunks[i - 1]?.text.split(/(?<=\.)\s/).at(-1) ?? "";
      expect(chunks[i]?.text.startsWith(previousLast)).toBe(true);
    }
    // Every sentence survives somewhere.
    const joined = chunks.map((c) => c.text).join(" ");
    for (let i = 0; i < 60; i++) expect(joined).toContain(sentence(i));
  });

  it("keeps page numbers, continuing a section across a page break", () => {
    const doc: ParsedDocument = {
      kind: "pdf",
      title: "Handbook",
      sections: [
        { heading: ["Chapter 1"], text: "Alpha text.", page: 1 },
        { heading: ["Chapter 1"], text: "Beta text.", page: 2 },
        { heading: ["Chapter 2"], text: "Gamma text.", page: 2 },
      ],
    };
    const chunks = chunkDocument(doc);
    expect(chunks.map((c) => [c.heading[0], c.page, c.text])).toEqual([
      ["Chapter 1", 1, "Alpha text.\n\nBeta text."],
      ["Chapter 2", 2, "Gamma text."],
    ]);
  });

  it("cuts a single over-long sentence by words", () => {
    const text = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const chunks = chunkDocument(
      { kind: "txt", title: "T", sections: [{ heading: [], text }] },
      { targetTokens: 40, overlapTokens: 0 },
    );
    expect(chunks.every((c) => c.tokenCount <= 40)).toBe(true);
    expect(chunks.map((c) => c.text).join(" ")).toBe(text);
  });

  it("prefixes title and heading path into the embedded text without repeating the title", () => {
    const chunk = { ordinal: 0, text: "Body.", heading: ["FAQ", "Refunds"], tokenCount: 2 };
    expect(chunkEmbeddingText(chunk, "FAQ")).toBe("FAQ › Refunds\n\nBody.");
    expect(chunkEmbeddingText({ ...chunk, heading: ["Refunds"] }, "FAQ")).toBe("FAQ › Refunds\n\nBody.");
  });

  it("estimates tokens as 1.3 per word", () => {
    expect(estimateTokens("one two three four five six seven eight nine ten")).toBe(13);
    expect(estimateTokens("")).toBe(0);
  });
});
