import { describe, expect, it } from "vitest";
import { sniffDocumentKind } from "../../../workers/knowledge/sniff.ts";
import { faq, fixture } from "./helpers.ts";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("sniffDocumentKind", () => {
  it("recognises the real fixtures by content", () => {
    expect(sniffDocumentKind(fixture("payments-and-failed-charges.pdf"))).toBe("pdf");
    expect(sniffDocumentKind(fixture("shipping-and-delivery.docx"))).toBe("docx");
    expect(sniffDocumentKind(fixture("damaged-or-missing-items.html"))).toBe("html");
    expect(sniffDocumentKind(faq("plans-and-billing.md"))).toBe("md");
  });

  it("ignores a lying extension: a DOCX named .pdf is a DOCX", () => {
    expect(sniffDocumentKind(fixture("really-a-docx.pdf"), "really-a-docx.pdf", "application/pdf")).toBe("docx");
  });

  it("rejects a zip that is not a Word document even when named .pdf", () => {
    // A stored (uncompressed) zip with a single entry "a.txt".
    const zip = fixture("shipping-and-delivery.docx").slice(0, 4);
    expect(Array.from(zip)).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const notDocx = buildStoredZip("a.txt", text("hello"));
    expect(sniffDocumentKind(notDocx, "report.pdf", "application/pdf")).toBeNull();
  });

  it("hands a truncated .docx to the DOCX parser so it can explain", () => {
    expect(sniffDocumentKind(fixture("corrupt.docx"), "corrupt.docx")).toBe("docx");
    expect(sniffDocumentKind(fixture("corrupt.docx"), "corrupt.bin")).toBeNull();
  });

  it("rejects binaries whatever their name", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    expect(sniffDocumentKind(png, "notes.txt", "text/plain")).toBeNull();
    expect(sniffDocumentKind(new Uint8Array([0xff, 0xfe, 0xfd, 0x41]), "notes.md")).toBeNull();
    expect(sniffDocumentKind(new Uint8Array(0), "empty.txt")).toBeNull();
  });

  it("detects HTML after a BOM, whitespace and comments", () => {
    expect(sniffDocumentKind(text("\uFEFF  \n<!DOCTYPE html><html><body>x</body></html>"))).toBe("html");
    expect(sniffDocumentKind(text("<!-- generated -->\n<div><p>Hi</p></div>"))).toBe("html");
    expect(sniffDocumentKind(text("Use <b>bold</b> in the middle of a sentence."))).toBe("txt");
  });

  it("tells Markdown from plain text by structure or by name", () => {
    expect(sniffDocumentKind(text("# Title\n\nBody text."))).toBe("md");
    expect(sniffDocumentKind(text("Title\n=====\n\nBody"))).toBe("md");
    expect(sniffDocumentKind(text("Just a note.\nSecond line."))).toBe("txt");
    expect(sniffDocumentKind(text("Just a note."), "note.md")).toBe("md");
  });
});

/** Minimal valid zip (one stored entry) so the test does not depend on a zip tool. */
function buildStoredZip(name: string, data: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const crc = crc32(data);
  const local = new Uint8Array(30 + nameBytes.length + data.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint32(14, crc, true);
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, data.length, true);
  lv.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);
  local.set(data, 30 + nameBytes.length);
  const central = new Uint8Array(46 + nameBytes.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint32(16, crc, true);
  cv.setUint32(20, data.length, true);
  cv.setUint32(24, data.length, true);
  cv.setUint16(28, nameBytes.length, true);
  central.set(nameBytes, 46);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length, true);
  const out = new Uint8Array(local.length + central.length + end.length);
  out.set(local, 0);
  out.set(central, local.length);
  out.set(end, local.length + central.length);
  return out;
}

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
