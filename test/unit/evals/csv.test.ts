import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvFormatError, csvLine, readCsv, streamOf } from "../../../workers/evals/csv.ts";

async function parse(text: string | Uint8Array, chunk = 64 * 1024): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of readCsv(streamOf(text, chunk))) out.push(r.fields);
  return out;
}

const field = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é", "ש", "😀", "x") });

describe("CSV reader", () => {
  it("round-trips any table written with csvLine, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 4 })
          .chain((w) => fc.array(fc.array(field, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 8 })),
        fc.integer({ min: 1, max: 17 }),
        fc.boolean(),
        async (rows, chunk, bom) => {
          // A record of one empty field is indistinguishable from a blank line, which is skipped.
          const table = rows.filter((r) => !(r.length === 1 && r[0] === ""));
          const text =
            (bom ? "\uFEFF" : "") +
            ["h", ...table.map((r) => csvLine(r))]
              .join("")
              .replace(/^h/, csvLine(table[0]?.map((_, i) => `c${i}`) ?? ["c0"]));
          const parsed = await parse(text, chunk);
          expect(parsed.slice(1)).toEqual(table);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("numbers data rows from 1 after the header, across multi-line fields", async () => {
    const rows: number[] = [];
    for await (const r of readCsv(streamOf('id,m\n1,"a\nb"\n2,c\n'))) rows.push(r.row);
    expect(rows).toEqual([0, 1, 2]);
  });

  it("refuses unbalanced quotes, invalid UTF-8 and oversized records", async () => {
    await expect(parse('id,m\n1,"open\n')).rejects.toThrow(/unbalanced/);
    await expect(parse(new Uint8Array([0x61, 0x0a, 0xc3, 0x28, 0x0a]))).rejects.toBeInstanceOf(CsvFormatError);
    await expect(parse(`id,m\n1,${"x".repeat(1_000_001)}\n`)).rejects.toThrow(/larger than/);
  });

  it("accepts mixed CRLF and LF line ends and a BOM", async () => {
    expect(await parse('\uFEFFa,b\r\n1,"x""y"\n2,z\r\n')).toEqual([
      ["a", "b"],
      ["1", 'x"y'],
      ["2", "z"],
    ]);
  });
});
