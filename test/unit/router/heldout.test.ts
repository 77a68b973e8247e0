// Quality floor of the local router on the held-out set (workers/ai/router/data/
// heldout.csv; sources in data/SOURCES.md). Not a timing test: latency is reported by
// `node evals/router/cli.ts`, not asserted here.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCsvRecords } from "../../../workers/lib/csv.ts";
import { evaluateRouter, toEvalRows } from "../../../evals/router/evaluate.ts";

const file = fileURLToPath(new URL("../../../workers/ai/router/data/heldout.csv", import.meta.url));
const rows = toEvalRows(parseCsvRecords(readFileSync(file, "utf8")));

describe("router on held-out data", () => {
  const res = evaluateRouter(rows);

  it("reaches at least 90% primary accuracy", () => {
    expect(res.rows).toBe(rows.length);
    expect(res.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("recovers most secondary intents of two-intent messages", () => {
    expect(res.secondaryRows).toBeGreaterThanOrEqual(30);
    expect(res.secondaryRecall).toBeGreaterThanOrEqual(0.8);
  });

  it("has consistent confusion counts", () => {
    const total = Object.values(res.confusion).reduce((n, row) => n + Object.values(row).reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(rows.length);
  });
});
