/**
 * Statistics of the Eval Lab: paired bootstrap confidence intervals, McNemar's test for
 * paired pass/fail, Cohen's kappa for judge-vs-human agreement, tau-bench's pass^k and
 * the minimum detectable effect of a set size. Written here rather than taken from a
 * library because each is a few lines, must run in workerd and in the browser, and must
 * be deterministic (seeded resampling) so a comparison reads the same twice; the
 * invariants are checked with fast-check in test/unit/evals/stats.test.ts.
 */

/** Small seeded PRNG (mulberry32): the same seed gives the same bootstrap. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN;

function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (pos - lo);
}

export interface PairedDelta {
  delta: number;
  ci95: [number, number];
  /** Two-sided bootstrap p-value of "no difference" (share of resamples on the other side of 0, doubled). */
  pValue: number;
}

/**
 * Mean of `candidate - baseline` over paired cases, with a 95 % percentile interval from
 * resampling cases (pairs stay together, so case difficulty cancels out).
 */
export function pairedBootstrap(
  baseline: readonly number[],
  candidate: readonly number[],
  opts: { iterations?: number; seed?: number } = {},
): PairedDelta {
  const n = Math.min(baseline.length, candidate.length);
  if (n === 0) return { delta: 0, ci95: [0, 0], pValue: 1 };
  const diffs = Array.from({ length: n }, (_, i) => (candidate[i] ?? 0) - (baseline[i] ?? 0));
  const delta = mean(diffs);
  const iterations = opts.iterations ?? 2000;
  const rand = seededRandom(opts.seed ?? 14);
  const means = new Array<number>(iterations);
  for (let b = 0; b < iterations; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += diffs[Math.floor(rand() * n)] ?? 0;
    means[b] = s / n;
  }
  means.sort((x, y) => x - y);
  const below = means.filter((m) => m <= 0).length / iterations;
  const above = means.filter((m) => m >= 0).length / iterations;
  const allZero = diffs.every((d) => d === 0);
  return {
    delta,
    ci95: [quantile(means, 0.025), quantile(means, 0.975)],
    pValue: allZero ? 1 : Math.min(1, 2 * Math.min(below, above)),
  };
}

/** log Γ by Lanczos; enough precision for binomial coefficients of set sizes. */
function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let a = c[0] ?? 1;
  const t = xx + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += (c[i] ?? 0) / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** Complementary error function (Numerical Recipes erfcc, |error| < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface McNemar {
  /** Cases baseline passed and candidate failed. */
  worse: number;
  /** Cases baseline failed and candidate passed. */
  better: number;
  pValue: number;
  method: "exact" | "chi2";
}

/**
 * McNemar's test on paired pass/fail: only discordant pairs count. Exact two-sided
 * binomial below 25 discordant pairs, χ² with continuity correction above.
 */
export function mcnemar(baseline: readonly boolean[], candidate: readonly boolean[]): McNemar {
  let worse = 0;
  let better = 0;
  const n = Math.min(baseline.length, candidate.length);
  for (let i = 0; i < n; i++) {
    if (baseline[i] && !candidate[i]) worse++;
    else if (!baseline[i] && candidate[i]) better++;
  }
  const d = worse + better;
  if (d === 0) return { worse, better, pValue: 1, method: "exact" };
  if (d < 25) {
    const k = Math.min(worse, better);
    let tail = 0;
    for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(d, i) - d * Math.LN2);
    return { worse, better, pValue: Math.min(1, 2 * tail), method: "exact" };
  }
  const chi2 = (Math.abs(worse - better) - 1) ** 2 / d;
  return { worse, better, pValue: Math.min(1, erfc(Math.sqrt(chi2 / 2))), method: "chi2" };
}

/** Cohen's kappa of two raters over the same items (labels compared with ===). */
export function cohenKappa<T>(a: readonly T[], b: readonly T[]): number | null {
  const n = Math.min(a.length, b.length);
  if (n === 0) return null;
  const labels = [...new Set([...a.slice(0, n), ...b.slice(0, n)])];
  let agree = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) agree++;
  const po = agree / n;
  let pe = 0;
  for (const l of labels) {
    const pa = a.slice(0, n).filter((x) => x === l).length / n;
    const pb = b.slice(0, n).filter((x) => x === l).length / n;
    pe += pa * pb;
  }
  if (pe === 1) return po === 1 ? 1 : 0;
  return (po - pe) / (1 - pe);
}

/**
 * tau-bench pass^k: the chance that k independent trials of a case all pass, estimated
 * without bias from n ≥ k trials with c successes as C(c,k)/C(n,k), averaged over cases.
 */
export function passHatK(trials: ReadonlyArray<{ n: number; c: number }>, k: number): number | null {
  const usable = trials.filter((t) => t.n >= k);
  if (!usable.length || k < 1) return null;
  return mean(usable.map((t) => (t.c < k ? 0 : Math.exp(logChoose(t.c, k) - logChoose(t.n, k)))));
}

/**
 * Smallest difference in pass rate a paired comparison of `n` cases can detect at
 * α = 0.05 (two-sided) with 80 % power, for a base pass rate `p` (normal approximation,
 * discordance taken as 2p(1-p), the independent-errors worst case).
 */
export function minimumDetectableEffect(n: number, p: number): number {
  if (n <= 0) return 1;
  const q = Math.min(0.99, Math.max(0.01, p));
  return Math.min(1, (1.959964 + 0.841621) * Math.sqrt((2 * q * (1 - q)) / n));
}
