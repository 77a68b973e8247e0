/**
 * Run metrics and run comparison, pure over per-case results: pass rate, red lines,
 * routing accuracy, escalation recall, action correctness, … per run; pass^k per
 * category for repeated runs; and for two runs on the same test-set version, per-metric
 * paired bootstrap intervals, McNemar on pass/fail, a per-category breakdown, the
 * minimum detectable effect, and the list of regressed and improved cases.
 */
import type { CategoryComparison, CompareMetric, Score } from "../protocol/evals.ts";
import { mcnemar, mean, minimumDetectableEffect, pairedBootstrap, passHatK } from "./stats.ts";

export interface ResultRow {
  caseIdx: number;
  repeat: number;
  caseId: string;
  category: string | null;
  pass: boolean;
  redLine: boolean;
  costUsd: number;
  latencyMs: number;
  scores: Score[];
}

/** Metric name → the evaluator whose pass rate it is. */
const RATE_METRICS: Record<string, string> = {
  routingAccuracy: "routing",
  actionCorrectness: "action_correctness",
  confirmationRate: "confirmation",
  groundingRate: "grounding",
  languageMatch: "language",
  judgePassRate: "judge",
};

const rate = (xs: boolean[]): number | null => (xs.length ? xs.filter(Boolean).length / xs.length : null);

function percentile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

function scoreOf(r: ResultRow, name: string): Score | undefined {
  return r.scores.find((s) => s.name === name);
}

export interface RunMetrics {
  cases: number;
  passRate: number | null;
  redLineViolations: number;
  routingAccuracy: number | null;
  escalationRecall: number | null;
  escalationAccuracy: number | null;
  actionCorrectness: number | null;
  confirmationRate: number | null;
  groundingRate: number | null;
  languageMatch: number | null;
  judgePassRate: number | null;
  latencyP50Ms: number;
  latencyP95Ms: number;
  tokens: number;
  costUsd: number;
  repeats: number;
  passHatK: Record<string, number | null>;
  perCategory: Array<{ category: string; cases: number; passRate: number; passHatK: number | null }>;
}

/** Aggregates of a run (see module comment). */
export function computeMetrics(rows: ResultRow[], repeats: number): RunMetrics {
  const out: RunMetrics = {
    cases: rows.length,
    passRate: rate(rows.map((r) => r.pass)),
    redLineViolations: rows.filter((r) => r.redLine).length,
    routingAccuracy: null,
    escalationRecall: null,
    escalationAccuracy: null,
    actionCorrectness: null,
    confirmationRate: null,
    groundingRate: null,
    languageMatch: null,
    judgePassRate: null,
    latencyP50Ms: percentile(
      rows.map((r) => r.latencyMs),
      0.5,
    ),
    latencyP95Ms: percentile(
      rows.map((r) => r.latencyMs),
      0.95,
    ),
    tokens: rows.reduce((s, r) => s + (scoreOf(r, "tokens")?.value ?? 0), 0),
    costUsd: Math.round(rows.reduce((s, r) => s + r.costUsd, 0) * 1e6) / 1e6,
    repeats,
    passHatK: {},
    perCategory: [],
  };
  for (const [metric, evaluator] of Object.entries(RATE_METRICS)) {
    const v = rate(
      rows.flatMap((r) => {
        const s = scoreOf(r, evaluator);
        return s && s.pass !== null ? [s.pass] : [];
      }),
    );
    if (metric === "routingAccuracy") out.routingAccuracy = v;
    else if (metric === "actionCorrectness") out.actionCorrectness = v;
    else if (metric === "confirmationRate") out.confirmationRate = v;
    else if (metric === "groundingRate") out.groundingRate = v;
    else if (metric === "languageMatch") out.languageMatch = v;
    else if (metric === "judgePassRate") out.judgePassRate = v;
  }
  const esc = rows.flatMap((r) => {
    const s = scoreOf(r, "escalation");
    return s && s.pass !== null ? [s] : [];
  });
  // Escalation cases are those labelled escalated: the ones where escalating (value 1) was right.
  const shouldEscalate = esc.filter((s) => (s.pass && s.value === 1) || (!s.pass && s.value === 0));
  out.escalationRecall = rate(shouldEscalate.map((s) => s.value === 1));
  out.escalationAccuracy = rate(esc.map((s) => s.pass === true));

  const trials = trialsByCase(rows);
  for (let k = 1; k <= repeats; k++) out.passHatK[`pass^${k}`] = passHatK([...trials.values()], k);
  const cats = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const c = r.category ?? "unlabelled";
    cats.set(c, [...(cats.get(c) ?? []), r]);
  }
  out.perCategory = [...cats.entries()]
    .map(([category, rs]) => ({
      category,
      cases: new Set(rs.map((r) => r.caseIdx)).size,
      passRate: rate(rs.map((r) => r.pass)) ?? 0,
      passHatK: passHatK([...trialsByCase(rs).values()], repeats),
    }))
    .sort((a, b) => (a.category < b.category ? -1 : 1));
  return out;
}

function trialsByCase(rows: ResultRow[]): Map<number, { n: number; c: number }> {
  const m = new Map<number, { n: number; c: number }>();
  for (const r of rows) {
    const t = m.get(r.caseIdx) ?? { n: 0, c: 0 };
    t.n++;
    if (r.pass) t.c++;
    m.set(r.caseIdx, t);
  }
  return m;
}

