/**
 * The customer card's memory panel model (issue 20, Memory 2), pure so it is unit-tested:
 * when a remembered fact expires (and whether it already has — the agent no longer gets an
 * expired fact, so the operator must see that too), the date input's value and the instant
 * it stands for, where the source link goes, and the words for how a fact was found.
 * Dates are whole UTC days: a fact "expires on 2027-01-31" is used through that day.
 */
import type { MsgKey } from "../lib/i18n.ts";

export type MemoryExpiry = { state: "none" } | { state: "active" | "expired"; date: string };

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "none" (kept until someone forgets it), or the day it expires and whether that has passed. */
export function memoryExpiry(expiresAt: number | null, now: number): MemoryExpiry {
  if (expiresAt === null) return { state: "none" };
  return { state: expiresAt <= now ? "expired" : "active", date: dateInputValue(expiresAt) };
}

/** The `<input type="date">` value for an expiry ("" for none). */
export function dateInputValue(expiresAt: number | null): string {
  return expiresAt === null ? "" : new Date(expiresAt).toISOString().slice(0, 10);
}

/**
 * The expiry an operator picked: the end of that UTC day, null for a cleared field, or
 * undefined for something that is not a date (the input never sends one, but a browser
 * without a date picker lets people type).
 */
export function expiryFromDateInput(value: string): number | null | undefined {
  const v = value.trim();
  if (v === "") return null;
  const m = DAY_RE.exec(v);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d, 23, 59, 59, 999);
  // Date.UTC rolls 2026-02-30 over to March: refuse instead.
  return new Date(t).getUTCDate() === d && new Date(t).getUTCMonth() === mo - 1 ? t : undefined;
}

/** The inbox route of the message the fact came from (its conversation if the message is unknown). */
export function sourceHref(m: { sourceConversationId: string | null; sourceMessageId: string | null }): string | null {
  if (!m.sourceConversationId) return null;
  const conv = `#/inbox/${encodeURIComponent(m.sourceConversationId)}`;
  return m.sourceMessageId ? `${conv}/${encodeURIComponent(m.sourceMessageId)}` : conv;
}

const ORIGIN: Record<string, MsgKey> = {
  rules: "memOriginRules",
  llm: "memOriginLlm",
  operator: "memOriginOperator",
};

/** How the fact was found, in words (not the extractor's internal name). */
export function originKey(origin: string): MsgKey {
  return ORIGIN[origin] ?? "memOriginRules";
}

/** Confidence as a whole percentage, for the badge. */
export function confidencePercent(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}%`;
}
