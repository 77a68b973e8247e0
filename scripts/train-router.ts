/**
 * Trains the local message router and writes workers/ai/router/model.generated.json.
 * Deterministic (seeded SGD, fixed float rounding): the same train.csv always yields a
 * byte-identical model, so the generated file can be committed and checked in CI.
 *
 *   node scripts/train-router.ts [TRAIN.csv] [OUT.json]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCsvRecords } from "../workers/lib/csv.ts";
import { serializeModel, toTrainRows, trainModel } from "../workers/ai/router/train.ts";

const ROUTER = fileURLToPath(new URL("../workers/ai/router/", import.meta.url));
const input = process.argv[2] ?? `${ROUTER}data/train.csv`;
const output = process.argv[3] ?? `${ROUTER}model.generated.json`;

const started = performance.now();
const rows = toTrainRows(parseCsvRecords(readFileSync(input, "utf8")));
const text = serializeModel(trainModel(rows));
writeFileSync(output, text);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`trained on ${rows.length} rows in ${seconds}s → ${output} (${(text.length / 1024).toFixed(0)} KiB)`);
