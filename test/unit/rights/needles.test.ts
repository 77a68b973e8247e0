import { describe, expect, it } from "vitest";
import { MIN_TEXT_NEEDLE, subjectNeedles } from "../../../workers/rights/needles.ts";

describe("subjectNeedles", () => {
  it("keeps emails (as typed and lower-cased), phones with and without formatting, ids and long texts", () => {
    const n = subjectNeedles({
      emails: ["Dana.Levi@Example.org"],
      phones: ["+972 50-123-4567"],
      externalIds: ["6660001"],
      texts: ["Where is my box number QX-1?"],
    });
    expect(n).toEqual(
      expect.arrayContaining([
        "Dana.Levi@Example.org",
        "dana.levi@example.org",
        "+972 50-123-4567",
        "972501234567",
        "6660001",
        "Where is my box number QX-1?",
      ]),
    );
  });

  it("drops short texts and ids that would match other customers' rows", () => {
    const n = subjectNeedles({ emails: [null], phones: ["12"], externalIds: ["42"], texts: ["ok", "thanks!"] });
    expect(n).toEqual([]);
    expect("thanks!".length).toBeLessThan(MIN_TEXT_NEEDLE);
  });

  it("adds the JSON-escaped spelling of text with quotes or newlines (how JSON columns store it)", () => {
    const n = subjectNeedles({
      emails: [],
      phones: [],
      externalIds: [],
      texts: ['He said "leave it at the door"\nthanks'],
    });
    expect(n).toContain('He said \\"leave it at the door\\"\\nthanks');
  });

  it("deduplicates", () => {
    const n = subjectNeedles({ emails: ["a.b@c.de", "a.b@c.de"], phones: [], externalIds: ["a.b@c.de"], texts: [] });
    expect(n).toEqual(["a.b@c.de"]);
  });
});
