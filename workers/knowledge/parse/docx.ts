/**
 * DOCX: unzip with fflate and read WordprocessingML directly — no native code, runs in
 * Workers. Headings come from paragraph styles (Title, Heading1..9, or any style whose
 * name in styles.xml is "heading n", or an outline level); table rows become
 * "cell | cell" lines.
 */
import { Unzip, UnzipInflate } from "fflate";
import { DocumentParseError } from "../errors.ts";
import type { ParsedDocument } from "../types.ts";
import { firstLineTitle, HeadingStack, SectionBuilder } from "./common.ts";
import { decodeXmlEntities as decodeEntities } from "../../lib/entities.ts";
import { ByteBudget, Deadline, MAX_ENTRY_BYTES, tooLarge } from "./limits.ts";

/** Archive bytes fed to the inflater at a time: bounds one step's output to ~4 MB. */
const UNZIP_PUSH_BYTES = 4096;
const WANTED = new Set(["word/document.xml", "word/styles.xml", "docProps/core.xml"]);
const BLOCKS =
  /<w:tbl[\s>]|<\/w:tbl>|<w:tr[\s>]|<w:tr\/>|<\/w:tr>|<w:tc[\s>]|<\/w:tc>|<w:p\/>|<w:p[\s>][\s\S]*?<\/w:p>/g;

/** Parses a .docx file. Throws DocumentParseError("corrupt DOCX: …") on broken archives. */
export async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  const files = unzipParts(bytes);
  const documentXml = files.get("word/document.xml");
  if (documentXml === undefined) throw corrupt("word/document.xml is missing");
  const body = /<w:body\b[^>]*>([\s\S]*)<\/w:body>/.exec(documentXml)?.[1];
  if (body === undefined) throw corrupt("the document has no body");

  const styleLevels = readStyleLevels(files.get("word/styles.xml") ?? "");
  const headings = new HeadingStack();
  const builder = new SectionBuilder();
  let styledTitle = "";
  let firstHeading = "";
  let tableDepth = 0;
  let row: string[] = [];
  let cell: string[] = [];

  for (const m of body.matchAll(BLOCKS)) {
    const token = m[0];
    if (token.startsWith("<w:tbl")) tableDepth++;
    else if (token === "</w:tbl>") tableDepth = Math.max(0, tableDepth - 1);
    else if (token.startsWith("<w:tr")) row = [];
    else if (token === "</w:tr>") builder.addLine(row.filter((c) => c !== "").join(" | "));
    else if (token.startsWith("<w:tc")) cell = [];
    else if (token === "</w:tc>") row.push(cell.join(" ").trim());
    else if (token.startsWith("<w:p")) {
      const text = paragraphText(token);
      if (tableDepth > 0) {
        if (text !== "") cell.push(text);
        continue;
      }
      const level = headingLevel(token, styleLevels);
      if (level === 0 && text !== "") {
        if (styledTitle === "") styledTitle = text;
        headings.push(0, text);
        builder.startSection(headings.path());
      } else if (level > 0 && text !== "") {
        if (firstHeading === "") firstHeading = text;
        headings.push(level, text);
        builder.startSection(headings.path());
      } else {
        builder.addLine(text);
        builder.addLine("");
      }
    }
  }
  builder.flush();

  if (builder.sections.length === 0) throw new DocumentParseError("docx", "the document contains no text");
  const coreTitle = readCoreTitle(files.get("docProps/core.xml") ?? "");
  const title = coreTitle || styledTitle || firstHeading || firstLineTitle(builder.sections[0]?.text ?? "", "Untitled");
  return { kind: "docx", title, sections: builder.sections };
}

function corrupt(detail: string, cause?: unknown): DocumentParseError {
  return new DocumentParseError("docx", `corrupt DOCX: ${detail}`, { cause });
}

/**
 * Reads the wanted parts with fflate's streaming unzip, 4 KB of archive at a time, so a
 * zip bomb is stopped at the caps of ./limits.ts instead of inflated whole (the sizes an
 * archive declares are not trusted). Unwanted entries are never inflated.
 */
