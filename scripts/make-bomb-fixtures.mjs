#!/usr/bin/env node
/**
 * Builds the decompression-bomb fixtures of the security tests (issue 21, item 6):
 * - test/fixtures/knowledge/bomb.docx: a DOCX whose word/document.xml inflates to
 *   300 MB (~300 KB on disk), sizes declared honestly in the archive;
 * - test/fixtures/knowledge/bomb-lying.docx: the same, but the archive claims 1 KB,
 *   so only the streaming byte counter can stop it;
 * - test/fixtures/knowledge/bomb.pdf: a one-page PDF whose content stream inflates to
 *   200 MB.
 * Usage: node scripts/make-bomb-fixtures.mjs
 */
import { writeFileSync } from "node:fs";
import { strToU8, zipSync, zlibSync } from "fflate";

const out = new URL("../test/fixtures/knowledge/", import.meta.url);
const MB = 1024 * 1024;

function docxBomb() {
  const xml = new Uint8Array(300 * MB).fill(0x20);
  const head = strToU8('<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p>');
  xml.set(head, 0);
  return zipSync(
    {
      "[Content_Types].xml": strToU8('<?xml version="1.0"?><Types/>'),
      "word/document.xml": [xml, { level: 9 }],
    },
    { level: 9 },
  );
}

/** Rewrites the uncompressed size of word/document.xml in both headers to 1024 bytes. */
function lie(zip) {
  const z = new Uint8Array(zip);
  const view = new DataView(z.buffer);
  for (let i = 0; i < z.length - 4; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, 1024, true);
    if (sig === 0x02014b50) view.setUint32(i + 24, 1024, true);
  }
  return z;
}

function pdfBomb() {
  const content = new Uint8Array(200 * MB).fill(0x20);
  content.set(strToU8("BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n"), 0);
  const stream = zlibSync(content, { level: 9 });
  const enc = (s) => strToU8(s);
  const parts = [];
  const offsets = [];
  let length = 0;
  const push = (bytes) => {
    parts.push(bytes);
    length += bytes.length;
  };
  push(enc("%PDF-1.4\n"));
  const obj = (n, body) => {
    offsets[n] = length;
    push(enc(`${n} 0 obj\n${body}\nendobj\n`));
  };
  obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  obj(
    3,
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
  );
  offsets[4] = length;
  push(enc(`4 0 obj\n<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`));
  push(stream);
  push(enc("\nendstream\nendobj\n"));
  obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const xref = length;
  const rows = offsets
    .slice(1)
    .map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)
    .join("");
  push(enc(`xref\n0 6\n0000000000 65535 f \n${rows}trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  const all = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

const docx = docxBomb();
writeFileSync(new URL("bomb.docx", out), docx);
writeFileSync(new URL("bomb-lying.docx", out), lie(docx));
writeFileSync(new URL("bomb.pdf", out), pdfBomb());
console.log("wrote bomb.docx, bomb-lying.docx, bomb.pdf");
