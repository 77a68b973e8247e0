/**
 * Scores the router on labelled rows: accuracy, per-category precision/recall/F1,
 * confusion matrix, secondary-intent recall and precision, and per-message latency.
 * Shared by the CLI (evals/router/cli.ts) and the bench.
 */
import { CATEGORY_KEYS, isCategoryKey } from "../../workers/lib/categories.ts";
import type { CategoryKey } from "../../workers/lib/categories.ts";
import { routeMessage } from "../../workers/ai/router/index.ts";
import type { RouteResult } from "../../workers/ai/router/types.ts";

/** One labelled message. */
export interface EvalRow {
  text: string;
  primary: CategoryKey;
  secondary: CategoryKey[];
}

export interface CategoryMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface RouterEvaluation {
  rows: number;
  accuracy: number;
  perCategory: Record<CategoryKey, CategoryMetrics>;
  /** confusion[gold][predicted] = count. */
  confusion: Record<CategoryKey, Record<CategoryKey, number>>;
  /** Of gold secondary labels, the share the router returned (primary or secondary). */
  secondaryRecall: number;
  secondaryRows: number;
  /** Of secondary intents the router returned, the share that were gold labels. */
  secondaryPrecision: number;
  latencyMs: { p50: number; p99: number; mean: number };
  /** Rows whose predicted primary differs from gold. */
  errors: { text: string; gold: CategoryKey; predicted: CategoryKey; confidence: number }[];
}

/** Convert CSV records (text, primary[, secondary "a|b"]) to rows; throws on unknown labels. */
export function toEvalRows(records: readonly Record<string, string>[]): EvalRow[] {
  return records.map((rec, i) => {
    const primary = (rec.primary ?? "").trim();
    if (!isCategoryKey(primary)) throw new Error(`row ${i + 2}: unknown category "${primary}"`);
    const secondary = (rec.secondary ?? "")
      .split("|")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map((s) => {
        if (!isCategoryKey(s)) throw new Error(`row ${i + 2}: unknown secondary "${s}"`);
        return s;
      });
    return { text: rec.text ?? "", primary, secondary };
  });
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, idx)] ?? 0;
}

const zeroRow = (): Record<CategoryKey, number> =>
  Object.fromEntries(CATEGORY_KEYS.map((k) => [k, 0])) as Record<CategoryKey, number>;

/**
 * Route every row (after one unmeasured warm-up pass over all rows, so JIT compilation
 * of the regexes and scorer is not measured) and compute
 * the metrics. `route` defaults to the local router.
 */
export function evaluateRouter(
  rows: readonly EvalRow[],
  route: (text: string) => RouteResult = (t) => routeMessage(t),
): RouterEvaluation {
  for (const r of rows) route(r.text);
  const confusion = Object.fromEntries(CATEGORY_KEYS.map((k) => [k, zeroRow()])) as Record<
    CategoryKey,
    Record<CategoryKey, number>
  >;
  const latencies: number[] = [];
  const errors: RouterEvaluation["errors"] = [];
  let correct = 0;
  let secGold = 0;
  let secFound = 0;
  let secPredicted = 0;
  let secPredictedRight = 0;
  for (const row of rows) {
    const t0 = performance.now();
    const res = route(row.text);
    latencies.push(performance.now() - t0);
    confusion[row.primary][res.primary] += 1;
    if (res.primary === row.primary) correct++;
    else errors.push({ text: row.text, gold: row.primary, predicted: res.primary, confidence: res.confidence });
    const got = new Set<CategoryKey>([res.primary, ...res.secondary]);
    for (const s of row.secondary) {
      secGold++;
      if (got.has(s)) secFound++;
    }
    const goldAll = new Set<CategoryKey>([row.primary, ...row.secondary]);
    for (const s of res.secondary) {
      secPredicted++;
      if (goldAll.has(s)) secPredictedRight++;
    }
  }
  const perCategory = {} as Record<CategoryKey, CategoryMetrics>;
  for (const k of CATEGORY_KEYS) {
    const tp = confusion[k][k];
    const support = CATEGORY_KEYS.reduce((n, p) => n + confusion[k][p], 0);
    const predicted = CATEGORY_KEYS.reduce((n, g) => n + confusion[g][k], 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perCategory[k] = { precision, recall, f1, support };
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    rows: rows.length,
    accuracy: rows.length > 0 ? correct / rows.length : 0,
    perCategory,
    confusion,
    secondaryRecall: secGold > 0 ? secFound / secGold : 0,
    secondaryRows: rows.filter((r) => r.secondary.length > 0).length,
    secondaryPrecision: secPredicted > 0 ? secPredictedRight / secPredicted : 0,
    latencyMs: {
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    },
    errors,
  };
}
