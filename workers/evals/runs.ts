/**
 * Runs on the queue. Starting a run writes the run row, sets up its EvalRun object and
 * enqueues one EVAL_QUEUE message per slice of cases. The consumer (`processEvalBatch`)
 * executes a slice:
 *   1. asks the run object whether to run (paused/cancelled slices are acknowledged and
 *      re-enqueued on resume) and how many cases at once;
 *   2. skips cases already in D1 (`eval_results`, unique per run × case × repeat), so a
 *      redelivered or crashed slice runs only its unfinished cases;
 *   3. writes results to D1 before reporting them (in groups of CHECKPOINT_GROUP cases with
 *      the local engine and judge, one D1 call per group; a case that called a provider is
 *      written at once, so a crash never makes it run and bill again), then reports every
 *      result of the slice to the object, which counts each key once;
 *   4. on a provider 429/5xx backs off (Retry-After, halved concurrency) and retries the
 *      message; when the provider keeps failing, pauses the run with its finished cases kept.
 * The call that completes the run writes the run's metrics, and only then marks the run done
 * in its object (a run reads as done only when its metrics can be read).
 */
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { z } from "zod";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { envString } from "../commerce/connector.ts";
import { newId } from "../lib/ids.ts";
import { EvalCase, Variant, type RunStatus } from "../protocol/evals.ts";
import { PRICES } from "../ai/providers/pricing.ts";
import { ProviderError } from "../ai/providers/types.ts";
import type { CategoryConfig } from "../ai/agent/context.ts";
import { evalRunStub, type RecordItem } from "../../durable-objects/eval-run.ts";
import { CustomEvaluatorDef } from "./custom.ts";
import { DEFAULT_RUBRIC, JudgeConfig, JudgeUnavailableError, judgeFor } from "./judge.ts";
import { computeMetrics } from "./metrics.ts";
import { estimateCost } from "./progress.ts";
import { executeCase, VariantProviderError, type RunContext } from "./runner.ts";
import { loadStoreSnapshot } from "./sandbox-store.ts";
import { insertResults, loadResultRows, type ResultInsert } from "./results.ts";
import { preloadContext } from "./preload.ts";

/** Result reads live in results.ts; re-exported for the API. */
export { loadResultRows, resultPage } from "./results.ts";

/** Cases per queue message with a model: small enough to finish well inside one consumer invocation. */
export const CASES_PER_MESSAGE = 25;
/**
 * Cases per queue message with the local engine (~15 ms of CPU a case): a slice's fixed
 * cost (its run, cases, store snapshot, settings and categories read from D1, three calls
 * to the run object) is then shared by 100 cases instead of 25.
 */
export const LOCAL_CASES_PER_MESSAGE = 100;

/** Slice size for a variant: the local engine's cases are cheap and never billed. */
export function casesPerMessage(variant: Variant): number {
  return variant.provider && variant.provider !== "local" ? CASES_PER_MESSAGE : LOCAL_CASES_PER_MESSAGE;
}
/** Unbilled cases written to D1 per checkpoint: a crash re-runs at most this many local cases. */
export const CHECKPOINT_GROUP = 20;
/** The consumer's max_retries (wrangler.toml): the last attempt pauses the run instead of retrying. */
export const EVAL_GIVE_UP_ATTEMPTS = 3;

export const EvalBatchMessage = z.object({
  kind: z.literal("eval-batch"),
  workspaceId: z.string(),
  runId: z.string(),
  from: z.number().int().min(0),
  to: z.number().int().min(1),
});
export type EvalBatchMessage = z.infer<typeof EvalBatchMessage>;

type RunRow = typeof schema.evalRuns.$inferSelect;

export const caseKey = (idx: number, repeat: number) => `${idx}:${repeat}`;

/** Price estimate of a run before it starts (0 with the local engine). */
export function runEstimate(variant: Variant, cases: number, repeats: number): number {
  const model = variant.provider && variant.provider !== "local" ? (variant.model ?? "gpt-4o-mini") : null;
  return estimateCost(cases, repeats, model ? (PRICES[model] ?? null) : null);
}

