/**
 * Which knowledge retrieval a turn will most likely begin with, guessed from what is known
 * before the turn's first reads (the local classifier's route and the engine state), so the
 * engine can start that retrieval together with those reads instead of after them
 * (issue 17: retrieval is the longest step before a knowledge answer's first token, and the
 * reads before it are D1 round trips it can overlap).
 *
 * The guess only says when to start; the engine uses a retrieval only when the turn asks for
 * the same query and category (engine.ts memoises them per turn), so a wrong guess costs
 * one unused retrieval and never changes an answer. It declines where the turn usually
 * retrieves something else or nothing:
 * - identification under way (an email or a code answers it, and the work text is the
 *   earlier message), an email in the message, or a pending question of ours;
 * - a likely follow-up ("What about Germany?": the query gains the previous question);
 * - an account matter from a customer not yet identified, unless it is a question (the
 *   policy part is then answered next to the email request).
 */
import type { CategoryKey } from "../lib/categories.ts";
import type { RouteResult } from "./router/types.ts";
import { accountFields } from "./agent/account-question.ts";
import { isFollowUp, previousCustomerText } from "./followup.ts";
import { needsAccount, type EngineState } from "./state.ts";

export interface PrefetchInput {
  state: Pick<EngineState, "verified" | "customerRef" | "awaitingEmail" | "awaitingCode" | "ask">;
  route: Pick<RouteResult, "primary" | "email">;
  text: string;
  history: Array<{ role: string; text: string }>;
}

/** The category whose retrieval of the message's own text to start early, or null. */
export function likelyRetrieval(input: PrefetchInput): CategoryKey | null {
  const { state, route, text } = input;
  if (state.awaitingEmail || state.awaitingCode || state.ask || route.email) return null;
  if (isFollowUp(text) && previousCustomerText(input.history)) return null;
  // The engine's own rule: an "other" message that asks about account fields is a general question.
  const primary: CategoryKey =
    route.primary === "other" && accountFields(text).length > 0 ? "general_question" : route.primary;
  const identified = state.verified === true && Boolean(state.customerRef);
  if (!identified && needsAccount(primary, text) && !isQuestion(text)) return null;
  return primary;
}

/** A question rather than a request: a question mark or a question word first, in five languages. */
export function isQuestion(text: string): boolean {
  return /\?|^\s*(?:how|when|what|which|where|why|who|do you|does|can|could|is|are)\b|^\s*(?:как|когда|что|где|почему|сколько|какой|можно)|^\s*(?:איך|מתי|מה|איפה|למה|כמה|האם)|^\s*¿|^\s*(?:cómo|cuándo|qué|dónde|cuánto|cuál)|^\s*(?:comment|quand|quel|quelle|où|pourquoi|combien|est-ce)/iu.test(
    text,
  );
}
