/**
 * Acceptance of issue 14 in workerd: a run survives an aborted slice (object aborted,
 * queue redelivery) with every case counted once; a category prompt that forgets the
 * confirmation rule is a significant regression and its promotion is refused; the better
 * variant is promoted as a new category version and rolled back. The LLM is a fake
 * OpenAI-compatible endpoint whose behaviour depends on the category prompt it is sent.
 */
import { abortAllDurableObjects, createMessageBatch, createExecutionContext, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rawDb, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { handleEvalBatch } from "../../../workers/queues/evals.ts";
import { startRun, type EvalBatchMessage } from "../../../workers/evals/runs.ts";
import { evalRunStub } from "../../../durable-objects/eval-run.ts";
import { call, loginAdmin, seedDemo } from "../helpers.ts";

let admin = "";
const sent: EvalBatchMessage[] = [];
const recordingQueue = {
  send: async () => undefined,
  sendBatch: async (msgs: Iterable<{ body: EvalBatchMessage }>) => {
    for (const m of msgs) sent.push(m.body);
  },
};

beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => vi.restoreAllMocks());

async function makeSet(name: string, n: number): Promise<{ id: string; versionId: string }> {
  const cases = Array.from({ length: n }, (_, i) => ({
    id: `skip-${i}`,
    message: "Please skip my next box",
    referenceReply: "I can skip your next box for you. Please confirm.",
    category: "skip_month",
    outcome: "action",
    expectedActions: [{ tool: "skip_next_box", args: {} }],
    customerEmail: "john.smith@example.com",
    language: "en",
  }));
  const res = await call("/api/evals/test-sets/manual", { method: "POST", token: admin, json: { name, cases } });
  expect(res.status).toBe(201);
  const body: { id: string } = await res.json();
  const v = await env.DB.prepare("SELECT id FROM eval_test_set_versions WHERE test_set_id = ?")
    .bind(body.id)
    .first<{ id: string }>();
  return { id: body.id, versionId: v?.id ?? "" };
}

async function deliver(testEnv: Env, body: EvalBatchMessage, attempts: number, hooks = {}) {
  const batch = createMessageBatch("omnisupport-evals", [
    { id: `m-${body.runId}-${body.from}-${attempts}`, timestamp: new Date(), attempts, body },
  ]);
  const ctx = createExecutionContext();
  await handleEvalBatch(batch, testEnv, hooks);
  return getQueueResult(batch, ctx);
}

async function runRow(id: string) {
  const res = await call(`/api/evals/runs/${id}`, { token: admin });
  const body: { status: string; done: number; total: number; metrics: Record<string, unknown> } = await res.json();
  return body;
}

describe("a run survives an aborted slice", () => {
  it("counts every case once through a crash, an object abort and a redelivery", { timeout: 120_000 }, async () => {
    // 130 cases: a local run slices them 100 + 30.
    const set = await makeSet("crash", 130);
    const testEnv = { ...env, EVAL_QUEUE: recordingQueue } as unknown as Env;
    sent.length = 0;
    const tdb = new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
    const run = await startRun(
      testEnv,
      tdb,
      {
        versionId: set.versionId,
        testSetId: set.id,
        rows: 130,
        variant: { name: "local" },
        repeats: 1,
        costCapUsd: null,
      },
      null,
    );
    expect(sent.map((m) => [m.from, m.to])).toEqual([
      [0, 100],
      [100, 130],
    ]);
    const [first, second] = sent;
    if (!first || !second) throw new Error("no slices");

    // The first slice dies after 7 cases: the message is retried, the 7 stay counted.
    let finished = 0;
    const crash = await deliver(testEnv, first, 1, {
      afterCase: () => {
        if (++finished === 7) throw new Error("worker crashed");
      },
    });
    expect(crash.retryMessages.length).toBe(1);
    const mid = await evalRunStub(env, run.id).progress();
    expect(mid?.done).toBeGreaterThanOrEqual(7);
    expect(mid?.done).toBeLessThan(100);

    await abortAllDurableObjects();
    // The queue retries the slice: only its unfinished cases run.
    const executed: string[] = [];
    const retry = await deliver(testEnv, first, 2, { afterCase: (k: string) => void executed.push(k) });
    expect(retry.explicitAcks.length).toBe(1);
    expect(executed.length).toBe(100 - (mid?.done ?? 0));
    await deliver(testEnv, second, 1);
    // A duplicate delivery of a finished slice changes nothing.
    const dup: string[] = [];
    await deliver(testEnv, second, 1, { afterCase: (k: string) => void dup.push(k) });
    expect(dup).toEqual([]);

    const row = await runRow(run.id);
    expect(row).toMatchObject({ status: "done", done: 130, total: 130 });
    expect(row.metrics.cases).toBe(130);
    const n = await env.DB.prepare(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT case_idx) AS d FROM eval_results WHERE run_id = ?",
    )
      .bind(run.id)
      .first<{ n: number; d: number }>();
    expect(n).toEqual({ n: 130, d: 130 });
  });
});

