/**
 * Substring search with SQL LIKE, bounded. D1 limits a LIKE pattern to 50 bytes
 * (SQLITE_LIMIT_LIKE_PATTERN_LENGTH); a longer one fails the whole query, which the API
 * answered with a 500. The search text is validated instead: at most MAX_LIKE_TERM_BYTES
 * of UTF-8 once LIKE's wildcards are removed, so `%term%` always fits.
 */
import { z } from "zod";

export const MAX_LIKE_TERM_BYTES = 48;

const encoder = new TextEncoder();

/** The term as it goes between the two `%`: wildcards removed (they would match anything). */
export function likeTerm(text: string): string {
  return text.replace(/[%_]/g, "");
}

export function likeTermBytes(text: string): number {
  return encoder.encode(likeTerm(text)).length;
}

/** `%term%` for a validated term. */
export function containsPattern(text: string): string {
  return `%${likeTerm(text)}%`;
}

/** A query parameter searched with LIKE: refused with a clear 400 when it cannot fit. */
export function likeSearchText(maxChars: number) {
  return z
    .string()
    .max(maxChars)
    .refine((v) => likeTermBytes(v) <= MAX_LIKE_TERM_BYTES, {
      message: `Search text is limited to ${MAX_LIKE_TERM_BYTES} bytes (about ${MAX_LIKE_TERM_BYTES} Latin or ${MAX_LIKE_TERM_BYTES / 2} Cyrillic or Hebrew letters)`,
    });
}
