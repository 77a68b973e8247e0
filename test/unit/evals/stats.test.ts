import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cohenKappa,
  mcnemar,
  minimumDetectableEffect,
  pairedBootstrap,
  passHatK,
  seededRandom,
} from "../../../workers/evals/stats.ts";

describe("paired bootstrap", () => {
  it("contains the observed mean difference and is ordered", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 60,
        }),
        (pairs) => {
          const r = pairedBootstrap(
            pairs.map((p) => p[0]),
            pairs.map((p) => p[1]),
            { iterations: 300 },
          );
          expect(r.ci95[0]).toBeLessThanOrEqual(r.ci95[1] + 1e-12);
          expect(r.ci95[0]).toBeLessThanOrEqual(r.delta + 1e-9);
          expect(r.ci95[1]).toBeGreaterThanOrEqual(r.delta - 1e-9);
          expect(r.pValue).toBeGreaterThanOrEqual(0);
          expect(r.pValue).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("is symmetric: swapping the runs negates the interval", () => {
    const a = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1];
    const b = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1];
    const ab = pairedBootstrap(a, b, { seed: 3 });
    const ba = pairedBootstrap(b, a, { seed: 3 });
    expect(ab.delta).toBeCloseTo(-ba.delta, 12);
    expect(ab.ci95[0]).toBeCloseTo(-ba.ci95[1], 12);
  });

  it("finds no difference between identical runs and a clear one between opposite runs", () => {
    const same = pairedBootstrap([1, 0, 1, 1], [1, 0, 1, 1]);
    expect(same).toEqual({ delta: 0, ci95: [0, 0], pValue: 1 });
    const worse = pairedBootstrap(Array(40).fill(1), Array(40).fill(0));
    expect(worse.delta).toBe(-1);
    expect(worse.pValue).toBe(0);
  });
});

describe("McNemar", () => {
  it("uses only discordant pairs and matches the exact binomial", () => {
    // 1 worse, 6 better: two-sided exact p = 2 * (C(7,0)+C(7,1)) / 2^7 = 0.125
    const base = [true, false, false, false, false, false, false, true, false];
    const cand = [false, true, true, true, true, true, true, true, false];
    const r = mcnemar(base, cand);
    expect(r).toMatchObject({ worse: 1, better: 6, method: "exact" });
    expect(r.pValue).toBeCloseTo(0.125, 6);
  });

  it("uses χ² with continuity correction for many discordant pairs", () => {
    const base = [...Array(40).fill(true), ...Array(10).fill(false)];
    const cand = [...Array(40).fill(false), ...Array(10).fill(true)];
    const r = mcnemar(base, cand);
    expect(r.method).toBe("chi2");
    // (|40-10|-1)^2/50 = 16.82 → p ≈ 4.1e-5
    expect(r.pValue).toBeGreaterThan(3e-5);
    expect(r.pValue).toBeLessThan(5e-5);
  });

  it("is a probability, symmetric in the runs", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean()), { maxLength: 80 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const r = mcnemar(a, b);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
        expect(mcnemar(b, a).pValue).toBeCloseTo(r.pValue, 10);
      }),
    );
  });
});

describe("Cohen's kappa", () => {
  it("is 1 for perfect agreement, 0 for chance, negative for systematic disagreement", () => {
    expect(cohenKappa([true, false, true, false], [true, false, true, false])).toBe(1);
    expect(cohenKappa([true, true, false, false], [true, false, true, false])).toBe(0);
    expect(cohenKappa([true, false, true, false], [false, true, false, true])).toBe(-1);
    expect(cohenKappa([], [])).toBeNull();
  });

  it("stays within [-1, 1] and is symmetric", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 50 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const k = cohenKappa(a, b) ?? 0;
        expect(k).toBeGreaterThanOrEqual(-1 - 1e-9);
        expect(k).toBeLessThanOrEqual(1 + 1e-9);
        expect(cohenKappa(b, a)).toBeCloseTo(k, 12);
      }),
    );
  });
});

describe("pass^k", () => {
  it("is C(c,k)/C(n,k) averaged over cases (tau-bench)", () => {
    // case 1: 3/3 → 1; case 2: 2/3 → pass^1 2/3, pass^2 1/3, pass^3 0
    const t = [
      { n: 3, c: 3 },
      { n: 3, c: 2 },
    ];
    expect(passHatK(t, 1)).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(passHatK(t, 2)).toBeCloseTo((1 + 1 / 3) / 2, 12);
    expect(passHatK(t, 3)).toBeCloseTo(0.5, 12);
  });

  it("never grows with k when every case ran the same number of trials", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 8 })
          .chain((n) =>
            fc.array(fc.record({ n: fc.constant(n), c: fc.integer({ min: 0, max: n }) }), {
              minLength: 1,
              maxLength: 20,
            }),
          ),
        (trials) => {
          let prev = 1;
          for (let k = 1; k <= 8; k++) {
            const v = passHatK(trials, k);
            if (v === null) break;
            expect(v).toBeLessThanOrEqual(prev + 1e-12);
            prev = v;
          }
        },
      ),
    );
  });
});

describe("minimum detectable effect", () => {
  it("shrinks with the set size", () => {
    expect(minimumDetectableEffect(100, 0.8)).toBeGreaterThan(minimumDetectableEffect(5000, 0.8));
    expect(minimumDetectableEffect(5000, 0.8)).toBeLessThan(0.03);
    expect(minimumDetectableEffect(30, 0.8)).toBeGreaterThan(0.1);
  });
});

describe("seeded random", () => {
  it("repeats for a seed and stays in [0, 1)", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let i = 0; i < 100; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
