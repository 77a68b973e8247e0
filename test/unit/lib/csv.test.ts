// Tests for the shared CSV reader/writer in workers/lib/csv.ts.
import { describe, expect, it } from "vitest";
import { formatCsv, parseCsv, parseCsvRecords } from "../../../workers/lib/csv.ts";

describe("parseCsv", () => {
  it("handles quoted commas, escaped quotes, newlines, CRLF and a BOM", () => {
    const text = '\ufefftext,primary\r\n"a, b",x\r\n"say ""hi""\nplease",y\r\n\r\nplain,z';
    expect(parseCsv(text)).toEqual([
      ["text", "primary"],
      ["a, b", "x"],
      ['say "hi"\nplease', "y"],
      ["plain", "z"],
    ]);
  });

  it("fills missing trailing columns with empty strings", () => {
    expect(parseCsvRecords("text,primary,secondary\nhello,other\n")).toEqual([
      { text: "hello", primary: "other", secondary: "" },
    ]);
  });

  it("round-trips through formatCsv", () => {
    const rows = [
      ["text", "primary"],
      ['He said "no", then left\nbye', "other"],
      ["עברית, ok", "x"],
    ];
    expect(parseCsv(formatCsv(rows))).toEqual(rows);
  });
});
