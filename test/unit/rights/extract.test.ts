import { describe, expect, it } from "vitest";
import { extractMemories, factKey } from "../../../workers/rights/memory/extract.ts";

const cats = (t: string) => extractMemories(t).map((m) => m.category);

describe("extractMemories (embedded, five languages)", () => {
  it.each([
    ["en", "Please schedule my deliveries after the 15th, I'm away before that."],
    ["ru", "Пожалуйста, доставку только после 15 числа."],
    ["es", "Prefiero la entrega después del 15 de cada mes."],
    ["fr", "Je préfère la livraison après le 15 du mois."],
    ["he", "אני מעדיף משלוח אחרי ה-15 בחודש"],
  ])("finds a delivery preference (%s)", (_lang, text) => {
    expect(cats(text)).toContain("delivery");
  });

  it.each([
    ["en", "I'm allergic to nuts, so no food items with them."],
    ["ru", "У меня аллергия на орехи."],
    ["es", "Soy alérgica a los frutos secos."],
    ["fr", "Je suis allergique aux noix."],
    ["he", "אני אלרגי לאגוזים"],
  ])("finds an allergy (%s)", (_lang, text) => {
    const found = extractMemories(text).find((m) => m.category === "allergy");
    expect(found?.fact.length).toBeGreaterThan(5);
    expect(found?.confidence).toBeGreaterThan(0.5);
  });

  it("keeps the customer's own words and finds nothing in ordinary questions", () => {
    expect(extractMemories("Please contact me by email about this.")[0]?.fact).toBe("Please contact me by email");
    expect(extractMemories("Where is my box? It was due on Monday.")).toEqual([]);
    expect(extractMemories("Can I skip next month?")).toEqual([]);
  });

  it("dedup keys ignore case, spacing and trailing punctuation", () => {
    expect(factKey("Allergic to  Nuts.")).toBe(factKey("allergic to nuts"));
  });
});
