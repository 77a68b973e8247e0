/**
 * Router throughput and latency on the held-out set, printed as JSON for bench/run.mjs.
 * Uses evaluateRouter (one unmeasured warm-up pass, then per-message timing) and a
 * second timed pass over all rows for classifications per second.
 * Run: node bench/ai/router.ts
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCsvRecords } from "../../workers/lib/csv.ts";
import { evaluateRouter, toEvalRows } from "../../evals/router/evaluate.ts";
import { routeMessage } from "../../workers/ai/router/index.ts";

const file = fileURLToPath(new URL("../../workers/ai/router/data/heldout.csv", import.meta.url));
const rows = toEvalRows(parseCsvRecords(readFileSync(file, "utf8")));
const evaluation = evaluateRouter(rows);

const passes = 5;
const started = performance.now();
for (let p = 0; p < passes; p++) for (const r of rows) routeMessage(r.text);
const seconds = (performance.now() - started) / 1000;

console.log(
  JSON.stringify({
    rows: rows.length,
    accuracy: Math.round(evaluation.accuracy * 1000) / 1000,
    p50Ms: Math.round(evaluation.latencyMs.p50 * 1000) / 1000,
    p99Ms: Math.round(evaluation.latencyMs.p99 * 1000) / 1000,
    classificationsPerSec: Math.round((passes * rows.length) / seconds),
  }),
);
