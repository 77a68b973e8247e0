/**
 * The embedded memory extractor: short, durable facts a customer states about themselves,
 * found with patterns in the five supported languages (en, ru, he, es, fr). No model: the
 * LLM path proposes the same shape and goes through the same approval.
 *
 * Patterns are deliberately narrow (a false memory is worse than a missed one) and every
 * fact keeps the customer's own words, so an operator approving it sees what was said.
 */

export const MEMORY_CATEGORIES = ["delivery", "allergy", "contact", "language"] as const;
export type MemoryCategory = (typeof MEMORY_CATEGORIES)[number];

export interface MemoryCandidate {
  category: MemoryCategory;
  fact: string;
  confidence: number;
}

interface Rule {
  category: MemoryCategory;
  pattern: RegExp;
  confidence: number;
}

const RULES: Rule[] = [
  // Delivery timing preferences.
  {
    category: "delivery",
    confidence: 0.8,
    pattern:
      /\b(?:deliver(?:y|ies)?|ship(?:ping)?)\b[^.!?\n]{0,40}?\b(?:after|before|on)\s+the\s+\d{1,2}(?:st|nd|rd|th)?\b/i,
  },
  {
    category: "delivery",
    confidence: 0.8,
    pattern: /(?:достав\p{L}*)[^.!?\n]{0,40}?(?:после|до)\s+\d{1,2}(?:-?го)?(?:\s+числа)?/iu,
  },
  {
    category: "delivery",
    confidence: 0.8,
    pattern: /(?:entrega\p{L}*|env[ií]o\p{L}*)[^.!?\n]{0,40}?(?:despu[eé]s|antes)\s+del\s+\d{1,2}/iu,
  },
  {
    category: "delivery",
    confidence: 0.8,
    pattern: /(?:livraison\p{L}*|livr\p{L}+)[^.!?\n]{0,40}?(?:apr[eè]s|avant)\s+le\s+\d{1,2}/iu,
  },
  { category: "delivery", confidence: 0.8, pattern: /משלוח[^.!?\n]{0,40}?(?:אחרי|לפני)\s+ה?-?\d{1,2}/u },
  // Allergies (the catalogue has food items).
  { category: "allergy", confidence: 0.9, pattern: /\ballergic\s+to\s+[\p{L}\s-]{2,30}/iu },
  { category: "allergy", confidence: 0.9, pattern: /аллерги\p{L}*\s+на\s+[\p{L}\s-]{2,30}/iu },
  { category: "allergy", confidence: 0.9, pattern: /al[eé]rgic[oa]\s+a\s+[\p{L}\s-]{2,30}/iu },
  { category: "allergy", confidence: 0.9, pattern: /allergique\s+(?:à|a|aux)\s+[\p{L}\s-]{2,30}/iu },
  { category: "allergy", confidence: 0.9, pattern: /אלרגי(?:ה|ת)?\s+ל[\p{L}\s-]{2,30}/u },
  // How to reach them.
  {
    category: "contact",
    confidence: 0.7,
    pattern: /\b(?:please\s+)?(?:only\s+)?(?:contact|reach|email|call|text)\s+me\s+(?:by|via|on|at)\s+[\p{L}]{3,12}/iu,
  },
  {
    category: "contact",
    confidence: 0.7,
    pattern: /(?:пишите|звоните|свяжитесь)\s+(?:мне\s+)?(?:только\s+)?(?:в|по|на)\s+\p{L}{3,12}/iu,
  },
  {
    category: "contact",
    confidence: 0.7,
    pattern: /(?:cont[aá]ct(?:e|a)me|escr[ií]be?me|ll[aá]me?me)\s+(?:por|al?)\s+\p{L}{3,12}/iu,
  },
  {
    category: "contact",
    confidence: 0.7,
    pattern: /(?:contactez|[eé]crivez|appelez)[- ]moi\s+(?:par|sur|au)\s+\p{L}{3,12}/iu,
  },
  // Language they want answers in.
  {
    category: "language",
    confidence: 0.7,
    pattern:
      /\b(?:please\s+)?(?:answer|reply|write|speak)\s+(?:to\s+me\s+)?in\s+(?:english|russian|hebrew|spanish|french)\b/i,
  },
  {
    category: "language",
    confidence: 0.7,
    pattern: /(?:отвечайте|пишите)\s+(?:мне\s+)?(?:по-\p{L}+|на\s+\p{L}+\s+языке)/iu,
  },
];

/** Lower-cased, single-spaced, without trailing punctuation: the dedup key within a contact. */
export function factKey(fact: string): string {
  return fact
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[\s.,;:!?]+$/u, "")
    .trim();
}

export function extractMemories(text: string): MemoryCandidate[] {
  const out: MemoryCandidate[] = [];
  const seen = new Set<string>();
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (!m) continue;
    const fact = m[0].replace(/\s+/g, " ").trim().slice(0, 160);
    const key = `${rule.category}:${factKey(fact)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ category: rule.category, fact, confidence: rule.confidence });
  }
  return out;
}
