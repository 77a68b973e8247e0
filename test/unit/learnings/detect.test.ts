import { describe, expect, it } from "vitest";
import { clusterQuestions, correctionPatterns, isCorrection, stripPii } from "../../../workers/learnings/detect.ts";

describe("stripPii", () => {
  it("removes emails, links, phone/order numbers and the contact's names", () => {
    expect(
      stripPii("I'm Dana Levi, dana.levi@example.com, +972 50-123-4567, order 100234, see https://x.test/a?b=1", [
        "Dana Levi",
        "dana.levi@example.com",
      ]),
    ).toBe("I'm [name] [name], [email], [number], order [number], see [link]");
    expect(stripPii("Привет, я Ольга, пишите olga@example.ru", ["Ольга"])).toBe("Привет, я [name], пишите [email]");
  });
});

describe("clusterQuestions", () => {
  const q = (contactId: string, text: string) => ({ contactId, conversationId: `c-${contactId}-${text.length}`, text });
  it("groups the same question across customers and needs enough different customers", () => {
    const items = [
      q("a", "Do you ship to Iceland?"),
      q("b", "Do you ship boxes to Iceland?"),
      q("c", "Shipping to Iceland possible?"),
      q("d", "How do I change my password?"),
    ];
    const clusters = clusterQuestions(items, 3);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.items.map((i) => i.contactId)).toEqual(["a", "b", "c"]);
    expect(clusters[0]?.signature).toContain("iceland");
    // One customer asking three times is not a pattern.
    expect(clusterQuestions([q("a", "ship to Iceland?"), q("a", "ship Iceland??"), q("a", "Iceland ship")], 3)).toEqual(
      [],
    );
  });
});

describe("corrections", () => {
  it("a rewrite is a correction, a light edit is not; patterns name the words added and removed", () => {
    expect(isCorrection("Please send a photo of the damage.", "Please send a photo of the damage, thanks.")).toBe(
      false,
    );
    expect(isCorrection("Please send a photo of the damage.", "No photo needed, a replacement ships tomorrow.")).toBe(
      true,
    );
    const items = ["a", "b", "c"].map((contactId) => ({
      contactId,
      conversationId: contactId,
      category: "damaged_item",
      draft: "Please send a photo of the damage.",
      sent: "A free replacement ships tomorrow.",
    }));
    const [p] = correctionPatterns(items, 3);
    expect(p?.category).toBe("damaged_item");
    expect(p?.added).toEqual(expect.arrayContaining(["free", "replacement"]));
    expect(p?.removed).toEqual(expect.arrayContaining(["photo", "damage"]));
    expect(correctionPatterns(items.slice(0, 2), 3)).toEqual([]);
  });
});
