/**
 * Substring search with SQL LIKE, bounded. D1 limits a LIKE pattern to 50 bytes
 * (SQLITE_LIMIT_LIKE_PATTERN_LENGTH); a longer one fails the whole query, which the API
 * answered with a 500. The search text is validated instead: at most MAX_LIKE_TERM_BYTES
 * of UTF-8 once LIKE's wildcards are removed, so `%term%` always fits.
 */

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
