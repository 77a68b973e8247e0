/** Answer extraction (issue 18, answers 1): the unit that answers, chosen across languages. */
import { describe, expect, it } from "vitest";
import { extractAnswer, statesDuration } from "../../../../workers/ai/agent/extract.ts";
import type { RetrievedPassage } from "../../../../workers/knowledge/types.ts";

function passage(heading: string, text: string): RetrievedPassage {
  return {
    chunkId: heading,
    documentId: "doc",
    documentTitle: "Help",
    heading: ["Help", heading],
    text,
    score: 1,
    citation: `Help › ${heading}`,
  };
}

describe("statesDuration", () => {
  it.each([
    "Delivery takes 10–18 business days.",
    "A pause stops billing for 1, 2 or 3 months in a row.",
    "זמן משלוח — 10–18 ימי עסקים",
    "Доставка занимает от 3 до 7 рабочих дней.",
    "La entrega tarda 8–14 días hábiles.",
    "La livraison prend 8 à 14 jours ouvrés.",
  ])("finds a span of time in %s", (text) => {
    expect(statesDuration(text)).toBe(true);
  });

  it.each([
    "You receive a reminder email 5 days before the next billing date.",
    "Мы напомним за 5 дней до списания.",
    "Other countries pay $7 per box.",
    "Shipping is included in the price.",
  ])("finds none in %s", (text) => {
    expect(statesDuration(text)).toBe(false);
  });
});

describe("extractAnswer: a 'how long' question is answered by a span of time", () => {
  it("picks the delivery-time row over a sentence that shares more words with the question (Hebrew)", () => {
    const p = passage(
      "זמני משלוח ועלות",
      [
        "| אזור | חברת שילוח | זמן משלוח |",
        "|---|---|---|",
        "| ארצות הברית | Asendia | 10–18 ימי עסקים |",
        "| קנדה | Canada Post | 12–20 ימי עסקים |",
        "",
        "המשלוח כלול במחיר לארצות הברית ולקנדה; למדינות אחרות תוספת של $7 לקופסה.",
      ].join("\n"),
    );
    const found = extractAnswer("כמה זמן לוקח משלוח לארצות הברית?", [p], "he");
    expect(found?.units.map((u) => u.text).join(" ")).toContain("10–18");
  });

  it("picks how long a pause lasts, not when a reminder is sent", () => {
    const p = passage(
      "Pausing your subscription",
      [
        "A pause stops billing and deliveries for 1, 2 or 3 months in a row, for example during travel or a move.",
        "",
        "- Your subscription resumes automatically after the pause, and you receive a reminder email 5 days before the next billing date.",
      ].join("\n"),
    );
    const found = extractAnswer("How long can I pause my subscription for?", [p], "en");
    expect(found?.units[0]?.text).toMatch(/1, 2 or 3 months/);
  });

  it("leaves questions that ask no duration as they were", () => {
    const p = passage(
      "Pausing your subscription",
      "While paused, nothing is charged. You receive a reminder email 5 days before the next billing date.",
    );
    const found = extractAnswer("Am I charged while paused?", [p], "en");
    expect(found?.units[0]?.text).toMatch(/nothing is charged/);
  });
});

describe("extractAnswer: passages analysed once and reused (issue 17)", () => {
  const text = [
    "A pause stops billing and deliveries for 1, 2 or 3 months in a row.",
    "",
    "- While paused, nothing is charged and you receive a reminder email 5 days before the next billing date.",
  ].join("\n");

  it("binds the answer to the passage it was given, not to an earlier one with the same text", () => {
    const first = { ...passage("Pausing", text), chunkId: "chunk-a", citation: "Old › Pausing" };
    const second = { ...passage("Pausing", text), chunkId: "chunk-b", citation: "New › Pausing" };
    expect(extractAnswer("How long can I pause for?", [first], "en")?.passage.chunkId).toBe("chunk-a");
    const found = extractAnswer("How long can I pause for?", [second], "en");
    expect(found?.passage.chunkId).toBe("chunk-b");
    expect(found?.units.every((u) => u.passage === second)).toBe(true);
  });

  it("answers alike whatever was asked before (a reader never changes a shared analysis)", () => {
    const p = passage("Pausing and billing", text);
    const alone = extractAnswer("Am I charged while paused?", [passage("Pausing and billing", text)], "en");
    // A duration question first: its per-unit duration concept must not leak into the next question.
    extractAnswer("How long can I pause for?", [p], "en");
    const after = extractAnswer("Am I charged while paused?", [p], "en");
    expect(after?.units.map((u) => u.text)).toEqual(alone?.units.map((u) => u.text));
    expect(after?.coverage).toBe(alone?.coverage);
    expect(extractAnswer("How long can I pause for?", [p], "en")?.units[0]?.text).toMatch(/1, 2 or 3 months/);
  });
});
