/**
 * A small HTML → readable text reducer for email bodies. Not a renderer: it keeps line
 * structure (blocks, breaks, list items) and decodes entities, which is what the AI turn
 * and the operator preview need. Runs in Workers (no DOM).
 */
import { decodeEntities } from "../../lib/entities.ts";

const BLOCK_TAGS = "p|div|section|article|header|footer|table|tr|ul|ol|h[1-6]|blockquote|pre|address|center|form|hr";

/** Reduce an HTML document or fragment to plain text with paragraph breaks. */
export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(script|style|head|title|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li\b[^>]*>/gi, "\n- ")
    .replace(/<\/(td|th)\s*>/gi, "\t")
    .replace(new RegExp(`</?(?:${BLOCK_TAGS})\\b[^>]*>`, "gi"), "\n")
    .replace(/<[^>]*>/g, "");
  s = decodeEntities(s);
  return s
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
