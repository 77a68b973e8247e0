/**
 * HTML: a tolerant tag walk (no DOM in Workers). Boilerplate containers (script, style,
 * nav, footer, forms, svg…) are dropped; h1–h6 open sections; block tags end lines;
 * table cells are joined with " | " so a row stays one readable line.
 */
import { DocumentParseError } from "../errors.ts";
import type { ParsedDocument } from "../types.ts";
import { decodeDocumentText, firstLineTitle, HeadingStack, SectionBuilder } from "./common.ts";
import { decodeEntities } from "../../lib/entities.ts";

const DROPPED = [
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "nav",
  "footer",
  "form",
  "iframe",
  "select",
  "button",
  "aside",
];
/** Block tags that end a line but not a paragraph. */
const LINE = new Set(["br", "li", "tr", "dt", "dd", "option"]);
const BLOCK = new Set([
  "p",
  "div",
  "br",
  "li",
  "ul",
  "ol",
  "tr",
  "table",
  "section",
  "article",
  "main",
  "header",
  "blockquote",
  "pre",
  "dd",
  "dt",
  "dl",
  "figure",
  "figcaption",
  "hr",
  "body",
  "caption",
  "address",
]);
const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?>|([^<]+)|</g;

/** Parses an HTML page into heading-path sections with decoded text. */
export async function parseHtml(bytes: Uint8Array): Promise<ParsedDocument> {
  const { title, sections } = htmlToSections(decodeDocumentText(bytes, "html"));
  if (sections.length === 0) throw new DocumentParseError("html", "no readable text in the page");
  return { kind: "html", title, sections };
}

/** The pure core of parseHtml, also used by the crawler on fetched pages. */
export function htmlToSections(html: string): { title: string; sections: ParsedDocument["sections"] } {
  const titleMatch = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  let title = titleMatch ? cleanInlineText(titleMatch[1] ?? "") : "";
  const body = stripDropped(
    html.replace(/<!--[\s\S]*?-->|<![^>]*>|<\?[^>]*>/g, "").replace(/<head\b[\s\S]*?<\/head>/i, ""),
  );

  const headings = new HeadingStack();
  const builder = new SectionBuilder();
  let line = "";
  let headingLevel = 0;
  let headingText = "";
  let firstH1 = "";

  const endLine = (paragraph = true): void => {
    if (line.trim() !== "") builder.addLine(line);
    if (paragraph) builder.addLine("");
    line = "";
  };

  for (const m of body.matchAll(TOKEN)) {
    const [, closing, rawName, text] = m;
    if (text !== undefined || rawName === undefined) {
      const chunk = decodeEntities(text ?? "<").replace(/\s+/g, " ");
      if (headingLevel > 0) headingText += chunk;
      else line += chunk;
      continue;
    }
    const name = rawName.toLowerCase();
    const h = /^h([1-6])$/.exec(name);
    if (h) {
      if (closing === "") {
        endLine();
        headingLevel = Number(h[1]);
        headingText = "";
      } else if (headingLevel > 0) {
        const text = headingText.replace(/\s+/g, " ").trim();
        if (text.length > 0) {
          if (headingLevel === 1 && firstH1 === "") firstH1 = text;
          headings.push(headingLevel, text);
          builder.startSection(headings.path());
        }
        headingLevel = 0;
      }
      continue;
    }
    if (name === "td" || name === "th") {
      if (closing === "" && line.trim() !== "") line += " | ";
      continue;
    }
    if (BLOCK.has(name) || LINE.has(name)) {
      if (headingLevel > 0) headingText += " ";
      else endLine(!LINE.has(name));
    }
  }
  endLine();
  builder.flush();

  if (title === "") title = firstH1 || firstLineTitle(builder.sections[0]?.text ?? "", "Untitled");
  return { title, sections: builder.sections };
}

function stripDropped(html: string): string {
  let out = html;
  for (const tag of DROPPED) {
    out = out.replace(new RegExp(`<${tag}\\b[\\s\\S]*?<\\/${tag}\\s*>`, "gi"), " ");
  }
  return out;
}

function cleanInlineText(text: string): string {
  return decodeEntities(text.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}
