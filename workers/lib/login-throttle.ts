/**
 * Login throttling rules (pure). A key (account or IP) that fails too often within a
 * window is locked for a while; a success clears the account key. Stored by the caller.
 */
export interface ThrottleState {
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
}

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const IP_POLICY: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** Milliseconds until the key may try again, or 0 when it may try now. */
export function lockRemaining(state: ThrottleState | null, now: number): number {
  if (!state?.lockedUntil) return 0;
  return Math.max(0, state.lockedUntil - now);
}

export function recordFailure(state: ThrottleState | null, policy: ThrottlePolicy, now: number): ThrottleState {
  const fresh = !state || now - state.windowStart > policy.windowMs;
  const failures = fresh ? 1 : state.failures + 1;
  const windowStart = fresh ? now : state.windowStart;
  return { failures, windowStart, lockedUntil: failures >= policy.maxFailures ? now + policy.lockMs : null };
}
