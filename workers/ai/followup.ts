/**
 * Short follow-ups keep the conversation's topic (issue 18, answers 4): "and the one after
 * that?", "What about Germany?", "¿Y a Alemania?", "Et pour l'Australie ?", "а в Канаду?"
 * carry no category of their own; they continue the previous question, with the new
 * entity replacing the old one. Pure.
 */

const CONNECTOR =
  /^\s*[¿¡]?\s*(?:and|but|what about|how about|also|or|same for|и|а|ну а|а как|а что|а если|ו|ומה|ומה לגבי|ולגבי|y|y qué|y para|y en|qué tal|et|et pour|et si|et en|ou|pareil pour)(?![\p{L}])/iu;

/** Does this message read as a follow-up to the previous question rather than a new request? */
export function isFollowUp(text: string): boolean {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  if (words === 0 || words > 7) return false;
  return CONNECTOR.test(text) || words <= 3;
}

/** The customer's previous message in the history, if any. */
export function previousCustomerText(history: Array<{ role: string; text: string }>): string | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i];
    if (h?.role === "customer" && h.text.trim()) return h.text;
  }
  return null;
}
