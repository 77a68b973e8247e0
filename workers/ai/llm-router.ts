/**
 * The LLM router: consulted only when the local classifier is unsure
 * (`needsLlmRouter`) and a model provider is configured. The model picks the category
 * and secondary intents as JSON; escalation, urgency, language and extracted contact
 * details stay with the local rules, which a model cannot talk out of a red line.
 */
import { z } from "zod";
import { CATEGORY_KEYS } from "../lib/categories.ts";
import {
  chatWithFallback,
  DEFAULT_RETRY,
  FallbackExhaustedError,
  type Attempt,
  type ProviderTarget,
  type RetryPolicy,
} from "./providers/resilient.ts";
import type { ChatResponse } from "./providers/types.ts";
import type { RouteResult } from "./router/types.ts";

const Answer = z.object({
  primary: z.enum(CATEGORY_KEYS),
  secondary: z.array(z.enum(CATEGORY_KEYS)).default([]),
  confidence: z.number().min(0).max(1).default(0.7),
});

/** What each category covers, so a model routes by meaning rather than by the key's name. */
export const CATEGORY_DESCRIPTIONS: Record<(typeof CATEGORY_KEYS)[number], string> = {
  general_question:
    "questions about the shop, the boxes, plans, prices, policies, or the customer's own plan and dates",
  shipping_inquiry: "where a box is, tracking, delivery times, carriers, customs",
  change_address: "changing the delivery address",
  change_frequency: "changing how often boxes come (monthly, every two months, quarterly)",
  skip_month: "skipping one upcoming box",
  damaged_item: "a damaged, broken, leaking or missing item in a delivered box",
  payment_issue: "failed or declined payments, charges, refunds, payment methods, invoices",
  pause_subscription: "pausing deliveries for a while",
  cancel_subscription: "cancelling the subscription (a message that says it does NOT want to cancel is not this)",
  other: "anything outside these topics",
};

const SYSTEM =
  `You route customer-support messages of a subscription-box shop. Categories:\n` +
  CATEGORY_KEYS.map((k) => `- ${k}: ${CATEGORY_DESCRIPTIONS[k]}`).join("\n") +
  `\nA short follow-up ("and Germany?") continues the earlier topic. ` +
  `Reply with JSON only: {"primary": <category>, "secondary": [<other categories the customer also asked about>], "confidence": <0..1>}.`;

/** Extracts the first JSON object of a model answer (models sometimes wrap it in prose). */
export function firstJsonObject(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return null;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
}

/**
 * The router may hold a turn up to this long before the local route is used: it runs
 * before the agent, so its wait adds to the customer's.
 */
export const ROUTER_BUDGET_MS = 3_000;

/** Refines a low-confidence local route with a model; returns the local route on any failure, with the attempts. */
export async function llmRoute(
  targets: ProviderTarget[],
  text: string,
  local: RouteResult,
  retry?: RetryPolicy,
  context: { history?: string[]; budgetMs?: number } = {},
): Promise<{ route: RouteResult; response: ChatResponse | null; attempts: Attempt[] }> {
  if (targets.length === 0) return { route: local, response: null, attempts: [] };
  const policy: RetryPolicy = {
    ...(retry ?? DEFAULT_RETRY),
    retries: retry?.retries ?? 0,
    deadline: Date.now() + (context.budgetMs ?? ROUTER_BUDGET_MS),
  };
  const history = (context.history ?? []).slice(-4).map((h) => h.slice(0, 300));
  try {
    const { response, attempts } = await chatWithFallback(
      targets,
      {
        model: "",
        json: true,
        maxTokens: 120,
        temperature: 0,
        messages: [
          { role: "system", content: SYSTEM },
          ...(history.length
            ? [{ role: "user" as const, content: `Earlier in this conversation:\n${history.join("\n")}` }]
            : []),
          { role: "user", content: text.slice(0, 2000) },
        ],
      },
      policy,
    );
    const parsed = Answer.safeParse(firstJsonObject(response.text));
    if (!parsed.success) return { route: local, response, attempts };
    const secondary = parsed.data.secondary.filter(
      (c, i, a) => c !== parsed.data.primary && c !== "other" && a.indexOf(c) === i,
    );
    return {
      route: {
        ...local,
        primary: parsed.data.primary,
        secondary,
        confidence: parsed.data.confidence,
        source: response.provider,
      },
      response,
      attempts,
    };
  } catch (err) {
    return { route: local, response: null, attempts: err instanceof FallbackExhaustedError ? err.attempts : [] };
  }
}
