/**
 * Splits parsed documents into retrieval chunks. Section boundaries always end a chunk
 * (a chunk never mixes two headings); long sections are packed sentence by sentence up
 * to a token budget, and consecutive chunks of one section share an overlap so a fact
 * cut at a boundary is still whole in one of them.
 */
import type { Chunk, ParsedDocument } from "./types.ts";

export interface ChunkOptions {
  /** Budget per chunk in estimated tokens (default 350). */
  targetTokens?: number;
  /** Tokens of the previous chunk repeated at the start of the next (default 60). */
  overlapTokens?: number;
}

interface Unit {
  text: string;
  /** Separator placed before this unit when it follows another one. */
  sep: string;
  tokens: number;
  page: number | undefined;
}

/**
 * Token estimate without a tokenizer: BPE vocabularies average about 1.3 tokens per
 * English word (more for rare words, fewer for short ones); this is only used for
 * budgets, never for billing.
 */
export function estimateTokens(text: string): number {
  const words = text.match(/\S+/g)?.length ?? 0;
  return Math.ceil(words * 1.3);
}

/** Chunks a document; ordinals run from 0 across the whole document. */
export function chunkDocument(doc: ParsedDocument, options: ChunkOptions = {}): Chunk[] {
  const target = Math.max(20, options.targetTokens ?? 350);
  const overlap = Math.max(0, Math.min(options.overlapTokens ?? 60, Math.floor(target / 2)));
  const chunks: Chunk[] = [];
  for (const block of groupByHeading(doc.sections)) {
    const units = block.sections.flatMap((s, i) => toUnits(s.text, s.page, target, i > 0));
    for (const packed of pack(units, target, overlap)) {
      const chunk: Chunk = {
        ordinal: chunks.length,
        text: packed.text,
        heading: [...block.heading],
        tokenCount: estimateTokens(packed.text),
      };
      if (packed.page !== undefined) chunk.page = packed.page;
      chunks.push(chunk);
    }
  }
  return chunks;
}

/**
 * The text that is embedded for a chunk: document title and heading path first, so a
 * question about "cancelling" finds a passage under "Cancelling your subscription" even
 * when the passage itself never repeats the word.
 */
export function chunkEmbeddingText(chunk: Chunk, docTitle: string): string {
  const path = chunk.heading[0] === docTitle ? chunk.heading : [docTitle, ...chunk.heading];
  return `${path.join(" › ")}\n\n${chunk.text}`;
}

/** Adjacent sections with the same heading path (a section running over a page break) form one block. */
function groupByHeading(
  sections: ParsedDocument["sections"],
): Array<{ heading: string[]; sections: ParsedDocument["sections"] }> {
  const blocks: Array<{ heading: string[]; sections: ParsedDocument["sections"] }> = [];
  for (const section of sections) {
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.heading.join("\u0000") === section.heading.join("\u0000"))
      last.sections.push(section);
    else blocks.push({ heading: section.heading, sections: [section] });
  }
  return blocks;
}

/**
 * Paragraphs → lines → sentences; anything still over budget is cut by words.
 * `continued` marks a section continuing its block (after a page break): a new paragraph.
 */
function toUnits(text: string, page: number | undefined, target: number, continued: boolean): Unit[] {
  const units: Unit[] = [];
  text.split(/\n\s*\n/).forEach((paragraph, p) => {
    paragraph.split("\n").forEach((line, l) => {
      const sentences = line.split(/(?<=[.!?…])\s+(?=\S)/u);
      sentences.forEach((sentence, s) => {
        const sep = s > 0 ? " " : l > 0 ? "\n" : p > 0 || continued ? "\n\n" : "";
        for (const [i, piece] of splitByWords(sentence.trim(), target).entries()) {
          if (piece !== "") units.push({ text: piece, sep: i > 0 ? " " : sep, tokens: estimateTokens(piece), page });
        }
      });
    });
  });
  return units;
}

function splitByWords(sentence: string, target: number): string[] {
  if (estimateTokens(sentence) <= target) return [sentence];
  const words = sentence.split(/\s+/);
  const perPiece = Math.max(1, Math.floor(target / 1.3));
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += perPiece) pieces.push(words.slice(i, i + perPiece).join(" "));
  return pieces;
}

function pack(units: Unit[], target: number, overlap: number): Array<{ text: string; page: number | undefined }> {
  const out: Array<{ text: string; page: number | undefined }> = [];
  let current: Unit[] = [];
  let tokens = 0;
  let fresh = 0; // units in `current` that are not overlap from the previous chunk
  const emit = (): void => {
    out.push({ text: current.map((u, i) => (i === 0 ? u.text : u.sep + u.text)).join(""), page: current[0]?.page });
  };
  for (const unit of units) {
    if (current.length > 0 && fresh > 0 && tokens + unit.tokens > target) {
      emit();
      current = overlapTail(current, overlap);
      tokens = current.reduce((n, u) => n + u.tokens, 0);
      fresh = 0;
      // The overlap must leave room for the new unit, otherwise drop it.
      if (tokens + unit.tokens > target) {
        current = [];
        tokens = 0;
      }
    }
    current.push(unit);
    tokens += unit.tokens;
    fresh++;
  }
  if (fresh > 0) emit();
  return out;
}

/** Whole trailing units whose tokens fit in the overlap budget (never the whole chunk). */
function overlapTail(units: Unit[], overlap: number): Unit[] {
  const tail: Unit[] = [];
  let tokens = 0;
  for (let i = units.length - 1; i > 0; i--) {
    const unit = units[i];
    if (unit === undefined || tokens + unit.tokens > overlap) break;
    tail.unshift(unit);
    tokens += unit.tokens;
  }
  return tail;
}
