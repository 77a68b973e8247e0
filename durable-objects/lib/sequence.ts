/**
 * Message log rules of the ConversationRoom: resuming a socket from the last sequence
 * number it saw, and de-duplicating client retries by their client message id.
 *
 * Every message gets a gap-free, increasing `seq` when it is appended. A reconnecting
 * client sends the last seq it rendered; the DO keeps only a recent window of the log in
 * memory/storage, so an old client must re-fetch the history instead of a replay.
 */
import { advanceAfterHours, afterHoursRequest, startAfterHours } from "./after-hours.ts";

export type { AfterHoursPrompt, AfterHoursResult, AfterHoursState } from "./after-hours.ts";

export interface Sequenced {
  seq: number;
}

export type ResumePlan<T extends Sequenced> =
  /** Send these, in order; empty when the client is up to date. */
  | { kind: "replay"; messages: T[] }
  /** The client is missing messages older than the retained window, or is ahead of the
   * log (the room was reset); it must drop its copy and load the history over HTTP. */
  | { kind: "full_sync"; latestSeq: number };

/**
 * What to send a client that last saw `lastSeq` (null for a fresh client), given the
 * retained `log` window in ascending seq order.
 */
export function resumeFrom<T extends Sequenced>(lastSeq: number | null, log: readonly T[]): ResumePlan<T> {
  const first = log[0];
  const latestSeq = log[log.length - 1]?.seq ?? 0;
  if (lastSeq === null) {
    // A fresh client gets the whole history only if the window still starts at seq 1.
    return first === undefined || first.seq <= 1
      ? { kind: "replay", messages: [...log] }
      : { kind: "full_sync", latestSeq };
  }
  if (!Number.isInteger(lastSeq) || lastSeq < 0 || lastSeq > latestSeq) return { kind: "full_sync", latestSeq };
  if (first !== undefined && lastSeq < first.seq - 1) return { kind: "full_sync", latestSeq };
  return { kind: "replay", messages: log.filter((m) => m.seq > lastSeq) };
}

/** The seq the next appended message gets. */
export function nextSeq(log: readonly Sequenced[]): number {
  return (log[log.length - 1]?.seq ?? 0) + 1;
}

const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * A client message id as sent in a frame, trimmed of surrounding whitespace (some SDKs
 * pad), or null if it is not a string of 8–64 URL-safe characters. Case is kept: ids
 * are random tokens and "aB" ≠ "Ab".
 */
export function normaliseClientId(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const id = raw.trim();
  return CLIENT_ID.test(id) ? id : null;
}

/**
 * The key stored to drop duplicate sends. Scoped by author so one visitor cannot
 * suppress another's message by reusing its id; `authorId` comes from the verified
 * connection, never from the frame.
 */
export function idempotencyKey(authorKind: "contact" | "operator", authorId: string, clientId: string): string {
  return `${authorKind}:${authorId}:${clientId}`;
}

/**
 * The after-hours form lives in after-hours.ts; it is exposed here too because the DO
 * drives it from the same message-append path as the log rules.
 */
export const afterHoursFlow = {
  start: startAfterHours,
  advance: advanceAfterHours,
  request: afterHoursRequest,
} as const;
