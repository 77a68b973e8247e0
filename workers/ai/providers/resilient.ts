/**
 * Reliability around any ChatProvider: a timeout per attempt (AbortSignal), retries with
 * exponential backoff and jitter on retryable failures (429, 5xx, timeouts, network),
 * honouring Retry-After, then the next provider of a fallback chain. A 400 is our bug
 * and fails fast. Every attempt is reported so traces show what was tried.
 */
import { ProviderError } from "./types.ts";
import type { ChatProvider, ChatRequest, ChatResponse } from "./types.ts";

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  /** Injected so tests run without waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Epoch ms by which the whole call must be answered (the turn's time budget): each
   * attempt's timeout is cut to what is left, and no retry or fallback starts after it.
   */
  deadline?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, baseDelayMs: 400, maxDelayMs: 4000, timeoutMs: 25_000 };

export interface Attempt {
  provider: string;
  model: string;
  ok: boolean;
  error?: string;
  status?: number | null;
  delayMs?: number;
  /** How long the attempt took, failed ones included. */
  latencyMs?: number;
}

/** The turn's time budget ran out before a provider answered. */
export const BUDGET_SPENT = "turn time budget spent";

/** One provider with its model: fallbacks may use a different model name. */
export interface ProviderTarget {
  provider: ChatProvider;
  model: string;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Backoff before retry `n` (0-based): base·2ⁿ with ±25 % jitter, capped; Retry-After wins when larger. */
export function backoffMs(
  n: number,
  policy: RetryPolicy,
  retryAfterSec: number | null,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);
  const jittered = Math.round(exp * (0.75 + random() * 0.5));
  return retryAfterSec ? Math.max(jittered, Math.min(retryAfterSec * 1000, policy.maxDelayMs * 4)) : jittered;
}

/** Calls one target with timeout and retries; throws the last error. */
export async function chatWithRetry(
  target: ProviderTarget,
  req: ChatRequest,
  policy: RetryPolicy,
  attempts: Attempt[],
): Promise<ChatResponse> {
  const sleep = policy.sleep ?? realSleep;
  const left = () => (policy.deadline === undefined ? Infinity : policy.deadline - Date.now());
  for (let n = 0; ; n++) {
    if (left() <= 0) throw new ProviderError(target.provider.id, BUDGET_SPENT, { retryable: false });
    const timeout = AbortSignal.timeout(Math.max(1, Math.min(policy.timeoutMs, left())));
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const started = Date.now();
    try {
      const res = await target.provider.chat({ ...req, model: target.model, signal });
      attempts.push({ provider: target.provider.id, model: target.model, ok: true, latencyMs: Date.now() - started });
      return res;
    } catch (err) {
      const pe =
        err instanceof ProviderError
          ? err
          : new ProviderError(target.provider.id, err instanceof Error ? err.message : "error", {
              retryable: err instanceof Error && err.name === "TimeoutError",
            });
      const delay = backoffMs(n, policy, pe.retryAfter, policy.random);
      const last = n >= policy.retries || !pe.retryable || req.signal?.aborted === true || delay >= left();
      attempts.push({
        provider: target.provider.id,
        model: target.model,
        ok: false,
        error: pe.message,
        status: pe.status,
        latencyMs: Date.now() - started,
        ...(last ? {} : { delayMs: delay }),
      });
      if (last) throw pe;
      await sleep(delay);
    }
  }
}

/** Tries each target in order (each with retries); throws when every one failed. */
export async function chatWithFallback(
  targets: ProviderTarget[],
  req: ChatRequest,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ response: ChatResponse; attempts: Attempt[] }> {
  const attempts: Attempt[] = [];
  let lastErr: unknown = new ProviderError("none", "no provider configured", { retryable: false });
  for (const target of targets) {
    if (policy.deadline !== undefined && Date.now() >= policy.deadline) {
      lastErr = new ProviderError(target.provider.id, BUDGET_SPENT, { retryable: false });
      break;
    }
    try {
      return { response: await chatWithRetry(target, req, policy, attempts), attempts };
    } catch (err) {
      lastErr = err;
      // A request the server rejected as malformed would be malformed for the fallback too
      // only if it is the same wire format; different backends get their chance.
    }
  }
  throw new FallbackExhaustedError(lastErr instanceof Error ? lastErr.message : "all providers failed", attempts);
}

export class FallbackExhaustedError extends Error {
  override readonly name = "FallbackExhaustedError";
  readonly attempts: Attempt[];
  constructor(message: string, attempts: Attempt[]) {
    super(message);
    this.attempts = attempts;
  }
}
