/**
 * Plain text: one untitled section; paragraphs (blank-line separated) are kept so the
 * chunker can split on them.
 */
import { DocumentParseError } from "../errors.ts";
import type { ParsedDocument } from "../types.ts";
import { decodeDocumentText, firstLineTitle, tidyText } from "./common.ts";

/** Parses a UTF-8 text file. Throws DocumentParseError for binary or empty input. */
export async function parseText(bytes: Uint8Array): Promise<ParsedDocument> {
  const text = tidyText(decodeDocumentText(bytes, "txt"));
  if (text.length === 0) throw new DocumentParseError("txt", "empty document");
  return { kind: "txt", title: firstLineTitle(text, "Untitled"), sections: [{ heading: [], text }] };
}