/** Per case: share of repeats passed, and each score's mean value / pass share over repeats. */
interface CaseView {
  caseIdx: number;
  caseId: string;
  category: string | null;
  pass: number;
  metrics: Map<string, number>;
}

function byCase(rows: ResultRow[]): Map<number, CaseView> {
  const groups = new Map<number, ResultRow[]>();
  for (const r of rows) groups.set(r.caseIdx, [...(groups.get(r.caseIdx) ?? []), r]);
  const out = new Map<number, CaseView>();
  for (const [idx, rs] of groups) {
    const first = rs[0];
    if (!first) continue;
    const metrics = new Map<string, number>();
    for (const [metric, evaluator] of Object.entries(RATE_METRICS)) {
      const vals = rs.flatMap((r) => {
        const s = scoreOf(r, evaluator);
        return s && s.pass !== null ? [s.pass ? 1 : 0] : [];
      });
      if (vals.length) metrics.set(metric, mean(vals));
    }
    metrics.set("redLineFree", mean(rs.map((r) => (r.redLine ? 0 : 1))));
    metrics.set("latencyMs", mean(rs.map((r) => r.latencyMs)));
    metrics.set("costUsd", mean(rs.map((r) => r.costUsd)));
    out.set(idx, {
      caseIdx: idx,
      caseId: first.caseId,
      category: first.category,
      pass: mean(rs.map((r) => (r.pass ? 1 : 0))),
      metrics,
    });
  }
  return out;
}

export interface Comparison {
  n: number;
  metrics: CompareMetric[];
  perCategory: CategoryComparison[];
  regressions: Array<{ caseIdx: number; caseId: string; category: string | null }>;
  improvements: Array<{ caseIdx: number; caseId: string; category: string | null }>;
  mcnemar: { worse: number; better: number; pValue: number; method: string };
  mde: number;
  mdeWarning: string | null;
  /** Pass rate lower with p < alpha overall or in any category. */
  significantRegression: boolean;
}

export const ALPHA = 0.05;

/** Compares a candidate run with a baseline over the cases both ran (see module comment). */
export function compareRuns(baseline: ResultRow[], candidate: ResultRow[]): Comparison {
  const a = byCase(baseline);
  const b = byCase(candidate);
  const shared = [...a.keys()].filter((k) => b.has(k)).sort((x, y) => x - y);
  const pairs = shared.flatMap((k) => {
    const x = a.get(k);
    const y = b.get(k);
    return x && y ? [{ x, y }] : [];
  });
  const passA = pairs.map((p) => p.x.pass);
  const passB = pairs.map((p) => p.y.pass);
  const boot = pairedBootstrap(passA, passB);
  const mc = mcnemar(
    passA.map((v) => v >= 0.5),
    passB.map((v) => v >= 0.5),
  );
  const metrics: CompareMetric[] = [
    {
      name: "passRate",
      baseline: mean(passA),
      candidate: mean(passB),
      delta: boot.delta,
      ci95: boot.ci95,
      pValue: mc.pValue,
      n: pairs.length,
    },
  ];
  const names = ["redLineFree", ...Object.keys(RATE_METRICS), "latencyMs", "costUsd"];
  for (const name of names) {
    const both = pairs.flatMap((p) => {
      const u = p.x.metrics.get(name);
      const v = p.y.metrics.get(name);
      return u !== undefined && v !== undefined ? [{ u, v }] : [];
    });
    if (!both.length) continue;
    const r = pairedBootstrap(
      both.map((q) => q.u),
      both.map((q) => q.v),
    );
    metrics.push({
      name,
      baseline: mean(both.map((q) => q.u)),
      candidate: mean(both.map((q) => q.v)),
      delta: r.delta,
      ci95: r.ci95,
      pValue: r.pValue,
      n: both.length,
    });
  }
  const cats = new Map<string, typeof pairs>();
  for (const p of pairs) {
    const c = p.x.category ?? "unlabelled";
    cats.set(c, [...(cats.get(c) ?? []), p]);
  }
  const perCategory: CategoryComparison[] = [...cats.entries()]
    .map(([category, ps]) => {
      const u = ps.map((p) => p.x.pass);
      const v = ps.map((p) => p.y.pass);
      const r = pairedBootstrap(u, v);
      const m = mcnemar(
        u.map((x) => x >= 0.5),
        v.map((x) => x >= 0.5),
      );
      return {
        category,
        n: ps.length,
        baseline: mean(u),
        candidate: mean(v),
        delta: r.delta,
        ci95: r.ci95,
        pValue: m.pValue,
        significantRegression: r.delta < 0 && m.pValue < ALPHA,
      };
    })
    .sort((x, y) => (x.category < y.category ? -1 : 1));
  const view = (c: CaseView) => ({ caseIdx: c.caseIdx, caseId: c.caseId, category: c.category });
  const mde = minimumDetectableEffect(pairs.length, mean(passA) || 0.5);
  return {
    n: pairs.length,
    metrics,
    perCategory,
    regressions: pairs.filter((p) => p.y.pass < p.x.pass).map((p) => view(p.x)),
    improvements: pairs.filter((p) => p.y.pass > p.x.pass).map((p) => view(p.x)),
    mcnemar: mc,
    mde,
    mdeWarning:
      mde > 0.05
        ? `With ${pairs.length} cases only differences larger than ${(mde * 100).toFixed(1)} points in pass rate are reliably detected.`
        : null,
    significantRegression: (boot.delta < 0 && mc.pValue < ALPHA) || perCategory.some((c) => c.significantRegression),
  };
}