/** Enqueues the slices of a run (all of them; the consumer skips finished cases). */
export async function enqueueRun(
  env: Env,
  run: { id: string; workspaceId: string },
  rows: number,
  perMessage: number,
): Promise<number> {
  const messages: Array<{ body: EvalBatchMessage }> = [];
  for (let from = 0; from < rows; from += perMessage)
    messages.push({
      body: {
        kind: "eval-batch",
        workspaceId: run.workspaceId,
        runId: run.id,
        from,
        to: Math.min(rows, from + perMessage),
      },
    });
  for (let i = 0; i < messages.length; i += 100) await env.EVAL_QUEUE.sendBatch(messages.slice(i, i + 100));
  return messages.length;
}

/** Creates, sets up and enqueues a run. */
export async function startRun(
  env: Env,
  tdb: TenantDb,
  input: {
    versionId: string;
    testSetId: string;
    rows: number;
    variant: Variant;
    repeats: number;
    costCapUsd: number | null;
  },
  operatorId: string | null,
): Promise<RunRow> {
  const id = newId("run");
  const total = input.rows * input.repeats;
  await tdb.insert(schema.evalRuns, {
    id,
    testSetId: input.testSetId,
    versionId: input.versionId,
    variant: input.variant,
    repeats: input.repeats,
    total,
    status: "queued",
    costCapUsd: input.costCapUsd,
    estimateUsd: runEstimate(input.variant, input.rows, input.repeats),
    createdBy: operatorId,
  });
  await evalRunStub(env, id).setup({ runId: id, workspaceId: tdb.workspaceId, total, costCapUsd: input.costCapUsd });
  await enqueueRun(env, { id, workspaceId: tdb.workspaceId }, input.rows, casesPerMessage(input.variant));
  const row = await tdb.first(schema.evalRuns, eq(schema.evalRuns.id, id));
  if (!row) throw new Error("run row vanished");
  return row;
}

/** category key → the pinned version's snapshot, for the variant's categoryVersions. */
async function pinnedCategories(tdb: TenantDb, variant: Variant): Promise<Map<string, Partial<CategoryConfig>>> {
  const out = new Map<string, Partial<CategoryConfig>>();
  const cv = schema.categoryVersions;
  for (const [key, version] of Object.entries(variant.categoryVersions ?? {})) {
    if (version === undefined) continue;
    const row = await tdb.first(cv, and(eq(cv.categoryKey, key), eq(cv.version, version)));
    const snap = z
      .object({
        instructions: z.string().optional(),
        allowedTools: z.array(z.string()).optional(),
        provider: z.string().optional(),
        model: z.string().optional(),
        reasoningLevel: z.enum(["minimal", "low", "medium", "high"]).optional(),
        autoSend: z.enum(["always", "confident", "never"]).optional(),
        retentionOffer: z.string().nullable().optional(),
        name: z.string().optional(),
      })
      .safeParse(row?.snapshot ?? {});
    if (!row || !snap.success) throw new Error(`category ${key} has no usable version ${version}`);
    const p: Partial<CategoryConfig> = {};
    for (const [k, v] of Object.entries(snap.data)) if (v !== undefined) Object.assign(p, { [k]: v });
    out.set(key, p);
  }
  return out;
}

/** The workspace's judge rubric (the default rubric and the local judge when none is saved). */
export async function loadRubric(tdb: TenantDb): Promise<JudgeConfig> {
  const row = await tdb.db
    .select()
    .from(schema.evalJudgeSettings)
    .where(eq(schema.evalJudgeSettings.workspaceId, tdb.workspaceId))
    .get();
  const parsed = JudgeConfig.safeParse(row?.rubric);
  return parsed.success ? parsed.data : DEFAULT_RUBRIC;
}

