/**
 * Issue 17 (one vocabulary): the delivery-frequency words were typed twice, in the AI's
 * templates and in the customer copy. They live in workers/copy/customer.ts only.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { frequencyWord } from "../../../workers/copy/customer.ts";
import { LANGUAGES } from "../../../workers/lib/categories.ts";
import { FREQUENCIES } from "../../../workers/commerce/tools.ts";

const source = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");

describe("frequency words", () => {
  it("are defined once, in the customer copy", () => {
    expect(source("workers/ai/agent/templates.ts")).not.toMatch(/"freq\.(monthly|bimonthly|quarterly)"/);
    expect(source("workers/copy/customer.ts").match(/"freq\.bimonthly"/g)).toHaveLength(LANGUAGES.length);
  });

  it("exist for every frequency in every language, distinct per language", () => {
    for (const lang of LANGUAGES) {
      const words = FREQUENCIES.map((f) => frequencyWord(lang, f));
      expect(new Set(words).size).toBe(FREQUENCIES.length);
      for (const w of words) expect(w).not.toMatch(/^freq\./);
    }
    expect(frequencyWord("ru", "bimonthly")).toBe("раз в два месяца");
    expect(frequencyWord("es-MX", "quarterly")).toBe(frequencyWord("es", "quarterly"));
  });
});
