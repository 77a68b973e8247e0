/**
 * The LLM router: consulted only when the local classifier is unsure
 * (`needsLlmRouter`) and a model provider is configured. The model picks the category
 * and secondary intents as JSON; escalation, urgency, language and extracted contact
 * details stay with the local rules, which a model cannot talk out of a red line.
 */
import { z } from "zod";
import { CATEGORY_KEYS } from "../lib/categories.ts";
import { chatWithFallback, type ProviderTarget, type RetryPolicy } from "./providers/resilient.ts";
import type { ChatResponse } from "./providers/types.ts";
import type { RouteResult } from "./router/types.ts";

const Answer = z.object({
  primary: z.enum(CATEGORY_KEYS),
  secondary: z.array(z.enum(CATEGORY_KEYS)).default([]),
  confidence: z.number().min(0).max(1).default(0.7),
});

const SYSTEM =
  `You route customer-support messages of a subscription-box shop. Categories: ${CATEGORY_KEYS.join(", ")}. ` +
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

/** Refines a low-confidence local route with a model; returns the local route on any failure. */
export async function llmRoute(
  targets: ProviderTarget[],
  text: string,
  local: RouteResult,
  retry?: RetryPolicy,
): Promise<{ route: RouteResult; response: ChatResponse | null }> {
  if (targets.length === 0) return { route: local, response: null };
  try {
    const { response } = await chatWithFallback(
      targets,
      {
        model: "",
        json: true,
        maxTokens: 120,
        temperature: 0,
        messages: [
          { role: "system", content: SYSTEM },
          { role: "user", content: text.slice(0, 2000) },
        ],
      },
      retry,
    );
    const parsed = Answer.safeParse(firstJsonObject(response.text));
    if (!parsed.success) return { route: local, response };
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
    };
  } catch {
    return { route: local, response: null };
  }
}
