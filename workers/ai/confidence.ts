/** How sure the engine is of a reply, for the eval gate (pure). */
import type { GroundingResult } from "./grounding.ts";

/**
 * A reply whose every number, date, code and link was found in the turn's passages or tool
 * results is trustworthy even when the router was only moderately sure of the category:
 * the facts come from the store or the knowledge base, not from a guess. Below this route
 * confidence the category itself is in doubt and grounding cannot help.
 */
export const GROUNDED_MIN_ROUTE = 0.35;
/** Confidence of a fully grounded reply with at least one checked fact (the default "confident" bar). */
export const GROUNDED_CONFIDENCE = 0.8;

/**
 * Confidence for the gate. An answer quoted from the knowledge base whose passage holds
 * at least half of the question's content words (the local agent's bar for answering at
 * all) is as trustworthy as a confident route: 0.5 overlap maps to 0.8, full overlap to 1.
 * A fully grounded reply with facts counts as confident (see {@link GROUNDED_MIN_ROUTE}).
 */
export function gateConfidence(
  routeConfidence: number,
  knowledgeOverlap: number | undefined,
  grounding?: GroundingResult,
): number {
  let c = routeConfidence;
  if (knowledgeOverlap !== undefined) c = Math.max(c, Math.min(1, 0.6 + 0.4 * knowledgeOverlap));
  if (grounding && grounding.claims > 0 && grounding.ungrounded.length === 0 && routeConfidence >= GROUNDED_MIN_ROUTE)
    c = Math.max(c, GROUNDED_CONFIDENCE);
  return c;
}
