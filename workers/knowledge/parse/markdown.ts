/**
 * Markdown: ATX (`## Title`) and setext (underlined) headings become sections; inline
 * markup is stripped so embeddings and citations see the words, not the syntax.
 * Headings inside fenced code blocks are ignored.
 */
import { DocumentParseError } from "../errors.ts";
import type { ParsedDocument } from "../types.ts";
import { decodeDocumentText, firstLineTitle, HeadingStack, SectionBuilder } from "./common.ts";

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_2 = /^ {0,3}-+[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;

/** Parses a Markdown document into heading-path sections. */
export async function parseMarkdown(bytes: Uint8Array): Promise<ParsedDocument> {
  const lines = decodeDocumentText(bytes, "md").split("\n");
  const headings = new HeadingStack();
  const builder = new SectionBuilder();
  let title: string | null = null;
  let inFence = false;

  const openHeading = (level: number, raw: string): void => {
    const text = stripInline(raw);
    if (text.length === 0) return;
    if (title === null && level === 1) title = text;
    headings.push(level, text);
    builder.startSection(headings.path());
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      builder.addLine(line);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      openHeading(atx[1]?.length ?? 1, atx[2] ?? "");
      continue;
    }
    const next = lines[i + 1] ?? "";
    const prevBlank = i === 0 || (lines[i - 1] ?? "").trim() === "";
    if (line.trim() !== "" && prevBlank && !/^\s*[-*+|>]/.test(line) && (SETEXT_1.test(next) || SETEXT_2.test(next))) {
      openHeading(SETEXT_1.test(next) ? 1 : 2, line);
      i++;
      continue;
    }
    const text = markdownLine(line);
    if (text !== null) builder.addLine(text);
  }
  builder.flush();

  const sections = builder.sections;
  if (sections.length === 0) throw new DocumentParseError("md", "empty document");
  const fallback = sections[0]?.heading[0] ?? firstLineTitle(sections[0]?.text ?? "", "Untitled");
  return { kind: "md", title: title ?? fallback, sections };
}

/** Table separator rows vanish (null), table pipes become " | ", inline markup is stripped. */
function markdownLine(line: string): string | null {
  if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) return null;
  let out = line;
  if (/^\s*\|.*\|\s*$/.test(out))
    out = out
      .trim()
      .slice(1, -1)
      .split("|")
      .map((c) => c.trim())
      .join(" | ");
  return stripInline(out);
}

/** Removes emphasis, code ticks, images and link targets, keeping the visible text. */
export function stripInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, "$1")
    .trim();
}
