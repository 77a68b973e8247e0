/**
 * Run-state rules of the EvalRun object, kept pure: which status transitions are
 * allowed, adaptive concurrency (additive increase after a clean batch, halve on a
 * 429/5xx, as TCP does), the ETA from the observed rate, and the cost cap.
 */
import type { RunStatus } from "../protocol/evals.ts";

export const MIN_CONCURRENCY = 1;
/** Cases of one batch run at once; local cases are CPU-bound, so more only helps remote providers. */
export const MAX_CONCURRENCY = 16;
export const START_CONCURRENCY = 4;

export function nextConcurrency(current: number, outcome: "ok" | "throttled"): number {
  if (outcome === "throttled") return Math.max(MIN_CONCURRENCY, Math.floor(current / 2));
  return Math.min(MAX_CONCURRENCY, current + 1);
}

const TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  queued: ["running", "paused", "cancelled", "failed", "done"],
  running: ["paused", "cancelled", "done", "failed"],
  paused: ["running", "cancelled"],
  done: [],
  cancelled: [],
  failed: [],
};

export function canMove(from: RunStatus, to: RunStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Seconds left at the rate seen since the run started; null before there is a rate. */
export function etaSeconds(done: number, total: number, startedAt: number | null, now: number): number | null {
  if (!startedAt || done <= 0 || now <= startedAt) return null;
  const rate = done / ((now - startedAt) / 1000);
  return rate > 0 ? Math.max(0, Math.round((total - done) / rate)) : null;
}

export function overCap(costUsd: number, capUsd: number | null): boolean {
  return capUsd !== null && capUsd > 0 && costUsd >= capUsd;
}

/** Price guess before a run: tokens of an average turn × the model's price; 0 for the local engine. */
export function estimateCost(
  cases: number,
  repeats: number,
  pricePerMillion: { input: number; output: number } | null,
): number {
  if (!pricePerMillion) return 0;
  const perCase = (1500 * pricePerMillion.input + 300 * pricePerMillion.output) / 1_000_000;
  return Math.round(cases * repeats * perCase * 1e6) / 1e6;
}
