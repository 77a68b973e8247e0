/**
 * Text helpers for provider length limits (button titles, captions). Truncation works on
 * grapheme clusters so an emoji or a Cyrillic letter is never cut in half.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Truncate to at most `max` grapheme clusters (UTF-16 units are also kept within `max`,
 * since providers count those), ending with "…" when anything was cut.
 */
export function truncateText(text: string, max: number): string {
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment);
  if (graphemes.length <= max && text.length <= max) return text;
  let out = "";
  for (const g of graphemes) {
    if (out.length + g.length > max - 1) break;
    out += g;
  }
  return `${out.trimEnd()}…`;
}

/** UTF-8 byte length, for limits expressed in bytes (Telegram callback_data ≤ 64). */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
