/**
 * Eval Lab tables: test sets and their immutable versions (cases stored per version,
 * the uploaded CSV kept in R2), runs (test-set version × variant), per-case results
 * (the checkpoint: one row per run × case × repeat, unique, so a retried batch can never
 * count a case twice), human reviews, custom evaluators and the judge rubric.
 */
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export const evalTestSets = sqliteTable(
  "eval_test_sets",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    name: text("name").notNull(),
    source: text("source", { enum: ["csv", "conversations", "redlines", "manual", "demo"] }).notNull(),
    latestVersion: integer("latest_version").notNull().default(0),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("eval_sets_ws_idx").on(t.workspaceId, t.createdAt)],
);

export const evalTestSetVersions = sqliteTable(
  "eval_test_set_versions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    testSetId: text("test_set_id").notNull(),
    version: integer("version").notNull(),
    rows: integer("rows").notNull(),
    /** Header of the uploaded file and the mapping used (canonical column → header). */
    columns: json<string[]>("columns")
      .notNull()
      .default(sql`'[]'`),
    mapping: json<Record<string, string>>("mapping")
      .notNull()
      .default(sql`'{}'`),
    /** R2 key of the uploaded CSV (null for sets built from conversations, red lines or by hand). */
    fileKey: text("file_key"),
    /** importing → ready; an import that fails is deleted, never left half there. */
    status: text("status", { enum: ["importing", "ready"] })
      .notNull()
      .default("importing"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("eval_versions_uq").on(t.workspaceId, t.testSetId, t.version)],
);

export const evalCases = sqliteTable(
  "eval_cases",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    versionId: text("version_id").notNull(),
    idx: integer("idx").notNull(),
    /** The validated EvalCase (workers/protocol/evals.ts). */
    data: text("data").notNull(),
  },
  (t) => [uniqueIndex("eval_cases_uq").on(t.versionId, t.idx)],
);

export const evalRuns = sqliteTable(
  "eval_runs",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    testSetId: text("test_set_id").notNull(),
    versionId: text("version_id").notNull(),
    variant: json<Record<string, unknown>>("variant").notNull(),
    repeats: integer("repeats").notNull().default(1),
    /** Cases in the version × repeats. */
    total: integer("total").notNull(),
    status: text("status", { enum: ["queued", "running", "paused", "done", "cancelled", "failed"] })
      .notNull()
      .default("queued"),
    costCapUsd: real("cost_cap_usd"),
    estimateUsd: real("estimate_usd").notNull().default(0),
    /** Aggregates written when the run finishes (passRate, redLineViolations, …). */
    metrics: json<Record<string, unknown>>("metrics"),
    reason: text("reason"),
    promotedAt: integer("promoted_at"),
    /** What promotion published: category key → version before and after (rollback restores "from"). */
    promotion: json<Array<{ key: string; from: number; to: number }>>("promotion"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull().default(now),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("eval_runs_ws_idx").on(t.workspaceId, t.createdAt)],
);

export const evalResults = sqliteTable(
  "eval_results",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    runId: text("run_id").notNull(),
    caseIdx: integer("case_idx").notNull(),
    repeat: integer("repeat").notNull().default(0),
    caseId: text("case_id").notNull(),
    category: text("category"),
    pass: integer("pass", { mode: "boolean" }).notNull(),
    redLine: integer("red_line", { mode: "boolean" }).notNull().default(false),
    /** The judge was unsure or judges disagreed: a candidate for human review. */
    unsure: integer("unsure", { mode: "boolean" }).notNull().default(false),
    costUsd: real("cost_usd").notNull().default(0),
    latencyMs: integer("latency_ms").notNull().default(0),
    /** Reply, draft, scores with rationales, proposed actions, route, gate. */
    detail: text("detail").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("eval_results_uq").on(t.runId, t.caseIdx, t.repeat)],
);

export const evalReviews = sqliteTable(
  "eval_reviews",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    resultId: text("result_id").notNull(),
    runId: text("run_id").notNull(),
    reviewerId: text("reviewer_id").notNull(),
    pass: integer("pass", { mode: "boolean" }).notNull(),
    /** criterion → pass/fail */
    criteria: json<Record<string, boolean>>("criteria")
      .notNull()
      .default(sql`'{}'`),
    correctedReply: text("corrected_reply"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("eval_reviews_uq").on(t.resultId, t.reviewerId), index("eval_reviews_run_idx").on(t.runId)],
);

export const evalEvaluators = sqliteTable(
  "eval_evaluators",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    name: text("name").notNull(),
    definition: json<Record<string, unknown>>("definition").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("eval_evaluators_uq").on(t.workspaceId, t.name)],
);

export const evalJudgeSettings = sqliteTable("eval_judge_settings", {
  workspaceId: text("workspace_id").primaryKey(),
  rubric: json<Record<string, unknown>>("rubric").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});
