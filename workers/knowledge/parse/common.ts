/**
 * Small helpers shared by the parsers: decoding text, tidying whitespace and keeping a
 * heading stack so every section knows its heading path.
 */
import { DocumentParseError } from "../errors.ts";
import { decodeUtf8Text } from "../sniff.ts";
import type { DocumentKind, ParsedDocument } from "../types.ts";

export type Section = ParsedDocument["sections"][number];

/** Decodes UTF-8 text (BOM dropped), or throws a parse error naming the kind. */
export function decodeDocumentText(bytes: Uint8Array, kind: DocumentKind): string {
  const text = decodeUtf8Text(bytes);
  if (text === null) throw new DocumentParseError(kind, "not a UTF-8 text file");
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** Collapses runs of spaces and tabs, trims every line and keeps at most one blank line. */
export function tidyText(text: string): string {
  return text
    .replace(/[ \t\u00a0]+/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * Tracks the current heading path while a parser walks a document top to bottom.
 * A heading of level n closes every open heading of level ≥ n.
 */
export class HeadingStack {
  private stack: Array<{ level: number; text: string }> = [];

  push(level: number, text: string): void {
    while (this.stack.length > 0 && (this.stack[this.stack.length - 1]?.level ?? 0) >= level) this.stack.pop();
    this.stack.push({ level, text });
  }

  path(): string[] {
    return this.stack.map((h) => h.text);
  }
}

/**
 * Collects body text under the current heading path and emits a section whenever the
 * heading changes. Empty sections (a heading directly followed by a sub-heading) are
 * dropped: their heading survives in the children's paths.
 */
export class SectionBuilder {
  readonly sections: Section[] = [];
  private heading: string[] = [];
  private lines: string[] = [];
  private page: number | undefined;

  startSection(heading: string[], page?: number): void {
    this.flush();
    this.heading = heading;
    this.page = page;
  }

  addLine(line: string): void {
    this.lines.push(line);
  }

  flush(): void {
    const text = tidyText(this.lines.join("\n"));
    if (text.length > 0) {
      const section: Section = { heading: [...this.heading], text };
      if (this.page !== undefined) section.page = this.page;
      this.sections.push(section);
    }
    this.lines = [];
  }
}

/**
 * A title for a document that names none: its first non-empty line, cut at the end of the
 * first sentence and to at most 80 characters on a word boundary, so a document that opens
 * with a paragraph gets a heading-sized title instead of the whole block.
 */
export function firstLineTitle(text: string, fallback: string): string {
  const line =
    text
      .split("\n")
      .find((l) => l.trim().length > 0)
      ?.trim() ?? "";
  if (line.length === 0) return fallback;
  const sentence = /^(.{12,}?[.!?;:])(?:\s|$)/u.exec(line)?.[1] ?? line;
  const title = sentence.replace(/[.;:]$/u, "");
  if (title.length <= 80) return title;
  const cut = title.slice(0, 80);
  const space = cut.lastIndexOf(" ");
  return `${(space > 40 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/u, "")}…`;
}
