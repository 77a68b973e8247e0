#!/usr/bin/env node
/**
 * `npm run eval [-- SUITE...]`: runs the offline eval suites and prints their figures.
 * Suites: router (held-out router set), redlines (adversarial guardrail suite), actions
 * (tau-bench-style store state), answers (the issue-18 scenario suite through the real
 * engine; ANSWERS_LLM=1 runs it on the LLM path against a scripted fake model).
 * The workerd suites run through vitest because they need D1, R2 and the index.
 * Default: all of them. Exits non-zero when any suite fails its goals.
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
  "answers-llm": ["npx", ["vitest", "run", "--project", "workers", "test/workers/ai/answers-llm-eval.test.ts"]],
};

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
