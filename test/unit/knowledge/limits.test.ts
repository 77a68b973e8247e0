import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDocx } from "../../../workers/knowledge/parse/docx.ts";
import { parsePdf } from "../../../workers/knowledge/parse/pdf.ts";
import { isSizeFailure } from "../../../workers/knowledge/parse/limits.ts";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/knowledge/${name}`, import.meta.url)));

describe("parser limits (fixtures from scripts/make-bomb-fixtures.mjs)", () => {
  it("refuses a DOCX part that declares 300 MB before inflating it", async () => {
    await expect(parseDocx(fixture("bomb.docx"))).rejects.toThrow(/^too large: word\/document.xml declares 300 MB/);
  });

  it("stops a DOCX part that lies about its size at the streaming cap", async () => {
    await expect(parseDocx(fixture("bomb-lying.docx"))).rejects.toThrow(/^too large: word\/document.xml decompresses/);
  }, 60_000);

  it("stops a PDF stream that inflates to 200 MB before PDF.js reads it", async () => {
    await expect(parsePdf(fixture("bomb.pdf"))).rejects.toThrow(/^too large: stream 1 decompresses/);
  }, 60_000);

  it("still reads ordinary documents", async () => {
    expect((await parseDocx(fixture("shipping-and-delivery.docx"))).sections.length).toBeGreaterThan(0);
    expect((await parsePdf(fixture("handbook-200-pages.pdf"))).pageCount).toBe(200);
  }, 60_000);

  it("recognises size failures by their reason", () => {
    expect(isSizeFailure("too large: 1200 pages (the limit is 1000)")).toBe(true);
    expect(isSizeFailure("corrupt DOCX: no body")).toBe(false);
    expect(isSizeFailure(null)).toBe(false);
  });
});
