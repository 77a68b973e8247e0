import type { CategoryKey, Language, Urgency } from "../../lib/categories.ts";

/** What the router says about one customer message (seed 000, step 1). */
export interface RouteResult {
  primary: CategoryKey;
  /** Further intents in the same message, most confident first, never including primary. */
  secondary: CategoryKey[];
  urgency: Urgency;
  /** True for threats, legal claims, bank disputes and chargebacks: a human takes over at once. */
  escalate: boolean;
  /** Why `escalate` is set (e.g. "legal_threat", "chargeback"); empty when it is not. */
  escalateReasons: string[];
  language: Language;
  email: string | null;
  /** E.164 when it could be normalised, otherwise null. */
  phone: string | null;
  orderNumber: string | null;
  /** Probability-like score of `primary` in [0, 1]. */
  confidence: number;
  /** "local" for the embedded classifier, or the provider id of an LLM router. */
  source: string;
}
