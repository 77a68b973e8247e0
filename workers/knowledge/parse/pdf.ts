/**
 * PDF via unpdf (a serverless build of PDF.js). PDFs carry no heading markup, so headings
 * are recovered from font sizes: lines set noticeably larger than the body text become
 * headings, ranked by size. Every section keeps its page number.
 */
import { extractTextItems, getDocumentProxy } from "unpdf";
import { DocumentParseError } from "../errors.ts";
import type { ParsedDocument } from "../types.ts";
import { firstLineTitle, HeadingStack, SectionBuilder } from "./common.ts";

interface TextItem {
  str: string;
  y: number;
  fontSize: number;
  hasEOL: boolean;
}

interface Line {
  text: string;
  y: number;
  fontSize: number;
}

/** Larger than body text by this factor counts as a heading. */
const HEADING_RATIO = 1.1;
const MAX_HEADING_CHARS = 150;
/** Fewer visible characters per page than this means the pages are images (a scan). */
const MIN_CHARS_PER_PAGE = 5;

/** Parses a PDF. Throws DocumentParseError for encrypted, corrupt or scanned files. */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedDocument> {
  // PDF.js transfers (detaches) the buffer it is given, so it gets a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes)).catch((err: unknown) => {
    throw openError(err);
  });
  try {
    const { totalPages, items } = await extractTextItems(pdf);
    const pages = items.map((pageItems) => toLines(pageItems));
    const visible = pages.flat().reduce((n, l) => n + l.text.replace(/\s/g, "").length, 0);
    if (visible < Math.max(10, MIN_CHARS_PER_PAGE * totalPages)) {
      throw new DocumentParseError("pdf", "scanned PDF with no text layer");
    }
    const metaTitle = await readMetaTitle(pdf);
    return { kind: "pdf", pageCount: totalPages, ...linesToSections(pages, metaTitle) };
  } finally {
    void pdf.destroy();
  }
}

function openError(err: unknown): DocumentParseError {
  const name = err instanceof Error ? err.name : "";
  const message = err instanceof Error ? err.message : String(err);
  if (name === "PasswordException")
    return new DocumentParseError("pdf", "encrypted PDF (a password is required to open it)", { cause: err });
  if (name === "InvalidPDFException") return new DocumentParseError("pdf", `corrupt PDF: ${message}`, { cause: err });
  return new DocumentParseError("pdf", `unreadable PDF: ${message}`, { cause: err });
}

async function readMetaTitle(pdf: { getMetadata(): Promise<{ info: unknown }> }): Promise<string> {
  try {
    const { info } = await pdf.getMetadata();
    if (typeof info === "object" && info !== null && "Title" in info && typeof info.Title === "string")
      return info.Title.trim();
  } catch {
    // Metadata is optional; a title from the text will do.
  }
  return "";
}

/** Joins positioned text items into visual lines (a new line on EOL or a change of baseline). */
function toLines(items: TextItem[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const item of items) {
    if (
      current !== null &&
      Math.abs(item.y - current.y) > Math.max(2, current.fontSize * 0.5) &&
      current.text.trim() !== ""
    ) {
      lines.push(current);
      current = null;
    }
    if (item.str !== "") {
      if (current === null) current = { text: "", y: item.y, fontSize: item.fontSize };
      current.text += item.str;
      if (item.str.trim() !== "") current.fontSize = Math.max(current.fontSize, item.fontSize);
    }
    if (item.hasEOL && current !== null && current.text.trim() !== "") {
      lines.push(current);
      current = null;
    }
  }
  if (current !== null && current.text.trim() !== "") lines.push(current);
  return lines.map((l) => ({ ...l, text: l.text.replace(/\s+/g, " ").trim() }));
}

/** The most common font size weighted by characters: the body text size. */
function bodyFontSize(lines: Line[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) {
    const size = Math.round(l.fontSize * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + l.text.length);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [size, w] of weight) {
    if (w > bestWeight) [best, bestWeight] = [size, w];
  }
  return best;
}

function linesToSections(pages: Line[][], metaTitle: string): Pick<ParsedDocument, "title" | "sections"> {
  const all = pages.flat();
  const body = bodyFontSize(all);
  const isHeading = (l: Line): boolean =>
    l.fontSize >= body * HEADING_RATIO && l.text.length <= MAX_HEADING_CHARS && /\p{L}/u.test(l.text);
  const headingSizes = [...new Set(all.filter(isHeading).map((l) => Math.round(l.fontSize * 2) / 2))].sort(
    (a, b) => b - a,
  );

  const headings = new HeadingStack();
  const builder = new SectionBuilder();
  let firstHeading = "";
  let paragraph = "";
  const endParagraph = (): void => {
    if (paragraph !== "") builder.addLine(paragraph);
    builder.addLine("");
    paragraph = "";
  };

  pages.forEach((lines, index) => {
    const page = index + 1;
    endParagraph();
    builder.startSection(headings.path(), page);
    let prev: Line | null = null;
    for (const line of lines) {
      if (isHeading(line)) {
        endParagraph();
        if (firstHeading === "") firstHeading = line.text;
        headings.push(headingSizes.indexOf(Math.round(line.fontSize * 2) / 2) + 1, line.text);
        builder.startSection(headings.path(), page);
        prev = null;
        continue;
      }
      // A vertical gap of more than one and a half lines separates paragraphs.
      if (prev !== null && Math.abs(prev.y - line.y) > line.fontSize * 1.5 * 1.15) endParagraph();
      paragraph = joinLine(paragraph, line.text);
      prev = line;
    }
  });
  endParagraph();
  builder.flush();

  const title = metaTitle || firstHeading || firstLineTitle(builder.sections[0]?.text ?? "", "Untitled");
  return { title, sections: builder.sections };
}

/** Joins a wrapped line, undoing end-of-line hyphenation ("pay-" + "ment"). */
function joinLine(paragraph: string, line: string): string {
  if (paragraph === "") return line;
  if (/\p{Ll}-$/u.test(paragraph) && /^\p{Ll}/u.test(line)) return paragraph.slice(0, -1) + line;
  return `${paragraph} ${line}`;
}
