/**
 * HTML and XML character references through the `entities` library (the full WHATWG
 * table, numeric references, invalid code points as U+FFFD), for email bodies, crawled
 * pages and DOCX text. Non-breaking spaces become plain spaces and soft hyphens vanish,
 * because every caller reduces markup to searchable, readable plain text.
 */
import { decodeHTML, decodeXML } from "entities";

const plain = (s: string) => s.replace(/\u00a0/g, " ").replace(/\u00ad/g, "");

/** Decode HTML named and numeric references; unknown names are left as written. */
export function decodeEntities(text: string): string {
  return plain(decodeHTML(text));
}

/** Decode the XML references (the five named ones and numeric), as in DOCX parts. */
export function decodeXmlEntities(text: string): string {
  return plain(decodeXML(text));
}
