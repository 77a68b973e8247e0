/** Runs the action-correctness eval (evals/actions) on the demo store and reports its score. */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { runActionEval } from "../../../evals/actions/run.ts";

it("reaches the gold store state on every scripted task", async () => {
  const { results, score } = await runActionEval(env, "t1");
  console.log(
    `[actions-eval] score ${(score * 100).toFixed(0)}% (${results.filter((r) => r.pass).length}/${results.length})`,
    JSON.stringify(results.map((r) => ({ id: r.id, pass: r.pass, proposed: r.proposed.map((p) => p.tool) }))),
  );
  expect(results.length).toBeGreaterThanOrEqual(5);
  expect(results.filter((r) => !r.pass).map((r) => r.id)).toEqual([]);
  expect(score).toBe(1);
}, 30_000);