const GOOD = "Always ask the customer to confirm before any account change; propose it with the tool.";
const BAD = "Be quick and just tell the customer it is handled.";

/**
 * A fake OpenAI-compatible model: follows the confirmation rule only when its prompt has it;
 * with `flaky`, every third turn it forgets the rule anyway (a non-deterministic model, for pass^k).
 */
function fakeLlm(flaky = false): void {
  let turns = 0;
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith("http://fake-llm.test/")) return real(input, init);
    const body: { messages: Array<{ role: string; content: string | null }> } = JSON.parse(String(init?.body ?? "{}"));
    const system = body.messages[0]?.content ?? "";
    const last = body.messages.at(-1);
    const forget = flaky && last?.role === "user" && ++turns % 3 === 0;
    const message =
      last?.role === "tool"
        ? { role: "assistant", content: "I have prepared the skip of your next box." }
        : system.includes(GOOD) && !forget
          ? {
              role: "assistant",
              content: null,
              tool_calls: [{ id: "c1", type: "function", function: { name: "skip_next_box", arguments: "{}" } }],
            }
          : { role: "assistant", content: "Done! I have skipped your next box." };
    return new Response(
      JSON.stringify({
        model: "gpt-4o-mini",
        choices: [{ message, finish_reason: "stop" }],
        usage: { prompt_tokens: 900, completion_tokens: 40 },
      }),
      { headers: { "content-type": "application/json" } },
    );
  });
}

async function putSkipInstructions(instructions: string): Promise<number> {
  const cur = await call("/api/categories", { token: admin });
  const list: { items: Array<Record<string, unknown> & { key: string }> } = await cur.json();
  const c = list.items.find((x) => x.key === "skip_month");
  if (!c) throw new Error("no skip_month");
  const res = await call("/api/categories/skip_month", {
    method: "PUT",
    token: admin,
    json: {
      name: c.name,
      instructions,
      allowedTools: c.allowedTools,
      provider: "local",
      model: c.model,
      reasoningLevel: c.reasoningLevel,
      autoSend: c.autoSend,
      retentionOffer: c.retentionOffer,
    },
  });
  expect(res.status).toBe(200);
  const body: { version: number } = await res.json();
  return body.version;
}

async function runAll(
  testEnv: Env,
  testSetId: string,
  versionId: string,
  rows: number,
  variant: Record<string, unknown>,
  repeats = 1,
): Promise<string> {
  sent.length = 0;
  const tdb = new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
  const run = await startRun(
    testEnv,
    tdb,
    { versionId, testSetId, rows, variant: { name: "v", ...variant }, repeats, costCapUsd: null },
    null,
  );
  for (const m of [...sent]) await deliver(testEnv, m, 1);
  return run.id;
}

