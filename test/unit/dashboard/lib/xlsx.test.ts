import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { xlsx } from "../../../../dashboard/src/lib/xlsx.ts";

function open(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, strFromU8(v)]));
}

describe("dashboard xlsx", () => {
  it("writes the parts Excel needs, one worksheet per sheet", () => {
    const files = open(
      xlsx([
        { name: "A", rows: [] },
        { name: "B", rows: [] },
      ]),
    );
    expect(Object.keys(files).sort()).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "xl/_rels/workbook.xml.rels",
      "xl/workbook.xml",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
    ]);
    expect(files["[Content_Types].xml"]).toContain('PartName="/xl/worksheets/sheet2.xml"');
  });

  it("numbers are numeric cells, text is inline and escaped, empty cells are skipped, columns go past Z", () => {
    const row = [1.5, 'a<b & "c"', null, "", ...Array.from({ length: 24 }, () => null), "AC"];
    const sheet = open(xlsx([{ name: "S", rows: [row] }]))["xl/worksheets/sheet1.xml"] ?? "";
    expect(sheet).toContain('<c r="A1"><v>1.5</v></c>');
    expect(sheet).toContain(
      '<c r="B1" t="inlineStr"><is><t xml:space="preserve">a&lt;b &amp; &quot;c&quot;</t></is></c>',
    );
    expect(sheet).not.toContain('r="C1"');
    expect(sheet).not.toContain('r="D1"');
    expect(sheet).toContain('<c r="AC1" t="inlineStr">');
  });

  it("non-finite numbers become text and XML-illegal control characters are dropped", () => {
    const sheet = open(xlsx([{ name: "S", rows: [[Number.NaN, "a\u0001b\tc"]] }]))["xl/worksheets/sheet1.xml"] ?? "";
    expect(sheet).toContain('<c r="A1" t="inlineStr"><is><t xml:space="preserve">NaN</t>');
    expect(sheet).toContain(">ab\tc</t>");
  });

  it("sheet names lose the characters Excel forbids, are cut to fit and made unique", () => {
    const workbook =
      open(
        xlsx([
          { name: "Q1/Q2: [sales]?", rows: [] },
          { name: "Q1/Q2: [sales]?", rows: [] },
          { name: "x".repeat(40), rows: [] },
          { name: "", rows: [] },
        ]),
      )["xl/workbook.xml"] ?? "";
    const names = [...workbook.matchAll(/<sheet name="([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(["Q1 Q2   sales  ", "Q1 Q2   sales   2", "x".repeat(28), "Sheet"]);
    for (const n of names) expect((n ?? "").length).toBeLessThanOrEqual(31);
  });
});
