/** How sure the engine is of a reply, for the eval gate (pure). */
/**
 * Confidence for the gate. An answer quoted from the knowledge base whose passage holds
 * at least half of the question's content words (the local agent's bar for answering at
 * all) is as trustworthy as a confident route: 0.5 overlap maps to 0.8, full overlap to 1.
 */
export function gateConfidence(routeConfidence: number, grounding: number | undefined): number {
  if (grounding === undefined) return routeConfidence;
  return Math.max(routeConfidence, Math.min(1, 0.6 + 0.4 * grounding));
}