/** Everything a slice of a run needs, read once per consumer invocation. */
export async function runContext(env: Env, tdb: TenantDb, run: RunRow, now = new Date()): Promise<RunContext> {
  const variant = Variant.parse(run.variant);
  const rubric = await loadRubric(tdb);
  const customs = (await tdb.select(schema.evalEvaluators, eq(schema.evalEvaluators.enabled, true))).flatMap((e) => {
    const def = CustomEvaluatorDef.safeParse(e.definition);
    return def.success ? [{ name: e.name, def: def.data }] : [];
  });
  return {
    env,
    workspaceId: tdb.workspaceId,
    runId: run.id,
    variant,
    categories: await pinnedCategories(tdb, variant),
    snapshot: await loadStoreSnapshot(tdb),
    preloaded: await preloadContext(env, tdb),
    judge: judgeFor(rubric, envString(env, "JUDGE_API_KEY")),
    rubric,
    customs,
    now,
  };
}

async function setRunStatus(tdb: TenantDb, runId: string, status: RunStatus, reason: string | null): Promise<void> {
  await tdb.update(schema.evalRuns, { status, reason }, eq(schema.evalRuns.id, runId));
}

/** Writes the metrics of a finished run. */
export async function finalizeRun(tdb: TenantDb, run: RunRow): Promise<void> {
  const metrics = computeMetrics(await loadResultRows(tdb, run.id), run.repeats);
  await tdb.update(
    schema.evalRuns,
    { status: "done", metrics: { ...metrics }, finishedAt: Date.now(), reason: null },
    eq(schema.evalRuns.id, run.id),
  );
}

/** Seams for fault-injection tests: fail after N cases of a slice (called once a case's result is queued for D1). */
export interface BatchHooks {
  afterCase?: (key: string) => Promise<void> | void;
}

export type BatchOutcome = { kind: "ack" } | { kind: "retry"; delaySeconds: number };

async function pool<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  });
  await Promise.all(workers);
}

