/**
 * Tone of agent drafts and sentiment of customer messages, lexicon-based in five
 * languages. `checkTone` feeds the eval gate (a rude, shouting, blaming, empty or
 * rambling draft is never auto-sent); `customerSentiment` is the copilot hint.
 */
import { BLAME, NEGATIVE, NEGATORS, POSITIVE, RUDE } from "./lexicon.ts";
import { fold, words } from "./text.ts";

/** Drafts longer than this read as a wall of text in a chat widget. */
export const MAX_DRAFT_CHARS = 1200;

/** Verdict on one agent draft. `sentiment` is the draft's own polarity in [-1, 1]. */
export interface ToneResult {
  ok: boolean;
  issues: string[];
  sentiment: number;
}

/** Polarity of a customer message. */
export interface Sentiment {
  score: number;
  label: "negative" | "neutral" | "positive";
}

const HEBREW_PREFIXES = "והבלמשכ";

/**
 * The lexicon's stems of 4+ letters in the lexicon's own order, listed once per lexicon:
 * building the entry list for every word was most of a turn's tone check (eval runs score
 * thousands of turns).
 */
const stemLists = new WeakMap<Record<string, number>, Array<[string, number]>>();
function stemsOf(lexicon: Record<string, number>): Array<[string, number]> {
  let list = stemLists.get(lexicon);
  if (!list) {
    list = Object.entries(lexicon).filter(([stem]) => stem.length >= 4);
    stemLists.set(lexicon, list);
  }
  return list;
}

/** Lexicon weight of one folded word, trying stems and one Hebrew prefix. */
function weight(word: string, lexicon: Record<string, number>): number {
  const candidates = [word];
  if (word.length > 3 && HEBREW_PREFIXES.includes(word[0] ?? "")) candidates.push(word.slice(1));
  for (const w of candidates) {
    const exact = lexicon[w];
    if (exact !== undefined) return exact;
    for (const [stem, value] of stemsOf(lexicon)) {
      if (w.startsWith(stem)) return value;
    }
  }
  return 0;
}

/** Lexicon sentiment of free text in en, ru, he, es, fr; negators flip the next 3 words. */
export function customerSentiment(text: string): Sentiment {
  const folded = fold(text);
  const tokens = folded.split(/[^\p{L}\p{N}']+/u).filter((t) => t.length > 0);
  let sum = 0;
  let hits = 0;
  let flip = 0;
  for (const t of tokens) {
    if (NEGATORS.has(t) || t.endsWith("n't")) {
      flip = 3;
      continue;
    }
    const value = weight(t, POSITIVE) - weight(t, NEGATIVE);
    if (value !== 0) {
      sum += flip > 0 ? -value * 0.8 : value;
      hits++;
    }
    if (flip > 0) flip--;
  }
  // Shouting and angry punctuation amplify whatever is already negative.
  if (sum < 0 && (isShouting(text) || /!{2,}/.test(text))) sum *= 1.5;
  const score = hits === 0 ? 0 : Math.max(-1, Math.min(1, sum / Math.sqrt(hits + 1)));
  const rounded = Math.round(score * 100) / 100;
  return { score: rounded, label: rounded <= -0.2 ? "negative" : rounded >= 0.2 ? "positive" : "neutral" };
}

/** ALL-CAPS shouting: mostly upper-case letters over several words (acronyms excluded). */
export function isShouting(text: string): boolean {
  const caseWords = text.split(/\s+/).filter((w) => /\p{Lu}/u.test(w) || /\p{Ll}/u.test(w));
  const loud = caseWords.filter((w) => w.replace(/[^\p{L}]/gu, "").length >= 3 && !/\p{Ll}/u.test(w));
  const letters = text.replace(/[^\p{Lu}\p{Ll}]/gu, "");
  const upper = letters.replace(/[^\p{Lu}]/gu, "").length;
  return loud.length >= 3 && letters.length >= 12 && upper / letters.length > 0.6;
}

/** Check an agent draft's tone. `ok` only when no issue is found. */
export function checkTone(text: string): ToneResult {
  const issues: string[] = [];
  const folded = fold(text);
  if (words(folded).length === 0) issues.push("empty");
  if (RUDE.some((w) => containsWord(folded, w))) issues.push("rude");
  if (isShouting(text)) issues.push("shouting");
  if (BLAME.some((p) => folded.includes(p))) issues.push("blaming");
  if (text.length > MAX_DRAFT_CHARS) issues.push("too_long");
  if (/[!?]{3,}/.test(text)) issues.push("excessive_punctuation");
  return { ok: issues.length === 0, issues, sentiment: customerSentiment(text).score };
}

/** `stem` at the start of a word somewhere in folded text ("idiot" but not "idiom"). */
function containsWord(folded: string, stem: string): boolean {
  for (let at = folded.indexOf(stem); at >= 0; at = folded.indexOf(stem, at + 1)) {
    if (at === 0 || !/[\p{L}\p{N}]/u.test(folded[at - 1] ?? "")) return true;
  }
  return false;
}
