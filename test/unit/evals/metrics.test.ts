import { describe, expect, it } from "vitest";
import { compareRuns, computeMetrics, type ResultRow } from "../../../workers/evals/metrics.ts";
import { rowToCase, resolveMapping, transcriptTurns } from "../../../workers/evals/mapping.ts";
import { canMove, etaSeconds, nextConcurrency, overCap } from "../../../workers/evals/progress.ts";
import { promotionBlockers } from "../../../workers/evals/promote.ts";

function row(caseIdx: number, pass: boolean, category = "skip_month", repeat = 0): ResultRow {
  return {
    caseIdx,
    repeat,
    caseId: `c${caseIdx}`,
    category,
    pass,
    redLine: false,
    costUsd: 0.001,
    latencyMs: 10,
    scores: [{ name: "routing", pass, value: pass ? 1 : 0, rationale: "" }],
  };
}

describe("run metrics", () => {
  it("pass rate, routing accuracy and pass^k per category over repeats", () => {
    const rows = [
      row(0, true),
      row(0, true, "skip_month", 1),
      row(0, false, "skip_month", 2),
      row(1, true),
      row(1, true, "skip_month", 1),
      row(1, true, "skip_month", 2),
    ];
    const m = computeMetrics(rows, 3);
    expect(m.passRate).toBeCloseTo(5 / 6, 12);
    expect(m.routingAccuracy).toBeCloseTo(5 / 6, 12);
    expect(m.passHatK["pass^3"]).toBeCloseTo(0.5, 12);
    expect(m.passHatK["pass^1"]).toBeCloseTo(5 / 6, 12);
    expect(m.perCategory).toEqual([{ category: "skip_month", cases: 2, passRate: 5 / 6, passHatK: 0.5 }]);
    expect(m.costUsd).toBeCloseTo(0.006, 9);
  });
});

describe("compare", () => {
  it("flags a significant regression and lists the regressed cases", () => {
    const base = Array.from({ length: 40 }, (_, i) => row(i, true));
    const cand = Array.from({ length: 40 }, (_, i) => row(i, i >= 30));
    const c = compareRuns(base, cand);
    expect(c.significantRegression).toBe(true);
    expect(c.regressions.map((r) => r.caseIdx)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const pass = c.metrics.find((m) => m.name === "passRate");
    expect(pass?.delta).toBeCloseTo(-0.75, 12);
    expect(pass?.ci95?.[1]).toBeLessThan(0);
    expect(c.perCategory[0]?.significantRegression).toBe(true);
  });

  it("does not flag noise, and warns that a small set cannot see small effects", () => {
    const base = Array.from({ length: 20 }, (_, i) => row(i, i % 2 === 0));
    const cand = Array.from({ length: 20 }, (_, i) => row(i, i % 2 === 0 ? i !== 0 : i === 1));
    const c = compareRuns(base, cand);
    expect(c.significantRegression).toBe(false);
    expect(c.mdeWarning).toMatch(/20 cases/);
  });

  it("promotion blockers: red lines, not done, significant regression", () => {
    const base = Array.from({ length: 40 }, (_, i) => row(i, true));
    const worse = compareRuns(
      base,
      Array.from({ length: 40 }, (_, i) => row(i, false)),
    );
    expect(promotionBlockers({ status: "done", metrics: { redLineViolations: 0 } }, null)).toEqual([]);
    expect(promotionBlockers({ status: "running", metrics: null }, null).join()).toMatch(/not done/);
    expect(promotionBlockers({ status: "done", metrics: { redLineViolations: 2 } }, null).join()).toMatch(/red line/);
    expect(promotionBlockers({ status: "done", metrics: { redLineViolations: 0 } }, worse).join()).toMatch(
      /significant/,
    );
  });
});

describe("mapping", () => {
  it("maps by explicit mapping, then names and synonyms; reports missing required columns", () => {
    expect(resolveMapping(["Ticket ID", "Transcript", "Label"]).mapping).toEqual({ id: 0, message: 1, category: 2 });
    expect(resolveMapping(["a", "b"], { id: "a", message: "b" }).mapping).toEqual({ id: 0, message: 1 });
    const { issues } = resolveMapping(["a", "b"], { message: "zzz" });
    expect(issues.map((i) => i.column).sort()).toEqual(["id", "message"]);
  });

  it("validates a row column by column", () => {
    const { mapping } = resolveMapping([
      "id",
      "message",
      "category",
      "outcome",
      "expected_actions",
      "customer_email",
      "language",
    ]);
    const bad = rowToCase(3, ["", "hi", "nope", "done", "[oops", "x@", "de"], mapping);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.issues.map((i) => i.column)).toEqual([
        "id",
        "category",
        "outcome",
        "language",
        "customer_email",
        "expected_actions",
      ]);
    const good = rowToCase(
      1,
      ["1", "hi", "skip_month", "action", '[{"tool":"skip_next_box","args":{}}]', "A@B.co", "EN"],
      mapping,
    );
    expect(good).toMatchObject({
      ok: true,
      value: { customerEmail: "a@b.co", language: "en", expectedActions: [{ tool: "skip_next_box", args: {} }] },
    });
  });

  it("splits transcripts into turns", () => {
    expect(transcriptTurns("Customer: hi\nAgent: hello\nthere\nCustomer: skip please")).toEqual([
      { role: "customer", text: "hi" },
      { role: "agent", text: "hello\nthere" },
      { role: "customer", text: "skip please" },
    ]);
    expect(transcriptTurns("just one message")).toEqual([{ role: "customer", text: "just one message" }]);
  });
});

describe("run state rules", () => {
  it("halves concurrency on throttling, grows by one otherwise, within bounds", () => {
    expect(nextConcurrency(8, "throttled")).toBe(4);
    expect(nextConcurrency(1, "throttled")).toBe(1);
    expect(nextConcurrency(16, "ok")).toBe(16);
    expect(nextConcurrency(3, "ok")).toBe(4);
  });
  it("transitions, ETA and the cost cap", () => {
    expect(canMove("running", "paused")).toBe(true);
    expect(canMove("done", "running")).toBe(false);
    expect(canMove("cancelled", "running")).toBe(false);
    expect(etaSeconds(50, 100, 0, 10_000)).toBeNull();
    expect(etaSeconds(50, 100, 1000, 11_000)).toBe(10);
    expect(overCap(1, 1)).toBe(true);
    expect(overCap(1, null)).toBe(false);
  });
});
