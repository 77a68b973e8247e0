/**
 * Redaction of a draft before an operator sees it: a blocked draft is still useful as
 * a starting point, but internal markers, secrets, other customers' e-mails and
 * system-prompt sentences must not travel further — not even to an operator screen
 * that may be screenshotted or copied into a reply.
 */
import { PROMPT_REVIEW_OVERLAP, fingerprintScore, secretTokens } from "./leaks.ts";
import { escapeRegExp, findEmails } from "./text.ts";
import type { TurnContext } from "./types.ts";

/** What replaces removed text. */
export const REDACTED = "[redacted]";

/** Remove leaked markers, secrets, foreign e-mails and prompt sentences from a draft. */
export function redactDraft(draft: string, ctx: TurnContext): string {
  let out = draft;
  const markers = [...ctx.internalMarkers].filter((m) => m.trim().length > 0).sort((a, b) => b.length - a.length);
  for (const m of markers) out = out.replace(new RegExp(escapeRegExp(m.trim()), "giu"), REDACTED);
  for (const token of secretTokens(out)) out = out.split(token).join(REDACTED);

  const own = ctx.customer.email?.toLowerCase() ?? null;
  for (const email of findEmails(out)) {
    if (email !== own) out = out.replace(new RegExp(escapeRegExp(email), "giu"), REDACTED);
  }

  for (const fp of ctx.systemPromptFingerprints) {
    if (fp.trim().length > 0) out = out.replace(new RegExp(escapeRegExp(fp.trim()), "giu"), REDACTED);
  }
  // Paraphrased prompt sentences: drop the whole sentence that resembles one.
  if (ctx.systemPromptFingerprints.length > 0) {
    out = out.replace(/[^.!?\n]+[.!?]?/g, (sentence) =>
      ctx.systemPromptFingerprints.some((fp) => fingerprintScore(fp, sentence) >= PROMPT_REVIEW_OVERLAP)
        ? REDACTED
        : sentence,
    );
  }
  return out;
}
