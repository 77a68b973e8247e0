/**
 * Outbound delivery policy for the send queue: how long to wait before the next attempt
 * and whether an error is worth retrying at all. Pure; randomness is injected.
 */
import { ChannelSendError } from "./errors.ts";

/** Backoff configuration. */
export interface RetryPolicy {
  /** Delay cap for attempt 0 before jitter. */
  baseMs: number;
  /** Upper bound of the exponential part. */
  maxMs: number;
  /** "full": uniform in [0, backoff] (AWS "full jitter"); "none": exact backoff. */
  jitter: "full" | "none";
  /** Source of randomness in [0, 1); defaults to Math.random. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based). Exponential `min(maxMs, baseMs·2^attempt)`
 * with full jitter. A provider's Retry-After is a floor, not a suggestion: sending earlier
 * only earns another 429, so it wins even above `maxMs`.
 */
export function nextRetryDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
  const safeAttempt = Math.max(0, Math.floor(Number.isFinite(attempt) ? attempt : 0));
  // 2^attempt overflows to Infinity for large attempts; min() keeps it at maxMs.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** safeAttempt);
  const random = policy.random ?? Math.random;
  const r = Math.min(Math.max(random(), 0), 1);
  const backoff = policy.jitter === "full" ? Math.floor(r * ceiling) : ceiling;
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
    return Math.max(Math.ceil(retryAfterMs), backoff);
  }
  return backoff;
}

/** Retry decision for one failed send. */
export interface SendErrorClass {
  retryable: boolean;
  retryAfterMs?: number;
}

/**
 * Classify any thrown value from a sender. ChannelSendError carries its own decision;
 * a TypeError is what fetch throws on network failure (DNS, reset), which is transient;
 * anything else is a bug and retrying will not fix it.
 */
export function classifySendError(err: unknown): SendErrorClass {
  if (err instanceof ChannelSendError) {
    return err.retryAfterMs === undefined
      ? { retryable: err.retryable }
      : { retryable: err.retryable, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof TypeError) return { retryable: true };
  return { retryable: false };
}
