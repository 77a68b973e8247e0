/**
 * The Eval Lab's wire vocabulary, shared by the API, the queue consumer, the run's
 * Durable Object, the dashboard and the CLI: canonical CSV columns, one test case, a
 * variant, run states, the live progress frame and the compare result. Plain zod so the
 * dashboard bundle does not pull in the OpenAPI generator.
 */
import { z } from "zod";
import { CATEGORY_KEYS, LANGUAGES } from "../lib/categories.ts";

/** Columns a test set CSV is mapped onto; `id` and `message` are required. */
export const CANONICAL_COLUMNS = [
  "id",
  "message",
  "reference_reply",
  "category",
  "outcome",
  "expected_actions",
  "customer_email",
  "language",
  "tags",
] as const;
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly CanonicalColumn[] = ["id", "message"];

export const OUTCOMES = ["resolved", "escalated", "action"] as const;

/** Limits of one import (issue 14 "Bad input"). */
export const MAX_ROWS = 50_000;
/** A field (and so a record) larger than this is refused: a ticket is never 1 MB of text. */
export const MAX_RECORD_BYTES = 1_000_000;
/** A whole test-set file (50,000 rows of transcripts fit; the import streams it from R2). */
export const MAX_TEST_SET_BYTES = 100 * 1024 * 1024;

export const ExpectedAction = z.object({
  tool: z.string().min(1).max(60),
  args: z.record(z.string(), z.unknown()).default({}),
});
export type ExpectedAction = z.infer<typeof ExpectedAction>;

/** One test case as stored (after mapping and validation). */
export const EvalCase = z.object({
  id: z.string().min(1).max(200),
  message: z.string().min(1),
  referenceReply: z.string().nullable().default(null),
  category: z.enum(CATEGORY_KEYS).nullable().default(null),
  outcome: z.enum(OUTCOMES).nullable().default(null),
  expectedActions: z.array(ExpectedAction).nullable().default(null),
  customerEmail: z.string().nullable().default(null),
  language: z.enum(LANGUAGES).nullable().default(null),
  tags: z.array(z.string()).default([]),
});
export type EvalCase = z.infer<typeof EvalCase>;

/** canonical column → CSV header. */
export const ColumnMapping = z.partialRecord(z.enum(CANONICAL_COLUMNS), z.string().min(1).max(200));
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** One problem of an import, reported per row (row 1 = the first data row after the header). */
export const ImportIssue = z.object({ row: z.number(), column: z.string().nullable(), message: z.string() });
export type ImportIssue = z.infer<typeof ImportIssue>;

/** What a run pins: provider, model, reasoning, category prompt versions, knowledge snapshot. */
export const Variant = z
  .object({
    name: z.string().min(1).max(80),
    provider: z.string().min(1).max(40).optional(),
    model: z.string().min(1).max(120).optional(),
    reasoningLevel: z.enum(["minimal", "low", "medium", "high"]).optional(),
    /** category key → version number of `category_versions`. */
    categoryVersions: z.partialRecord(z.enum(CATEGORY_KEYS), z.number().int().min(1)).optional(),
    /** Knowledge snapshot label; the lab records it, retrieval uses the workspace's current index. */
    knowledgeSnapshot: z.string().max(80).optional(),
  })
  .strict();
export type Variant = z.infer<typeof Variant>;

export const RUN_STATUSES = ["queued", "running", "paused", "done", "cancelled", "failed"] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/** Live progress of a run, pushed over the run's socket at least once a second while it runs. */
export const ProgressFrame = z.object({
  type: z.literal("progress"),
  runId: z.string(),
  status: RunStatus,
  done: z.number(),
  total: z.number(),
  passed: z.number(),
  passRate: z.number().nullable(),
  costUsd: z.number(),
  etaSeconds: z.number().nullable(),
  concurrency: z.number(),
  reason: z.string().nullable(),
});
export type ProgressFrame = z.infer<typeof ProgressFrame>;

/** One evaluator's verdict on one case. `pass: null` = not applicable to this case. */
export const Score = z.object({
  name: z.string(),
  pass: z.boolean().nullable(),
  value: z.number().nullable(),
  rationale: z.string(),
  /** A hard failure fails the case whatever the other scores say (red lines). */
  hard: z.boolean().optional(),
});
export type Score = z.infer<typeof Score>;

export const CompareMetric = z.object({
  name: z.string(),
  baseline: z.number().nullable(),
  candidate: z.number().nullable(),
  delta: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  pValue: z.number().nullable(),
  n: z.number(),
});
export type CompareMetric = z.infer<typeof CompareMetric>;

export const CategoryComparison = z.object({
  category: z.string(),
  n: z.number(),
  baseline: z.number(),
  candidate: z.number(),
  delta: z.number(),
  ci95: z.tuple([z.number(), z.number()]),
  pValue: z.number(),
  significantRegression: z.boolean(),
});
export type CategoryComparison = z.infer<typeof CategoryComparison>;
