#!/usr/bin/env node
/**
 * Size of the built widget (public/widget.js): raw bytes and gzip level 9, against the
 * 25 KB gzip budget. `node bench/widget/size.mjs` prints JSON; `measureWidget()` is used
 * by the main bench runner.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const BUDGET_GZIP_BYTES = 25 * 1024;
const defaultPath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "public", "widget.js");

export function measureWidget(path = defaultPath) {
  const raw = readFileSync(path);
  const gzip = gzipSync(raw, { level: 9 }).length;
  return {
    file: "public/widget.js",
    rawBytes: raw.length,
    gzipBytes: gzip,
    budgetGzipBytes: BUDGET_GZIP_BYTES,
    withinBudget: gzip <= BUDGET_GZIP_BYTES,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = measureWidget();
  console.log(JSON.stringify(result, null, 2));
  if (!result.withinBudget) process.exitCode = 1;
}
