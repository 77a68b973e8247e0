#!/usr/bin/env node
/**
 * `npm run eval [-- SUITE...]`: runs the offline eval suites and prints their figures.
 * Suites: router (held-out router set), redlines (adversarial guardrail suite), actions
 * (tau-bench-style store state), answers (the issue-18 scenario suite through the real
 * engine), answers-llm (the same suite on the LLM path against scripted hung and failing models),
 * analytics (execution accuracy of the analytics agent's embedded engine on its gold question set).
 * The workerd suites run through vitest because they need D1, R2 and the index.
 * Default: all of them. Exits non-zero when any suite fails its goals.
 *
 * `npm run eval -- run --set FILE.csv --variant NAME …` and `npm run eval -- redlines-set`
 * are the Eval Lab's API client instead (evals/lab.mjs).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const node = process.execPath;
const SUITES = {
  router: [node, ["--experimental-strip-types", "evals/router/cli.ts"]],
  redlines: [node, ["--experimental-strip-types", "evals/redlines/run.ts"]],
  actions: ["npx", ["vitest", "run", "--project", "workers", "test/workers/ai/actions-eval.test.ts"]],
  answers: ["npx", ["vitest", "run", "--project", "workers", "test/workers/ai/answers-eval.test.ts"]],
  analytics: [node, ["evals/analytics/run.ts"]],
  "answers-llm": ["npx", ["vitest", "run", "--project", "workers", "test/workers/ai/answers-llm-eval.test.ts"]],
};

if (process.argv[2] === "run" || process.argv[2] === "redlines-set") {
  const lab = spawnSync(node, [fileURLToPath(new URL("./lab.mjs", import.meta.url)), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: process.env,
  });
  process.exit(lab.status ?? 1);
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length ? wanted : Object.keys(SUITES);
let failed = 0;
for (const name of names) {
  const suite = SUITES[name];
  if (!suite) {
    console.error(`unknown suite "${name}"; one of: ${Object.keys(SUITES).join(", ")}`);
    process.exit(2);
  }
  console.log(`\n=== eval: ${name}`);
  const [cmd, args] = suite;
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
