/**
 * The answers scenario suite (evals/answers) through the real engine on the demo store.
 * Prints the figures of both splits and the failing TUNING turns only: held-out failures
 * are not printed, so tuning never looks at them.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { formatFigures, runAnswersEval } from "../../../evals/answers/run.ts";

it("meets the answer goals on the scenario suite", async () => {
  const run = await runAnswersEval(env, "t1");
  console.log(`[answers-eval] ${formatFigures("held-out", run.heldout)}`);
  console.log(`[answers-eval] ${formatFigures("tuning", run.tuning)}`);
  console.log(`[answers-eval] ${formatFigures("all", run.all)}`);
  for (const x of run.turns)
    if (x.scenario.split === "tuning" && !x.score.acceptable)
      console.log(
        `[answers-eval] FAIL ${x.scenario.id}#${x.index + 1} ${x.scenario.language} "${x.scenario.turns[x.index]?.customer}" → ${x.decision} [${x.reasons.join(",")}]: ${x.score.reasons.join("; ")} | ${x.text.replace(/\n/g, " ⏎ ").slice(0, 300)}`,
      );
  expect(run.all.conversations).toBeGreaterThanOrEqual(100);
  expect(run.all.silent).toBe(0);
  expect(run.all.actionsOutsideSent).toBe(0);
  expect(run.all.acceptableRate).toBeGreaterThanOrEqual(0.85);
  // The honest figure is the split nobody tuned on: the goal holds there too.
  expect(run.heldout.acceptableRate).toBeGreaterThanOrEqual(0.85);
  expect(run.all.nonEnglishKnowledgeRate).toBeGreaterThanOrEqual(0.8);
}, 300_000);
