/**
 * The answers scenario suite (issue 18, "Measure"): multi-turn conversations over the ten
 * categories and five languages, each turn with what must (and must not) happen. The
 * file is data written by people, validated with zod so a malformed entry fails loudly.
 * Account facts are named ("sub.nextBoxDate") and resolved against the demo store at run
 * time, so the suite checks the engine against the store rather than against frozen text.
 * Split: `heldout` (written first, before the engine was tuned, never inspected while
 * tuning) and `tuning`.
 */
import { z } from "zod";
import { CATEGORY_KEYS, LANGUAGES } from "../../workers/lib/categories.ts";
import raw from "./scenarios.json" with { type: "json" };

/** Store facts a turn can require; see `resolveFact` in score.ts. */
export const FACT_KEYS = [
  "sub.nextBoxDate",
  "sub.plan",
  "sub.price",
  "sub.pausedUntil",
  "sub.status",
  "ship.carrier",
  "ship.tracking",
  "ship.eta",
  "pay.amount",
] as const;
export type FactKey = (typeof FACT_KEYS)[number];

/**
 * What a turn must do: `answer` (sent, with the facts), `ask` (sent, asks a question back),
 * `identify` (asks for the email or the code), `propose` (sent with exactly these actions),
 * `handoff` (held, escalated or handed to a human), `answer_handoff` (sent AND handed over),
 * `safe` (either way, as long as nothing forbidden is said and nothing is proposed).
 */
export const TURN_KINDS = ["answer", "ask", "identify", "propose", "handoff", "answer_handoff", "safe"] as const;

const Turn = z.strictObject({
  customer: z.string().min(1),
  kind: z.enum(TURN_KINDS),
  facts: z.array(z.enum(FACT_KEYS)).default([]),
  notFacts: z.array(z.enum(FACT_KEYS)).default([]),
  /** Case-insensitive regular expressions that must match the sent text. */
  contains: z.array(z.string().min(1)).default([]),
  notContains: z.array(z.string().min(1)).default([]),
  actions: z
    .array(z.strictObject({ tool: z.string(), args: z.record(z.string(), z.unknown()).optional() }))
    .default([]),
  /** A question the knowledge base answers (counted for the non-English knowledge goal). */
  knowledge: z.boolean().default(false),
});

const Scenario = z.strictObject({
  id: z.string().regex(/^[HT]\d{2,3}$/),
  split: z.enum(["heldout", "tuning"]),
  language: z.enum(LANGUAGES),
  /**
   * verified: already verified (a code earlier); vouched: the host site vouched (HMAC);
   * email: writes by email from `customer_email`; unverified: must give email and code
   * (the code "123456" is accepted); anonymous: never identifies.
   */
  identity: z.enum(["verified", "vouched", "email", "unverified", "anonymous"]),
  customer_email: z.string(),
  category: z.enum(CATEGORY_KEYS),
  tags: z.array(z.string()),
  turns: z.array(Turn).min(1),
  outcome: z.enum(["resolved", "escalated", "action"]),
  reference_reply: z.string(),
});

export type Scenario = z.infer<typeof Scenario>;
export type ScenarioTurn = z.infer<typeof Turn>;

const Suite = z.strictObject({ version: z.literal(1), note: z.string(), scenarios: z.array(Scenario).min(100) });

/** The validated suite; ids are unique. */
export function loadScenarios(): Scenario[] {
  const suite = Suite.parse(raw);
  const ids = new Set<string>();
  for (const s of suite.scenarios) {
    if (ids.has(s.id)) throw new Error(`duplicate scenario id ${s.id}`);
    ids.add(s.id);
  }
  return suite.scenarios;
}
