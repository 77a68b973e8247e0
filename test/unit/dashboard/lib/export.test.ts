/** exportSheets: how the sheets become one CSV (or an XLSX) before the browser download. */
import { strFromU8, unzipSync } from "fflate";
import { beforeEach, describe, expect, it, vi } from "vitest";

const downloads: { name: string; text: string }[] = [];
vi.mock("../../../../dashboard/src/lib/csv.ts", () => ({
  download: (name: string, text: string) => downloads.push({ name, text }),
}));

const blobs: { name: string; blob: Blob }[] = [];
beforeEach(() => {
  downloads.length = 0;
  blobs.length = 0;
  let pending: Blob | null = null;
  // A subclass, so the real global URL is not mutated for other tests.
  class FakeURL extends URL {
    static override createObjectURL(blob: Blob): string {
      pending = blob;
      return "blob:x";
    }
    static override revokeObjectURL(): void {}
  }
  vi.stubGlobal("URL", FakeURL);
  vi.stubGlobal("document", {
    createElement: () => {
      const a = {
        href: "",
        download: "",
        click: () => {
          if (pending) blobs.push({ name: a.download, blob: pending });
        },
      };
      return a;
    },
  });
});

const { exportSheets } = await import("../../../../dashboard/src/lib/export.ts");

describe("dashboard exportSheets", () => {
  it("CSV: one sheet is just its rows, CRLF, no trailing newline", async () => {
    await exportSheets("report", "csv", "Title", [
      {
        name: "Only",
        rows: [
          ["a", 1],
          ["b", null],
        ],
      },
    ]);
    expect(downloads).toEqual([{ name: "report.csv", text: "a,1\r\nb," }]);
  });

  it("CSV: several sheets follow each other under their names, separated by a blank line", async () => {
    await exportSheets("r", "csv", "T", [
      { name: "One", rows: [["x"]] },
      { name: "Two", rows: [["y"]] },
    ]);
    expect(downloads[0]?.text).toBe("One\r\nx\r\n\r\nTwo\r\ny");
  });

  it("CSV: cells that a spreadsheet would run as a formula are neutralised", async () => {
    await exportSheets("r", "csv", "T", [{ name: "S", rows: [['=HYPERLINK("http://x")']] }]);
    expect(downloads[0]?.text.startsWith("=")).toBe(false);
    expect(downloads[0]?.text).toContain("HYPERLINK");
  });

  it("XLSX: the download is a workbook with one worksheet per sheet", async () => {
    await exportSheets("book", "xlsx", "T", [
      { name: "One", rows: [["x"]] },
      { name: "Two", rows: [[2]] },
    ]);
    expect(blobs.map((b) => b.name)).toEqual(["book.xlsx"]);
    const blob = blobs[0]?.blob;
    expect(blob?.type).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const files = unzipSync(new Uint8Array(await (blob ?? new Blob()).arrayBuffer()));
    expect(strFromU8(files["xl/worksheets/sheet2.xml"] ?? new Uint8Array())).toContain("<v>2</v>");
    expect(strFromU8(files["xl/workbook.xml"] ?? new Uint8Array())).toContain('<sheet name="Two"');
  });
});
