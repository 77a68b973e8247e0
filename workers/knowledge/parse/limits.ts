/**
 * Resource limits for parsing untrusted documents. A 361 KB DOCX can inflate to 301 MB
 * and a PDF stream to 200 MB; parsing either took the runtime to gigabytes and minutes.
 * Here: decompression is streamed through a byte counter (per entry and in total) and
 * stops at the cap, PDFs are limited in pages, and every parse has a deadline checked
 * between units of work (pages, entries). A document refused for size fails with a reason
 * that starts with SIZE_FAILURE_PREFIX and is never parsed again (reindex refuses it).
 *
 * fflate's streaming inflaters are used with small input pushes: one push of n compressed
 * bytes yields at most ~1032·n bytes, so the overshoot past a cap stays a few MB.
 */
import { Inflate, Unzlib } from "fflate";
import { DocumentParseError } from "../errors.ts";
import type { DocumentKind } from "../types.ts";

/** Largest decompressed DOCX part we read (a 500-page document.xml is ~10 MB). */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
/** All decompressed parts of one document together. */
export const MAX_TOTAL_BYTES = 48 * 1024 * 1024;
export const MAX_PDF_PAGES = 1000;
/** Wall time for one parse; a queue invocation has minutes, a parse should need seconds. */
export const PARSE_DEADLINE_MS = 60_000;
/** Reasons of documents refused for size begin with this (see `isSizeFailure`). */
export const SIZE_FAILURE_PREFIX = "too large:";
const PUSH_BYTES = 4096;

export function tooLarge(kind: DocumentKind, detail: string): DocumentParseError {
  return new DocumentParseError(kind, `${SIZE_FAILURE_PREFIX} ${detail}`);
}

/** Whether a document's failure reason says it was refused for its size (never retried). */
export function isSizeFailure(reason: string | null | undefined): boolean {
  return typeof reason === "string" && reason.startsWith(SIZE_FAILURE_PREFIX);
}

/** A parse deadline, checked between units of work. */
export class Deadline {
  private readonly end: number;
  private readonly kind: DocumentKind;
  constructor(kind: DocumentKind, ms = PARSE_DEADLINE_MS) {
    this.kind = kind;
    this.end = Date.now() + ms;
  }
  check(): void {
    if (Date.now() > this.end)
      throw tooLarge(this.kind, `parsing took longer than ${Math.round(PARSE_DEADLINE_MS / 1000)} s`);
  }
}

/** Shared byte budget of one document. */
export class ByteBudget {
  used = 0;
  readonly kind: DocumentKind;
  readonly total: number;
  constructor(kind: DocumentKind, total = MAX_TOTAL_BYTES) {
    this.kind = kind;
    this.total = total;
  }
  spend(n: number, what: string): void {
    this.used += n;
    if (this.used > this.total)
      throw tooLarge(this.kind, `${what} decompresses to more than ${this.total / 1024 / 1024} MB in total`);
  }
}

/**
 * Inflates `data` (zlib-wrapped or raw deflate) through the caps: throws the size
 * DocumentParseError once the output passes `entryCap` or the budget. With `keep`
 * false only counts (the PDF pre-scan). Corrupt data ends the stream quietly: whether it
 * is readable is the parser's question, not this one's.
 */
export function inflateCapped(
  data: Uint8Array,
  opts: { zlib: boolean; entryCap: number; budget: ByteBudget; what: string; keep: boolean },
): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let size = 0;
  const onChunk = (chunk: Uint8Array) => {
    size += chunk.length;
    if (size > opts.entryCap)
      throw tooLarge(opts.budget.kind, `${opts.what} decompresses to more than ${opts.entryCap / 1024 / 1024} MB`);
    opts.budget.spend(chunk.length, opts.what);
    if (opts.keep) parts.push(chunk);
  };
  const stream = opts.zlib ? new Unzlib(onChunk) : new Inflate(onChunk);
  try {
    for (let i = 0; i < data.length; i += PUSH_BYTES) {
      const end = Math.min(data.length, i + PUSH_BYTES);
      stream.push(data.subarray(i, end), end === data.length);
    }
  } catch (err) {
    if (err instanceof DocumentParseError) throw err;
    if (!opts.keep) return null;
    throw err;
  }
  if (!opts.keep) return null;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
