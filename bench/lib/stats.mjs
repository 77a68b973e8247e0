/** Small statistics helpers shared by the benchmarks (nearest-rank percentiles). */

/** Nearest-rank percentile of an ascending array; 0 for an empty one. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** p50/p95/p99/mean/max of raw samples in milliseconds, rounded to 0.01 ms. */
export function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x) => Math.round(x * 100) / 100;
  return {
    n: s.length,
    p50: r(percentile(s, 0.5)),
    p95: r(percentile(s, 0.95)),
    p99: r(percentile(s, 0.99)),
    mean: r(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
    max: r(s.at(-1) ?? 0),
  };
}

export const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