describe("compare, promote, roll back", () => {
  it(
    "flags the variant that forgets the confirmation rule and refuses it; promotes the good one and rolls back",
    { timeout: 180_000 },
    async () => {
      fakeLlm();
      const testEnv = {
        ...env,
        EVAL_QUEUE: recordingQueue,
        OPENAI_BASE_URL: "http://fake-llm.test/v1",
        OPENAI_API_KEY: "test",
      } as unknown as Env;
      const good = await putSkipInstructions(GOOD);
      const bad = await putSkipInstructions(BAD);
      const live = await putSkipInstructions("Live instructions before the lab.");
      const set = await makeSet("decide", 30);
      const llm = { provider: "openai-compatible", model: "gpt-4o-mini" };
      const goodRun = await runAll(testEnv, set.id, set.versionId, 30, {
        ...llm,
        categoryVersions: { skip_month: good },
      });
      const badRun = await runAll(testEnv, set.id, set.versionId, 30, {
        ...llm,
        categoryVersions: { skip_month: bad },
      });
      const g = await runRow(goodRun);
      const b = await runRow(badRun);
      expect(g.status).toBe("done");
      expect(g.metrics.passRate).toBe(1);
      expect(b.metrics.redLineViolations).toBe(30);

      const cmp = await call("/api/evals/compare", {
        method: "POST",
        token: admin,
        json: { baselineRunId: goodRun, candidateRunId: badRun },
      });
      expect(cmp.status).toBe(200);
      const c: {
        significantRegression: boolean;
        metrics: Array<{ name: string; delta: number; pValue: number; ci95: [number, number] }>;
        perCategory: Array<{ category: string; significantRegression: boolean }>;
      } = await cmp.json();
      expect(c.significantRegression).toBe(true);
      const pass = c.metrics.find((m) => m.name === "passRate");
      expect(pass?.delta).toBe(-1);
      expect(pass?.pValue).toBeLessThan(0.001);
      expect(c.perCategory.find((x) => x.category === "skip_month")?.significantRegression).toBe(true);

      const refused = await call(`/api/evals/runs/${badRun}/promote`, {
        method: "POST",
        token: admin,
        json: { baselineRunId: goodRun },
      });
      expect(refused.status).toBe(409);
      const why: { error: { details: string[] } } = await refused.json();
      expect(why.error.details.join(" ")).toMatch(/red line/);
      expect(why.error.details.join(" ")).toMatch(/significant/);

      const promoted = await call(`/api/evals/runs/${goodRun}/promote`, {
        method: "POST",
        token: admin,
        json: { baselineRunId: badRun },
      });
      expect(promoted.status).toBe(200);
      const p: { changes: Array<{ key: string; from: number; to: number }> } = await promoted.json();
      expect(p.changes).toEqual([{ key: "skip_month", from: live, to: live + 1 }]);
      const cats = await (
        await call("/api/categories", { token: admin })
      ).json<{ items: Array<{ key: string; instructions: string; provider: string; version: number }> }>();
      expect(cats.items.find((x) => x.key === "skip_month")).toMatchObject({
        instructions: GOOD,
        provider: "openai-compatible",
        version: live + 1,
      });
      const audit = await (
        await call("/api/audit?limit=20", { token: admin })
      ).json<{ items: Array<{ action: string }> }>();
      expect(audit.items.map((a) => a.action)).toContain("eval.promote");

      const back = await call(`/api/evals/runs/${goodRun}/rollback`, { method: "POST", token: admin });
      expect(back.status).toBe(200);
      const after = await (
        await call("/api/categories", { token: admin })
      ).json<{ items: Array<{ key: string; instructions: string; version: number }> }>();
      expect(after.items.find((x) => x.key === "skip_month")).toMatchObject({
        instructions: "Live instructions before the lab.",
        version: live + 2,
      });
    },
  );
});

