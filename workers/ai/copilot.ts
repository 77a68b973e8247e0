/**
 * Copilot material for the operator panel: the customer's sentiment, and for longer
 * conversations a short extractive summary (first request, latest message, where the
 * conversation stands), computed without a model so it is always available.
 */
import { customerSentiment } from "./guardrails/tone.ts";
import type { TurnHistoryItem } from "./turn-types.ts";

export const SUMMARY_MIN_MESSAGES = 6;

const clip = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Sentiment label of the customer's recent messages. */
export function sentimentOf(history: TurnHistoryItem[], text: string): string {
  const recent = [
    ...history
      .filter((h) => h.role === "customer")
      .slice(-2)
      .map((h) => h.text),
    text,
  ].join(" ");
  return customerSentiment(recent).label;
}

/** A three-line summary once the conversation is long enough to need one, else null. */
export function summarise(
  history: TurnHistoryItem[],
  text: string,
  facts: { category: string; verified: boolean; open: string[] },
): string | null {
  const all = [...history, { role: "customer" as const, text }];
  if (all.length < SUMMARY_MIN_MESSAGES) return null;
  const first = all.find((h) => h.role === "customer")?.text ?? text;
  return [
    `Topic: ${facts.category.replace(/_/g, " ")} (${facts.verified ? "verified customer" : "not verified"}). First request: "${clip(first)}"`,
    `Latest: "${clip(text)}" (${all.length} messages).`,
    facts.open.length ? `Open: ${facts.open.join("; ")}.` : "Nothing pending.",
  ].join("\n");
}
