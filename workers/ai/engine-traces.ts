/** Trace shaping for the room's single-statement trace insert. */
import type { TurnTrace } from "./turn-types.ts";

/**
 * D1 binds at most 100 parameters per statement and the room stores a turn's traces in
 * one insert of 12 columns, so a turn reports at most 8: steps of the same kind after
 * routing are merged (latency, tokens and cost summed, details kept as a list).
 */
export const MAX_TRACES = 8;

/** Merges traces of the same step (after routing) until at most MAX_TRACES remain. */
export function compactTraces(traces: TurnTrace[]): TurnTrace[] {
  if (traces.length <= MAX_TRACES) return traces;
  const out: TurnTrace[] = [];
  for (const tr of traces) {
    const same = out.find((o) => o.step === tr.step && tr.step !== "route");
    if (!same) {
      out.push({ ...tr, detail: { ...tr.detail } });
      continue;
    }
    const merged = Array.isArray(same.detail.merged) ? same.detail.merged : [{ ...same.detail }];
    Object.assign(same, {
      latencyMs: same.latencyMs + tr.latencyMs,
      inputTokens: same.inputTokens + tr.inputTokens,
      outputTokens: same.outputTokens + tr.outputTokens,
      costUsd: same.costUsd + tr.costUsd,
      provider: same.provider ?? tr.provider,
      model: same.model ?? tr.model,
      detail: { merged: [...merged, tr.detail] },
    });
  }
  return out.slice(0, MAX_TRACES);
}
