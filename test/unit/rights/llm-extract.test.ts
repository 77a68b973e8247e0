import { describe, expect, it } from "vitest";
import { MAX_LLM_FACTS, parseExtraction, sameSlot } from "../../../workers/rights/memory/llm-extract.ts";

const MSGS = [
  { id: "m1", text: "Hola, soy alérgica a los cacahuetes, nada de frutos secos por favor." },
  { id: "m2", text: "This month only, please deliver after the 20th." },
];
const NOW = Date.UTC(2026, 11, 1);
const answer = (memories: unknown[]) => JSON.stringify({ memories });

describe("parseExtraction (LLM memory answers)", () => {
  it("keeps grounded facts with their source message and expiry", () => {
    const out = parseExtraction(
      answer([
        { category: "allergy", fact: "alérgica a los cacahuetes", message: 1, confidence: 0.9 },
        { category: "delivery", fact: "deliver after the 20th", message: 2, confidence: 0.8, expiresInDays: 30 },
      ]),
      MSGS,
      [],
      NOW,
    );
    expect(out).toEqual([
      { category: "allergy", fact: "alérgica a los cacahuetes", confidence: 0.9, messageId: "m1", expiresAt: null },
      {
        category: "delivery",
        fact: "deliver after the 20th",
        confidence: 0.8,
        messageId: "m2",
        expiresAt: NOW + 30 * 86_400_000,
      },
    ]);
  });

  it("drops the whole answer when it is not the agreed JSON", () => {
    expect(parseExtraction("no facts today", MSGS, [], NOW)).toBeNull();
    expect(
      parseExtraction(answer([{ category: "password", fact: "x", message: 1, confidence: 1 }]), MSGS, [], NOW),
    ).toBeNull();
    expect(parseExtraction('{"memories": "all of them"}', MSGS, [], NOW)).toBeNull();
  });

  it("drops ungrounded, unsure, unknown-message and known facts", () => {
    const out = parseExtraction(
      answer([
        { category: "allergy", fact: "allergic to shellfish", message: 1, confidence: 0.9 },
        { category: "delivery", fact: "deliver after the 20th", message: 2, confidence: 0.3 },
        { category: "delivery", fact: "deliver after the 20th", message: 9, confidence: 0.9 },
        { category: "delivery", fact: "Please deliver after the 20th!", message: 2, confidence: 0.9 },
      ]),
      MSGS,
      [{ category: "delivery", fact: "please deliver after the 20th" }],
      NOW,
    );
    expect(out).toEqual([]);
  });

  it("keeps at most MAX_LLM_FACTS per conversation", () => {
    const text = "alpha bravo charlie delta echo foxtrot golf hotel";
    const facts = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"];
    const out = parseExtraction(
      answer(facts.map((fact) => ({ category: "contact", fact, message: 1, confidence: 0.9 }))),
      [{ id: "m", text }],
      [],
      NOW,
    );
    expect(out?.length).toBe(MAX_LLM_FACTS);
  });

  it("sameSlot: same normalised text anywhere, or mostly the same words in one category", () => {
    expect(
      sameSlot({ category: "a", fact: "Deliver on weekends." }, { category: "b", fact: "deliver on weekends" }),
    ).toBe(true);
    expect(
      sameSlot(
        { category: "delivery", fact: "deliver boxes on weekends only" },
        { category: "delivery", fact: "deliver boxes on weekends" },
      ),
    ).toBe(true);
    expect(
      sameSlot({ category: "allergy", fact: "allergic to nuts" }, { category: "allergy", fact: "allergic to milk" }),
    ).toBe(false);
  });
});
