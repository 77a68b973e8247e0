/**
 * PDF via unpdf (a serverless build of PDF.js). PDFs carry no heading markup, so headings
 * are recovered from font sizes: lines set noticeably larger than the body text become
 * headings, ranked by size. Every section keeps its page number.
 */
import { getDocumentProxy } from "unpdf";
import { DocumentParseError } from "../errors.ts";
import type { ParsedDocument } from "../types.ts";
import { firstLineTitle, HeadingStack, SectionBuilder } from "./common.ts";
import { ByteBudget, Deadline, inflateCapped, MAX_ENTRY_BYTES, MAX_PDF_PAGES, tooLarge } from "./limits.ts";

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
  const deadline = new Deadline("pdf");
  checkStreamSizes(bytes, deadline);
  // PDF.js transfers (detaches) the buffer it is given, so it gets a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes)).catch((err: unknown) => {
    throw openError(err);
  });
  try {
    const totalPages = pdf.numPages;
    if (totalPages > MAX_PDF_PAGES) throw tooLarge("pdf", `${totalPages} pages (the limit is ${MAX_PDF_PAGES})`);
    const items: TextItem[][] = [];
    // One page at a time with the deadline checked between pages (PDF.js cannot be interrupted mid-page).
    for (let n = 1; n <= totalPages; n++) {
      deadline.check();
      items.push(await pageTextItems(pdf, n));
    }
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

type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

async function pageTextItems(pdf: PdfProxy, n: number): Promise<TextItem[]> {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  const out: TextItem[] = [];
  for (const item of content.items) {
    if (!("str" in item)) continue;
    const [, , c = 0, d = 0, , f = 0] = item.transform as number[];
    out.push({ str: item.str, y: f, fontSize: Math.hypot(c, d), hasEOL: item.hasEOL });
  }
  return out;
}

/**
 * Pre-scan before PDF.js sees the file: every Flate stream is inflated through the byte
 * counter (./limits.ts), so a stream that expands to hundreds of MB fails the document
 * in a second instead of stalling PDF.js for minutes. Only counts; keeps nothing.
 */
function checkStreamSizes(bytes: Uint8Array, deadline: Deadline): void {
  const budget = new ByteBudget("pdf");
  const text = latin1(bytes);
  const keyword = /stream(\r\n|\n|\r)/g;
  let count = 0;
  for (let m = keyword.exec(text); m !== null; m = keyword.exec(text)) {
    const start = m.index + m[0].length;
    if (text.slice(m.index - 3, m.index) === "end") continue;
    const dictStart = text.lastIndexOf("obj", m.index);
    const dict = text.slice(Math.max(dictStart, m.index - 4096), m.index);
    const end = text.indexOf("endstream", start);
    if (end < 0) break;
    keyword.lastIndex = end + 9;
    if (!/\/FlateDecode|\/Fl\b/.test(dict)) continue;
    inflateCapped(bytes.subarray(start, end), {
      zlib: true,
      entryCap: MAX_ENTRY_BYTES,
      budget,
      what: `stream ${++count}`,
      keep: false,
    });
    deadline.check();
  }
}

/** Bytes as a string of code points 0–255, so offsets in the string are offsets in the file. */
function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 32_768)
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 32_768)));
  return out;
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