/** Executes one slice of a run (see module comment). */
export async function processEvalBatch(
  env: Env,
  msg: EvalBatchMessage,
  attempts: number,
  hooks: BatchHooks = {},
): Promise<BatchOutcome> {
  const tdb = new TenantDb(rawDb(env.DB), msg.workspaceId);
  const run = await tdb.first(schema.evalRuns, eq(schema.evalRuns.id, msg.runId));
  if (!run) return { kind: "ack" };
  const stub = evalRunStub(env, run.id);
  const state = await stub.begin();
  if (!state || state.status !== "running") return { kind: "ack" };
  if (run.status === "queued") await setRunStatus(tdb, run.id, "running", null);
  if (state.notBefore > Date.now())
    return { kind: "retry", delaySeconds: Math.ceil((state.notBefore - Date.now()) / 1000) };

  const cases = await tdb.select(
    schema.evalCases,
    and(
      eq(schema.evalCases.versionId, run.versionId),
      gte(schema.evalCases.idx, msg.from),
      lt(schema.evalCases.idx, msg.to),
    ),
    { orderBy: asc(schema.evalCases.idx) },
  );
  const r = schema.evalResults;
  const existing = await tdb.select(r, and(eq(r.runId, run.id), gte(r.caseIdx, msg.from), lt(r.caseIdx, msg.to)));
  const have = new Map(existing.map((x) => [caseKey(x.caseIdx, x.repeat), x]));
  const todo: Array<{ idx: number; repeat: number; c: EvalCase }> = [];
  for (const row of cases) {
    const c = EvalCase.parse(JSON.parse(row.data));
    for (let rep = 0; rep < run.repeats; rep++)
      if (!have.has(caseKey(row.idx, rep))) todo.push({ idx: row.idx, repeat: rep, c });
  }
  const report: RecordItem[] = existing.map((x) => ({
    key: caseKey(x.caseIdx, x.repeat),
    pass: x.pass,
    costUsd: x.costUsd,
  }));
  let failure: unknown = null;
  if (todo.length) {
    const ctx = await runContext(env, tdb, run);
    const pending: ResultInsert[] = [];
    // Checkpoints run one after another, in the order their cases finished.
    let writes: Promise<void> = Promise.resolve();
    const checkpoint = (): Promise<void> =>
      (writes = writes.then(async () => {
        const rows = pending.splice(0);
        if (!rows.length) return;
        try {
          for (const stored of await insertResults(tdb, rows))
            report.push({ key: caseKey(stored.caseIdx, stored.repeat), pass: stored.pass, costUsd: stored.costUsd });
        } catch (err) {
          failure ??= err;
        }
      }));
    await pool(todo, state.concurrency, async (t) => {
      if (failure) return;
      try {
        const o = await executeCase(ctx, t.c, t.idx, t.repeat);
        pending.push({
          id: `${run.id}:${t.idx}:${t.repeat}`,
          workspaceId: tdb.workspaceId,
          runId: run.id,
          caseIdx: t.idx,
          repeat: t.repeat,
          caseId: t.c.id,
          category: o.category,
          pass: o.pass,
          redLine: o.redLine,
          unsure: o.unsure,
          costUsd: o.costUsd,
          latencyMs: o.latencyMs,
          detail: JSON.stringify(o.detail),
        });
        if (o.billed || pending.length >= CHECKPOINT_GROUP) await checkpoint();
        await hooks.afterCase?.(caseKey(t.idx, t.repeat));
      } catch (err) {
        failure ??= err;
      }
    });
    // Whatever finished is written, failure or not: finished cases are never lost.
    await checkpoint();
  }
  // Report what is in D1 even when the slice failed: finished cases are never lost.
  const outcome = report.length ? await stub.record(report) : null;
  if (outcome?.cappedNow) await setRunStatus(tdb, run.id, "paused", "cost cap reached");
  if (outcome?.finishedNow) {
    await finalizeRun(tdb, run);
    await stub.transition("done");
  }
  if (!failure) {
    if (todo.length) await stub.feedback("ok");
    return { kind: "ack" };
  }
  const throttled =
    failure instanceof JudgeUnavailableError ||
    failure instanceof VariantProviderError ||
    (failure instanceof ProviderError && failure.retryable);
  const retryAfter =
    failure instanceof JudgeUnavailableError
      ? failure.retryAfterSeconds
      : failure instanceof ProviderError
        ? failure.retryAfter
        : null;
  if (throttled) await stub.feedback("throttled", retryAfter);
  const reason = failure instanceof Error ? failure.message.slice(0, 200) : "failed";
  if (attempts >= EVAL_GIVE_UP_ATTEMPTS) {
    const status = await stub.transition("paused", `paused after repeated failures: ${reason}`);
    if (status === "paused") await setRunStatus(tdb, run.id, "paused", `paused after repeated failures: ${reason}`);
    return { kind: "ack" };
  }
  return { kind: "retry", delaySeconds: Math.min(300, retryAfter ?? 5 * attempts) };
}

/** Pauses a run from the consumer (slice out of retries) in its object and in D1. */
export async function pauseRun(env: Env, msg: EvalBatchMessage, reason: string): Promise<void> {
  const status = await evalRunStub(env, msg.runId).transition("paused", reason);
  if (status === "paused")
    await setRunStatus(new TenantDb(rawDb(env.DB), msg.workspaceId), msg.runId, "paused", reason);
}

/** Cancels, pauses or resumes a run in its object and in D1; resume re-enqueues the unfinished slices. */
export async function controlRun(
  env: Env,
  tdb: TenantDb,
  run: RunRow,
  action: "cancel" | "pause" | "resume",
): Promise<RunStatus> {
  const stub = evalRunStub(env, run.id);
  const to: RunStatus = action === "cancel" ? "cancelled" : action === "pause" ? "paused" : "running";
  const status = (await stub.transition(to, action === "resume" ? null : `${action}led by an operator`)) ?? run.status;
  await setRunStatus(tdb, run.id, status, status === to && action !== "resume" ? `${action}led by an operator` : null);
  if (action === "resume" && status === "running") {
    const v = await tdb.first(schema.evalTestSetVersions, eq(schema.evalTestSetVersions.id, run.versionId));
    await enqueueRun(
      env,
      { id: run.id, workspaceId: tdb.workspaceId },
      v?.rows ?? 0,
      casesPerMessage(Variant.parse(run.variant)),
    );
  }
  return status;
}
