/**
 * The cost of an eval slice in D1 round trips (issue 14, performance): the workspace
 * settings and the category rows are read once per slice, not once per turn; results are
 * checkpointed in groups; and the cases score exactly as they do one by one.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { processEvalBatch, runContext, startRun, type EvalBatchMessage } from "../../../workers/evals/runs.ts";
import { executeCase } from "../../../workers/evals/runner.ts";
import { EvalCase } from "../../../workers/protocol/evals.ts";
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

/** env.DB that remembers every statement it is asked to prepare and every batch call. */
function countingDb() {
  const db = env.DB;
  const statements: string[] = [];
  let batches = 0;
  const wrapped = {
    prepare: (query: string) => {
      statements.push(query);
      return db.prepare(query);
    },
    batch: (list: D1PreparedStatement[]) => {
      batches++;
      return db.batch(list);
    },
    exec: (query: string) => db.exec(query),
    withSession: () => db.withSession(),
    dump: () => db.dump(),
  };
  return { db: wrapped as unknown as D1Database, statements, batches: () => batches };
}

const MESSAGES = [
  "Please skip my next box",
  "Where is my box?",
  "Can I change my delivery to every two months?",
  "My card was declined, what do I do?",
  "Do you ship to Canada?",
];

beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});

describe("an eval slice", () => {
  it("reads settings and categories once and checkpoints in groups", { timeout: 120_000 }, async () => {
    const cases = Array.from({ length: 25 }, (_, i) => ({
      id: `c-${i}`,
      message: MESSAGES[i % MESSAGES.length] ?? "",
      referenceReply: "Happy to help.",
      customerEmail: "john.smith@example.com",
      language: "en",
    }));
    const res = await call("/api/evals/test-sets/manual", {
      method: "POST",
      token: admin,
      json: { name: "io", cases },
    });
    expect(res.status).toBe(201);
    const set: { id: string } = await res.json();
    const v = await env.DB.prepare("SELECT id FROM eval_test_set_versions WHERE test_set_id = ?")
      .bind(set.id)
      .first<{ id: string }>();
    const tdb = new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
    sent.length = 0;
    const run = await startRun(
      { ...env, EVAL_QUEUE: recordingQueue } as unknown as Env,
      tdb,
      {
        versionId: v?.id ?? "",
        testSetId: set.id,
        rows: 25,
        variant: { name: "local" },
        repeats: 1,
        costCapUsd: null,
      },
      null,
    );
    const slice = sent[0];
    if (!slice) throw new Error("no slice");
    expect([slice.from, slice.to]).toEqual([0, 25]);

    const counting = countingDb();
    const outcome = await processEvalBatch({ ...env, DB: counting.db }, slice, 1);
    expect(outcome).toEqual({ kind: "ack" });
    const reads = (table: string) => counting.statements.filter((s) => s.includes(`from "${table}"`)).length;
    // One read each for the whole slice (the production turn reads both on every turn).
    expect(reads("workspaces")).toBe(1);
    expect(reads("categories")).toBe(1);
    // 25 results: a group of 20 and the rest, each one D1 call of 7-row inserts.
    const inserts = counting.statements.filter((s) => s.startsWith(`insert into "eval_results"`));
    expect(inserts).toHaveLength(4);
    expect(counting.batches()).toBe(2);
    // The slice that completed the run wrote its metrics before the run reads as done.
    expect(await evalRunStub(env, run.id).progress()).toMatchObject({ done: 25, status: "done" });
    const finished = await tdb.first(schema.evalRuns, eq(schema.evalRuns.id, run.id));
    expect(finished).toMatchObject({ status: "done", metrics: expect.objectContaining({ cases: 25 }) });

    // Each stored result is what the case gives when run on its own.
    const stored = await env.DB.prepare("SELECT case_idx, pass, detail FROM eval_results WHERE run_id = ?")
      .bind(run.id)
      .all<{ case_idx: number; pass: number; detail: string }>();
    expect(stored.results).toHaveLength(25);
    const runRow = await tdb.first(schema.evalRuns, eq(schema.evalRuns.id, run.id));
    if (!runRow) throw new Error("no run");
    const single = await runContext(env, tdb, runRow);
    for (const idx of [0, 1, 2, 3, 4]) {
      const row = await env.DB.prepare("SELECT data FROM eval_cases WHERE version_id = ? AND idx = ?")
        .bind(v?.id ?? "", idx)
        .first<{ data: string }>();
      const o = await executeCase(single, EvalCase.parse(JSON.parse(row?.data ?? "{}")), idx, 0);
      const mine = stored.results.find((r) => r.case_idx === idx);
      expect(Boolean(mine?.pass)).toBe(o.pass);
      const detail: { reply: string; scores: Array<{ name: string }> } = JSON.parse(mine?.detail ?? "{}");
      expect(detail.reply).toBe(o.detail.reply);
      // Latency is the only score that may differ between two executions.
      const timeless = (scores: Array<{ name: string }>) => scores.filter((x) => x.name !== "latency_ms");
      expect(timeless(detail.scores)).toEqual(timeless(o.detail.scores));
      expect(timeless(detail.scores).length).toBeGreaterThan(5);
    }
  });
});
