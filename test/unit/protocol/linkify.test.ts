import { describe, expect, it } from "vitest";
import { linkify } from "../../../workers/protocol/linkify.ts";

describe("linkify", () => {
  it("turns URLs into links and leaves sentence punctuation outside", () => {
    expect(linkify("See https://levhaolam.test/faq. Thanks")).toEqual([
      { text: "See " },
      { text: "https://levhaolam.test/faq", href: "https://levhaolam.test/faq" },
      { text: ". Thanks" },
    ]);
  });

  it("links tracking numbers to the carrier's page", () => {
    const segs = linkify("Your parcel RR123456789IL and JD014600006281 are on the way");
    expect(segs.filter((s) => s.href).map((s) => s.href)).toEqual([
      "https://israelpost.co.il/en/itemtrace?itemcode=RR123456789IL",
      "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD014600006281",
    ]);
    expect(segs.map((s) => s.text).join("")).toBe("Your parcel RR123456789IL and JD014600006281 are on the way");
  });

  it("never makes a link from other schemes or plain words", () => {
    expect(linkify("javascript:alert(1) and ftp://x and hello").every((s) => !s.href)).toBe(true);
    expect(linkify("")).toEqual([]);
  });

  it("works in right-to-left and Cyrillic text", () => {
    const segs = linkify("החבילה RR123456789IL בדרך, подробнее: https://x.test/a");
    expect(segs.filter((s) => s.href)).toHaveLength(2);
  });
});
