/**
 * Router evaluation CLI:
 *   node evals/router/cli.ts [FILE.csv] [--errors]
 * FILE has columns text,primary[,secondary] (secondary "a|b"); defaults to the held-out
 * set. Prints accuracy, per-category P/R/F1, the confusion matrix, secondary recall and
 * p50/p99 latency per message.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CATEGORY_KEYS } from "../../workers/lib/categories.ts";
import { parseCsvRecords } from "../../workers/lib/csv.ts";
import { evaluateRouter, toEvalRows } from "./evaluate.ts";

const args = process.argv.slice(2);
const file =
  args.find((a) => !a.startsWith("--")) ??
  fileURLToPath(new URL("../../workers/ai/router/data/heldout.csv", import.meta.url));
const rows = toEvalRows(parseCsvRecords(readFileSync(file, "utf8")));
const res = evaluateRouter(rows);

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const pad = (s: string, n: number): string => s.padEnd(n);
const ABBR = CATEGORY_KEYS.map((k) =>
  k
    .split("_")
    .map((p) => p.slice(0, 3))
    .join("_")
    .slice(0, 7),
);

console.log(`file: ${file}`);
console.log(`rows: ${res.rows}   accuracy: ${pct(res.accuracy)}`);
console.log(`\n${pad("category", 22)}precision  recall     f1     support`);
for (const k of CATEGORY_KEYS) {
  const m = res.perCategory[k];
  console.log(`${pad(k, 22)}${pad(pct(m.precision), 11)}${pad(pct(m.recall), 11)}${pad(pct(m.f1), 7)}${m.support}`);
}
console.log(`\nconfusion (rows = gold, columns = predicted)`);
console.log(`${pad("", 22)}${ABBR.map((a) => a.padStart(8)).join("")}`);
CATEGORY_KEYS.forEach((g) => {
  console.log(`${pad(g, 22)}${CATEGORY_KEYS.map((p) => String(res.confusion[g][p]).padStart(8)).join("")}`);
});
console.log(
  `\nsecondary intents: recall ${pct(res.secondaryRecall)} over ${res.secondaryRows} rows with a secondary; precision ${pct(res.secondaryPrecision)}`,
);
console.log(
  `latency per message: p50 ${res.latencyMs.p50.toFixed(3)} ms, p99 ${res.latencyMs.p99.toFixed(3)} ms, mean ${res.latencyMs.mean.toFixed(3)} ms`,
);
if (args.includes("--errors")) {
  console.log("\nerrors:");
  for (const e of res.errors) console.log(`  ${e.gold} → ${e.predicted} (${e.confidence.toFixed(2)})  ${e.text}`);
}
