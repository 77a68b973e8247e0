/**
 * The default message router (seed 000, step 1): the local trained classifier plus
 * rules. Multi-intent messages are split into clauses on sentence punctuation and the
 * "and also" words of the five languages; each clause is classified and the first
 * confident intent becomes primary, later distinct ones secondary. Escalation, urgency,
 * language and identifiers come from rules. Runs in well under a millisecond.
 */
import type { CategoryKey } from "../../lib/categories.ts";
import { classify } from "./classifier.ts";
import type { CategoryScore } from "./classifier.ts";
import { extractEmail, extractOrderNumber, extractPhone } from "./extract.ts";
import { detectLanguage } from "./language.ts";
import type { LoadedModel } from "./model.ts";
import { detectEscalation, detectUrgency } from "./rules.ts";
import { negatedCategories } from "./negation.ts";
import type { RouteResult } from "./types.ts";

export type { RouteResult } from "./types.ts";

/** Tuning knobs; the defaults are what the held-out evaluation was measured with. */
export interface RouteOptions {
  /** ISO country for national phone numbers; defaults to IL for Hebrew messages. */
  defaultCountry?: string;
  /** A clause counts as an intent when its top probability reaches this. */
  clauseThreshold?: number;
  /** A whole-message category besides primary counts as secondary at this probability. */
  secondaryThreshold?: number;
  /** Alternative model (tests pass a freshly trained one). */
  model?: LoadedModel;
}

const CLAUSE_THRESHOLD = 0.6;
const SECONDARY_THRESHOLD = 0.35;
const MIN_CLAUSE_WORDS = 2;

/**
 * Clause boundaries: sentence punctuation, commas, and connectors meaning "and also /
 * besides / plus". Hebrew "וגם"/"גם" stand alone; the bare prefix ו cannot be split on.
 */
const CLAUSE_SPLIT =
  /[.!?;¿¡\n]+|,|(?<![\p{L}])(?:and also|and|also|plus|as well as|besides|и ещ[её]|а ещ[её]|а также|также|и(?! не)|кроме того|וגם|גם|בנוסף|y también|y además|además|también|y|et aussi|et en plus|aussi|et|en plus|de plus)(?![\p{L}])/giu;

/** Split a message into candidate intent clauses (short fragments dropped). */
export function splitClauses(text: string): string[] {
  return text
    .split(CLAUSE_SPLIT)
    .map((c) => c.trim())
    .filter((c) => (c.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= MIN_CLAUSE_WORDS);
}

function intentsOf(text: string, model: LoadedModel | undefined, threshold: number): CategoryScore[] {
  const found: CategoryScore[] = [];
  for (const clause of splitClauses(text)) {
    const top = classify(clause, model)[0];
    if (!top || top.category === "other" || top.probability < threshold) continue;
    if (!found.some((f) => f.category === top.category)) found.push(top);
  }
  return found;
}

/** Route one customer message. Pure and synchronous. */
export function routeMessage(text: string, opts: RouteOptions = {}): RouteResult {
  const whole = classify(text, opts.model);
  const top = whole[0] ?? { category: "other" as const, probability: 0 };
  const clauses = intentsOf(text, opts.model, opts.clauseThreshold ?? CLAUSE_THRESHOLD);

  // With two or more distinct confident clause intents the customer raised several
  // things: the first one mentioned leads. Otherwise trust the whole-message argmax.
  let primary: CategoryKey = top.category;
  if (clauses.length >= 2 && clauses[0]) primary = clauses[0].category;
  const secondary: CategoryKey[] = [];
  const addSecondary = (c: CategoryKey): void => {
    if (c !== primary && c !== "other" && !secondary.includes(c)) secondary.push(c);
  };
  [...clauses].sort((a, b) => b.probability - a.probability).forEach((c) => addSecondary(c.category));
  const threshold = opts.secondaryThreshold ?? SECONDARY_THRESHOLD;
  for (const s of whole) if (s.probability >= threshold) addSecondary(s.category);

  // "I do NOT want to cancel, I want to pause": a refused action is not an intent.
  const negated = negatedCategories(text);
  if (negated.length > 0) {
    const allowed = (c: CategoryKey) => !negated.includes(c) && c !== "other";
    if (!allowed(primary)) {
      primary =
        [...secondary, ...clauses.map((c) => c.category), ...whole.map((w) => w.category)].find(allowed) ?? "other";
    }
    const kept = secondary.filter((c) => allowed(c) && c !== primary);
    secondary.splice(0, secondary.length, ...kept);
  }

  const escalateReasons = detectEscalation(text);
  const escalate = escalateReasons.length > 0;
  const language = detectLanguage(text);
  const defaultCountry = opts.defaultCountry ?? (language === "he" ? "IL" : undefined);
  return {
    primary,
    secondary,
    urgency: detectUrgency(text, [primary, ...secondary], escalate),
    escalate,
    escalateReasons,
    language,
    email: extractEmail(text),
    phone: extractPhone(text, defaultCountry),
    orderNumber: extractOrderNumber(text),
    confidence: Math.max(
      whole.find((s) => s.category === primary)?.probability ?? 0,
      clauses.find((c) => c.category === primary)?.probability ?? 0,
    ),
    source: "local",
  };
}

/** True when the local router is unsure and an LLM router should take a second look. */
export function needsLlmRouter(result: RouteResult, threshold = 0.55): boolean {
  return result.source === "local" && result.confidence < threshold;
}
