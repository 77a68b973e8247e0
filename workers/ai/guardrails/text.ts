/**
 * Text folding shared by every guardrail. Attackers hide trigger phrases behind case,
 * accents, zero-width characters, Cyrillic look-alikes, leetspeak and spacing; folding
 * the text (and the patterns) the same way lets one readable pattern catch all of them.
 */

const ZERO_WIDTH = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g;
// Combining marks: Latin accents and Hebrew points. Patterns are folded the same way,
// so "annulé" in a pattern still matches "annule" and "annulé" in the text.
const MARKS = /[\u0300-\u036F\u0591-\u05C7]/g;

/** Strip accents and Hebrew points; used on both patterns and text. */
export function stripMarks(text: string): string {
  return text.normalize("NFD").replace(MARKS, "").normalize("NFC");
}

/**
 * Canonical form for matching: NFKC (full-width → ASCII), no zero-width characters,
 * no marks, lower case, straight apostrophes and quotes, single spaces.
 */
export function fold(text: string): string {
  return stripMarks(text.normalize("NFKC").replace(ZERO_WIDTH, ""))
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC\u05F3`´]/g, "'")
    .replace(/[\u201C\u201D\u00AB\u00BB\u05F4]/g, '"')
    .replace(/[ \t\f\v\u00A0\u2000-\u200A\u3000]+/g, " ");
}

// Cyrillic and Greek letters that look Latin, plus common leetspeak digits.
const LOOKALIKES: Record<string, string> = {
  а: "a",
  е: "e",
  о: "o",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  к: "k",
  м: "m",
  т: "t",
  в: "b",
  н: "h",
  і: "i",
  ј: "j",
  ѕ: "s",
  ο: "o",
  α: "a",
  ε: "e",
  ι: "i",
  ν: "v",
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
};

/**
 * Latin skeleton of already folded text: look-alikes and leetspeak mapped to Latin.
 * Only meant for Latin-script patterns (it destroys Russian words on purpose).
 */
export function skeleton(folded: string): string {
  let out = "";
  for (const ch of folded) out += LOOKALIKES[ch] ?? ch;
  return out;
}

/** Letters and digits only — defeats "i g n o r e" and "i.g.n.o.r.e" spacing tricks. */
export function compact(folded: string): string {
  return folded.replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Compile a pattern whose source is folded like the text it runs on. */
export function rx(source: string, flags = ""): RegExp {
  return new RegExp(stripMarks(source), `iu${flags}`);
}

/** Start-of-word guard that also works for Cyrillic and Hebrew (`\b` is ASCII-only). */
export const WB = "(?<![\\p{L}\\p{N}])";
/** End-of-word guard, the counterpart of {@link WB}. */
export const WE = "(?![\\p{L}\\p{N}])";

/**
 * Escape a literal for use inside a RegExp, valid with and without the `u` flag. Only
 * syntax characters are escaped: under `u` an identity escape of anything else ("\-")
 * is a SyntaxError, and a hyphen outside a character class needs no escape.
 */
export function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Words of folded text (letters/digits runs), for n-gram and lexicon work. */
export function words(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** Split text into clauses at sentence and comma boundaries, keeping offsets. */
export function clauses(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  const re = /[^.!?;,\n]+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ text: m[0], start: m.index });
  }
  return out;
}

/** Email addresses in text, lower-cased. */
export function findEmails(text: string): string[] {
  const found = text.match(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu) ?? [];
  return found.map((e) => e.toLowerCase());
}
