/**
 * Finders for data that must never reach a customer: system-prompt sentences (fuzzy,
 * so re-casing, re-spacing or light paraphrase does not slip through), configured
 * internal markers, secret-shaped tokens, and e-mail addresses that are not the
 * customer's own. Shared by the draft check and by redaction.
 */
import { SECRET_SHAPES } from "./draft-patterns.ts";
import { compact, fold, findEmails, words } from "./text.ts";
import type { TurnContext } from "./types.ts";

/** Overlap with a prompt sentence from which a draft is blocked. */
export const PROMPT_BLOCK_OVERLAP = 0.5;
/** Overlap with a prompt sentence from which a draft goes to human review. */
export const PROMPT_REVIEW_OVERLAP = 0.3;

/** Share of a fingerprint's word trigrams that appear in the text, in [0, 1]. */
export function trigramOverlap(fingerprint: string, text: string): number {
  const fp = words(fold(fingerprint));
  if (fp.length < 3) return 0;
  const grams = (ws: string[]): Set<string> => {
    const out = new Set<string>();
    for (let i = 0; i + 2 < ws.length; i++) out.add(`${ws[i]} ${ws[i + 1]} ${ws[i + 2]}`);
    return out;
  };
  const have = grams(words(fold(text)));
  const want = grams(fp);
  let hit = 0;
  for (const g of want) if (have.has(g)) hit++;
  return hit / want.size;
}

/** How strongly a fingerprint shows up in text: exact-ish containment counts as 1. */
export function fingerprintScore(fingerprint: string, text: string): number {
  const fpWords = words(fold(fingerprint)).join(" ");
  if (fpWords.length === 0) return 0;
  const textWords = words(fold(text)).join(" ");
  if (textWords.includes(fpWords)) return 1;
  const fpCompact = compact(fold(fingerprint));
  if (fpCompact.length >= 16 && compact(fold(text)).includes(fpCompact)) return 1;
  return trigramOverlap(fingerprint, text);
}

/** Configured markers present in text (case, spacing and punctuation ignored for long ones). */
export function leakedMarkers(text: string, markers: string[]): string[] {
  const folded = fold(text);
  const packed = compact(folded);
  return markers.filter((m) => {
    const fm = fold(m).trim();
    if (fm.length === 0) return false;
    if (folded.includes(fm)) return true;
    const cm = compact(fm);
    return cm.length >= 8 && packed.includes(cm);
  });
}

/** Secret-shaped tokens (API keys, JWTs, private keys) in text. */
export function secretTokens(text: string): string[] {
  const out: string[] = [];
  for (const re of SECRET_SHAPES) out.push(...(text.match(new RegExp(re.source, re.flags)) ?? []));
  return out;
}

/** E-mail addresses in text that are not the customer's, split by whether they are known. */
export function foreignEmails(text: string, ctx: TurnContext): { known: string[]; unknown: string[] } {
  const own = ctx.customer.email?.toLowerCase() ?? null;
  const others = new Set((ctx.otherCustomerEmails ?? []).map((e) => e.toLowerCase()));
  const known: string[] = [];
  const unknown: string[] = [];
  for (const email of new Set(findEmails(text))) {
    if (email === own) continue;
    (others.has(email) ? known : unknown).push(email);
  }
  // Spelled-out addresses ("maria dot gonzalez at example dot net") still leak.
  const packed = compact(fold(text));
  for (const email of others) {
    const local = compact(email.split("@")[0] ?? "");
    if (!known.includes(email) && local.length >= 6 && packed.includes(local)) known.push(email);
  }
  return { known, unknown };
}