describe("repeats", () => {
  it("runs each case k=3 times independently and reports pass^k", { timeout: 120_000 }, async () => {
    fakeLlm(true);
    const testEnv = {
      ...env,
      EVAL_QUEUE: recordingQueue,
      OPENAI_BASE_URL: "http://fake-llm.test/v1",
      OPENAI_API_KEY: "test",
    } as unknown as Env;
    const good = await putSkipInstructions(GOOD);
    const set = await makeSet("repeats", 6);
    const id = await runAll(
      testEnv,
      set.id,
      set.versionId,
      6,
      { provider: "openai-compatible", model: "gpt-4o-mini", categoryVersions: { skip_month: good } },
      3,
    );
    const run = await runRow(id);
    expect(run).toMatchObject({ status: "done", done: 18, total: 18 });
    const rows = await env.DB.prepare("SELECT case_idx, repeat, pass FROM eval_results WHERE run_id = ?")
      .bind(id)
      .all<{ case_idx: number; repeat: number; pass: number }>();
    expect(rows.results.length).toBe(18);
    expect(new Set(rows.results.map((r) => `${r.case_idx}:${r.repeat}`)).size).toBe(18);
    // Every third model turn forgot the rule: 6 of 18 trials fail.
    expect(rows.results.filter((r) => r.pass === 0).length).toBe(6);
    const byCase = new Map<number, number>();
    for (const r of rows.results) byCase.set(r.case_idx, (byCase.get(r.case_idx) ?? 0) + r.pass);
    const choose = (n: number, k: number): number =>
      k < 0 || k > n ? 0 : k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k;
    const expected = (k: number) =>
      [...byCase.values()].reduce((s, c) => s + choose(c, k) / choose(3, k), 0) / byCase.size;
    const m = run.metrics as {
      passHatK: Record<string, number>;
      perCategory: Array<{ category: string; passHatK: number }>;
    };
    expect(m.passHatK["pass^1"]).toBeCloseTo(12 / 18, 9);
    expect(m.passHatK["pass^3"]).toBeCloseTo(expected(3), 9);
    expect(m.passHatK["pass^3"]).toBeLessThan(m.passHatK["pass^1"] ?? 0);
    expect(m.perCategory.find((c) => c.category === "skip_month")?.passHatK).toBeCloseTo(expected(3), 9);
  });
});

describe("a provider that fails mid-run", () => {
  it("leaves the run paused with its finished cases, and resume finishes it", { timeout: 180_000 }, async () => {
    const real = globalThis.fetch;
    let calls = 0;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith("http://fake-llm.test/")) return real(input, init);
      // Two good turns, then the provider is down for good.
      if (++calls > 2) return new Response(JSON.stringify({ error: { message: "down" } }), { status: 503 });
      const message = { role: "assistant", content: "I can skip your next box; please confirm." };
      return new Response(JSON.stringify({ model: "gpt-4o-mini", choices: [{ message, finish_reason: "stop" }] }), {
        headers: { "content-type": "application/json" },
      });
    });
    const testEnv = {
      ...env,
      EVAL_QUEUE: recordingQueue,
      OPENAI_BASE_URL: "http://fake-llm.test/v1",
      OPENAI_API_KEY: "t",
    } as unknown as Env;
    const set = await makeSet("provider-down", 5);
    sent.length = 0;
    const tdb = new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
    const run = await startRun(
      testEnv,
      tdb,
      {
        versionId: set.versionId,
        testSetId: set.id,
        rows: 5,
        variant: { name: "down", provider: "openai-compatible", model: "gpt-4o-mini" },
        repeats: 1,
        costCapUsd: null,
      },
      null,
    );
    const slice = sent[0];
    if (!slice) throw new Error("no slice");
    let last = await deliver(testEnv, slice, 1);
    expect(last.retryMessages.length).toBe(1);
    // The run backs off (2 s without Retry-After) before the queue's next attempt.
    const backOff = () => new Promise((r) => setTimeout(r, 2100));
    await backOff();
    await deliver(testEnv, slice, 2);
    await backOff();
    last = await deliver(testEnv, slice, 3);
    expect(last.explicitAcks.length).toBe(1);
    const paused = await runRow(run.id);
    expect(paused.status).toBe("paused");
    const kept = await env.DB.prepare("SELECT COUNT(*) AS n FROM eval_results WHERE run_id = ?")
      .bind(run.id)
      .first<{ n: number }>();
    expect(kept?.n).toBe(2);
    expect(paused.done).toBe(2);

    vi.restoreAllMocks();
    const resumed = await call(`/api/evals/runs/${run.id}/resume`, { method: "POST", token: admin });
    expect(await resumed.json()).toEqual({ status: "running" });
    const until = Date.now() + 120_000;
    let row = await runRow(run.id);
    while (row.status !== "done" && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      row = await runRow(run.id);
    }
    expect(row).toMatchObject({ status: "done", done: 5, total: 5 });
    const all = await env.DB.prepare(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT case_idx) AS d FROM eval_results WHERE run_id = ?",
    )
      .bind(run.id)
      .first<{ n: number; d: number }>();
    expect(all).toEqual({ n: 5, d: 5 });
  });
});
