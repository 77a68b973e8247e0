/**
 * One entry point for every supported format, so the upload route and the queue
 * consumer never switch on kinds themselves.
 */
import type { DocumentKind, ParsedDocument } from "../types.ts";
import { parseDocx } from "./docx.ts";
import { parseHtml } from "./html.ts";
import { parseMarkdown } from "./markdown.ts";
import { parsePdf } from "./pdf.ts";
import { parseText } from "./text.ts";

export { DocumentParseError } from "../errors.ts";

const PARSERS: Record<DocumentKind, (bytes: Uint8Array) => Promise<ParsedDocument>> = {
  pdf: parsePdf,
  docx: parseDocx,
  html: parseHtml,
  md: parseMarkdown,
  txt: parseText,
};

/** Parses bytes of a known kind (see sniffDocumentKind). Throws DocumentParseError. */
export function parseDocument(kind: DocumentKind, bytes: Uint8Array): Promise<ParsedDocument> {
  return PARSERS[kind](bytes);
}
