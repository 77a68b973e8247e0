/**
 * The answers suite on the LLM path against scripted fake OpenAI-compatible models
 * (issue 18, LLM path): a hung model (answers after 2 s, budget 300 ms) and a failing
 * one (HTTP 503). Every turn must still be answered — by the local engine within the
 * turn's budget — with every failed model attempt traced. Figures for both splits are
 * printed; held-out failures are not.
 */
import { env } from "cloudflare:workers";
import { afterEach, expect, it, vi } from "vitest";
import { fakeOpenAi, type FakeReply } from "../../../evals/lib/fake-openai.ts";
import { formatFigures, runAnswersEval } from "../../../evals/answers/run.ts";

const BASE = "https://scripted-llm.test/v1";
afterEach(() => vi.restoreAllMocks());

async function runWith(name: string, reply: FakeReply) {
  const fake = fakeOpenAi(BASE, () => reply, globalThis.fetch.bind(globalThis));
  vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
  const llmEnv = Object.assign({}, env, {
    AI_PROVIDER: "openai-compatible",
    OPENAI_BASE_URL: BASE,
    OPENAI_API_KEY: "sk-test-fake",
  });
  const started = Date.now();
  const run = await runAnswersEval(env, `llm_${name}`, { env: llmEnv, llmBudget: { firstMs: 300, totalMs: 600 } });
  const seconds = (Date.now() - started) / 1000;
  const fellBack = run.turns.filter((t) => t.fellBack).length;
  console.log(`[answers-llm-eval] ${name}: ${formatFigures("held-out", run.heldout)}`);
  console.log(`[answers-llm-eval] ${name}: ${formatFigures("tuning", run.tuning)}`);
  console.log(
    `[answers-llm-eval] ${name}: ${fake.requests.length} model requests, ${fellBack}/${run.turns.length} turns fell back to the local engine, ${seconds.toFixed(0)} s`,
  );
  return { run, fellBack, requests: fake.requests.length };
}

it("a hung model: every turn is answered by the local engine within the budget", async () => {
  const { run, fellBack, requests } = await runWith("hung", { text: "late", delayMs: 2_000 });
  expect(requests).toBeGreaterThan(0);
  expect(fellBack).toBeGreaterThan(0);
  expect(run.all.silent).toBe(0);
  expect(run.all.actionsOutsideSent).toBe(0);
  expect(run.all.acceptableRate).toBeGreaterThanOrEqual(0.85);
  for (const t of run.turns.filter((x) => x.fellBack)) expect(t.llmAttempts ?? 0).toBeGreaterThan(0);
}, 900_000);

it("a failing model (503): every turn is answered by the local engine", async () => {
  const { run, fellBack } = await runWith("failing", { status: 503 });
  expect(fellBack).toBeGreaterThan(0);
  expect(run.all.silent).toBe(0);
  expect(run.all.actionsOutsideSent).toBe(0);
  expect(run.all.acceptableRate).toBeGreaterThanOrEqual(0.85);
}, 900_000);
