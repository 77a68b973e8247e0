/**
 * Decides what an uploaded file really is from its bytes. The file name and the declared
 * MIME type are hints only: a `.pdf` that is a zip is not a PDF, and a binary with a
 * `.txt` name is rejected.
 */
import { unzipSync } from "fflate";
import type { DocumentKind } from "./types.ts";

const SNIFF_WINDOW = 1024;

/**
 * Returns the real kind of a document, or null for anything we cannot parse.
 * @param bytes the whole file (only the head is inspected, except for zip directories)
 * @param fileName optional original name; only used to pick md over txt and to treat an
 *   unreadable zip named `.docx` as a (corrupt) DOCX so the parser can say why
 * @param declaredType optional MIME type from the upload, used the same way
 */
export function sniffDocumentKind(bytes: Uint8Array, fileName?: string, declaredType?: string): DocumentKind | null {
  if (bytes.length === 0) return null;
  if (startsWithPdfHeader(bytes)) return "pdf";
  if (isZip(bytes)) return sniffZip(bytes, fileName, declaredType);

  const text = decodeUtf8Text(bytes);
  if (text === null) return null;
  if (looksLikeHtml(text)) return "html";
  if (hasMarkdownHint(fileName, declaredType) || looksLikeMarkdown(text)) return "md";
  return "txt";
}

/** PDF readers accept the header anywhere in the first kilobyte. */
function startsWithPdfHeader(bytes: Uint8Array): boolean {
  const head = latin1(bytes.subarray(0, SNIFF_WINDOW));
  return head.includes("%PDF-");
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function sniffZip(bytes: Uint8Array, fileName?: string, declaredType?: string): DocumentKind | null {
  const names: string[] = [];
  try {
    // The filter sees every entry name and decompresses nothing.
    unzipSync(bytes, {
      filter(file) {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    // Unreadable archive: only a DOCX claim makes it worth handing to the DOCX parser,
    // which then reports "corrupt DOCX" instead of a vague "unsupported file".
    return claimsDocx(fileName, declaredType) ? "docx" : null;
  }
  return names.includes("word/document.xml") ? "docx" : null;
}

function claimsDocx(fileName?: string, declaredType?: string): boolean {
  return (
    (fileName ?? "").toLowerCase().endsWith(".docx") || (declaredType ?? "").toLowerCase().includes("wordprocessingml")
  );
}

/** Strict UTF-8 without NULs or many control characters; null means "binary". */
export function decodeUtf8Text(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return null;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return control > text.length / 100 ? null : text;
}

const HTML_START =
  /^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|link|div|p|h[1-6]|section|article|main|table|ul|script|style)[\s>/]/i;

function looksLikeHtml(text: string): boolean {
  const head = text
    .slice(0, SNIFF_WINDOW)
    .replace(/^\uFEFF/, "")
    .trimStart();
  return HTML_START.test(head);
}

function hasMarkdownHint(fileName?: string, declaredType?: string): boolean {
  const name = (fileName ?? "").toLowerCase();
  return /\.(md|markdown|mdown|mkd)$/.test(name) || (declaredType ?? "").toLowerCase().includes("markdown");
}

const MARKDOWN_SIGNS = [
  /^ {0,3}#{1,6}\s+\S/m, // ATX heading
  /^\S.*\n {0,3}(=+|-{3,})\s*$/m, // setext heading
  /^ {0,3}```/m, // fenced code
  /\[[^\]\n]+\]\([^)\s]+\)/, // link
  /^\s*\|.+\|\s*\n\s*\|?\s*:?-{3,}/m, // table
];

function looksLikeMarkdown(text: string): boolean {
  const sample = text.slice(0, 20_000);
  return MARKDOWN_SIGNS.some((re) => re.test(sample));
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