function unzipParts(bytes: Uint8Array): Map<string, string> {
  const budget = new ByteBudget("docx");
  const deadline = new Deadline("docx");
  const chunks = new Map<string, Uint8Array[]>();
  const sizes = new Map<string, number>();
  const unzip = new Unzip((file) => {
    if (!WANTED.has(file.name)) return;
    if (file.originalSize !== undefined && file.originalSize > MAX_ENTRY_BYTES)
      throw tooLarge("docx", `${file.name} declares ${Math.round(file.originalSize / 1024 / 1024)} MB uncompressed`);
    chunks.set(file.name, []);
    file.ondata = (err, chunk) => {
      // fflate hands an error thrown by this callback back to it: keep a size refusal as it is.
      if (err instanceof DocumentParseError) throw err;
      if (err) throw corrupt(`${file.name} cannot be decompressed (${err.message})`, err);
      const size = (sizes.get(file.name) ?? 0) + chunk.length;
      sizes.set(file.name, size);
      if (size > MAX_ENTRY_BYTES)
        throw tooLarge("docx", `${file.name} decompresses to more than ${MAX_ENTRY_BYTES / 1024 / 1024} MB`);
      budget.spend(chunk.length, file.name);
      chunks.get(file.name)?.push(chunk);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let i = 0; i < bytes.length; i += UNZIP_PUSH_BYTES) {
      const end = Math.min(bytes.length, i + UNZIP_PUSH_BYTES);
      unzip.push(bytes.subarray(i, end), end === bytes.length);
      deadline.check();
    }
  } catch (err) {
    if (err instanceof DocumentParseError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw corrupt(`not a readable zip archive (${message})`, err);
  }
  const out = new Map<string, string>();
  const decoder = new TextDecoder();
  for (const [name, parts] of chunks) {
    const all = new Uint8Array(sizes.get(name) ?? 0);
    let offset = 0;
    for (const p of parts) {
      all.set(p, offset);
      offset += p.length;
    }
    out.set(name, decoder.decode(all));
  }
  return out;
}

/**
 * Heading level of a paragraph: -1 for body text, 0 for the Title style, n for
 * heading n. Style ids are localised in some Word versions ("berschrift1", "1"), hence
 * the lookup of the style's English name in styles.xml.
 */
function headingLevel(paragraph: string, styleLevels: Map<string, number>): number {
  const styleId = /<w:pStyle\s+w:val="([^"]+)"/.exec(paragraph)?.[1];
  if (styleId !== undefined) {
    const known = styleLevels.get(styleId);
    if (known !== undefined) return known;
    if (/^title$/i.test(styleId)) return 0;
    const m = /^heading\s*([1-9])$/i.exec(styleId);
    if (m) return Number(m[1]);
  }
  const outline = /<w:outlineLvl\s+w:val="([0-8])"/.exec(paragraph)?.[1];
  return outline === undefined ? -1 : Number(outline) + 1;
}

function readStyleLevels(stylesXml: string): Map<string, number> {
  const levels = new Map<string, number>();
  for (const m of stylesXml.matchAll(/<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>([\s\S]*?)<\/w:style>/g)) {
    const id = m[1] ?? "";
    const name = /<w:name\s+w:val="([^"]+)"/.exec(m[2] ?? "")?.[1]?.toLowerCase() ?? "";
    if (name === "title") levels.set(id, 0);
    const heading = /^heading\s*([1-9])$/.exec(name);
    if (heading) levels.set(id, Number(heading[1]));
  }
  return levels;
}

/** Text runs of one paragraph; deleted revisions (w:delText) are not included. */
function paragraphText(paragraph: string): string {
  let out = "";
  for (const m of paragraph.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>|<w:cr\/>/g)) {
    if (m[1] !== undefined) out += decodeEntities(m[1]);
    else out += m[0] === "<w:tab/>" ? "\t" : "\n";
  }
  return out.replace(/[ \t]+/g, " ").trim();
}

function readCoreTitle(coreXml: string): string {
  const raw = /<dc:title>([\s\S]*?)<\/dc:title>/.exec(coreXml)?.[1] ?? "";
  return decodeEntities(raw).trim();
}
