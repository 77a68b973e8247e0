/**
 * Writes the suite as two Eval Lab CSVs beside scenarios.json:
 *   node --experimental-strip-types evals/answers/export.ts
 */
import { writeFileSync } from "node:fs";
import { scenariosCsv } from "./csv.ts";
import { loadScenarios } from "./scenarios.ts";

const all = loadScenarios();
for (const split of ["heldout", "tuning"] as const) {
  const file = new URL(`./answers-${split}.csv`, import.meta.url);
  writeFileSync(file, scenariosCsv(all.filter((s) => s.split === split)));
  console.log(`wrote ${file.pathname}`);
}
