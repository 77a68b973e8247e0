/** Eval Lab endpoints (/api/evals), responses parsed with the shared wire schemas. */
import { z } from "zod";
import { CompareMetric, CategoryComparison, ProgressFrame } from "../../../workers/protocol/evals.ts";
import { api, upload } from "./client.ts";

const Obj = z.record(z.string(), z.unknown());
export const TestSet = z.object({
  id: z.string(),
  name: z.string(),
  source: z.string(),
  latestVersion: z.number(),
  rows: z.number(),
  createdAt: z.number(),
});
export type TestSet = z.infer<typeof TestSet>;
export const Run = z.object({
  id: z.string(),
  testSetId: z.string(),
  versionId: z.string(),
  variant: Obj,
  repeats: z.number(),
  status: z.string(),
  done: z.number(),
  total: z.number(),
  costUsd: z.number(),
  estimateUsd: z.number(),
  passRate: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  reason: z.string().nullable(),
  metrics: Obj,
  promotedAt: z.number().nullable(),
  createdAt: z.number(),
});
export type Run = z.infer<typeof Run>;
const Imported = z.object({ id: z.string(), version: z.number(), rows: z.number() });
const Preview = z.object({
  columns: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  rows: z.array(z.array(z.string())),
});
export const CaseResult = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseIdx: z.number(),
    repeat: z.number(),
    category: z.string().nullable(),
    pass: z.boolean(),
    redLine: z.boolean(),
    reply: z.string().default(""),
    gate: z.string().default(""),
    scores: z.array(z.object({ name: z.string(), pass: z.boolean().nullable(), rationale: z.string() })).default([]),
  })
  .loose();
export type CaseResult = z.infer<typeof CaseResult>;
export const Comparison = z.object({
  n: z.number(),
  metrics: z.array(CompareMetric),
  perCategory: z.array(CategoryComparison),
  regressions: z.array(z.object({ caseIdx: z.number(), caseId: z.string(), category: z.string().nullable() })),
  improvements: z.array(z.object({ caseIdx: z.number(), caseId: z.string(), category: z.string().nullable() })),
  mde: z.number(),
  mdeWarning: z.string().nullable(),
  significantRegression: z.boolean(),
});
export type Comparison = z.infer<typeof Comparison>;

export const listSets = () => api(z.object({ items: z.array(TestSet) }), "/evals/test-sets");
export const previewCsv = (file: File) => {
  const form = new FormData();
  form.set("file", file);
  return api(Preview, "/evals/test-sets/preview", { method: "POST", form });
};
export function uploadSet(file: File, name: string, mapping: Record<string, string>, onProgress: (f: number) => void) {
  const form = new FormData();
  form.set("file", file);
  form.set("name", name);
  form.set("mapping", JSON.stringify(mapping));
  return upload(Imported, "/evals/test-sets", form, onProgress);
}
export const createDemoSet = (rows: number) =>
  api(Imported, "/evals/test-sets/demo", { method: "POST", body: { rows } });
export const listRuns = () => api(z.object({ items: z.array(Run) }), "/evals/runs");
export const getRun = (id: string) => api(Run, `/evals/runs/${encodeURIComponent(id)}`);
export interface RunInput {
  testSetId: string;
  variant: { name: string; provider?: string; model?: string; categoryVersions?: Record<string, number> };
  repeats: number;
  costCapUsd: number | null;
}
export const estimateRun = (b: RunInput) =>
  api(z.object({ cases: z.number(), estimateUsd: z.number() }), "/evals/runs/estimate", { method: "POST", body: b });
export const startRun = (b: RunInput) => api(z.object({ id: z.string() }), "/evals/runs", { method: "POST", body: b });
export const controlRun = (id: string, action: "cancel" | "pause" | "resume") =>
  api(z.object({ status: z.string() }), `/evals/runs/${encodeURIComponent(id)}/${action}`, { method: "POST" });
export const runCases = (id: string, q: { from: number; filter?: string }) =>
  api(
    z.object({ items: z.array(CaseResult), next: z.number().nullable() }),
    `/evals/runs/${encodeURIComponent(id)}/cases?from=${q.from}&limit=50${q.filter ? `&filter=${q.filter}` : ""}`,
  );
export const compareRuns = (baselineRunId: string, candidateRunId: string) =>
  api(Comparison, "/evals/compare", { method: "POST", body: { baselineRunId, candidateRunId } });
export const promoteRun = (id: string, baselineRunId: string | null) =>
  api(z.object({ promoted: z.boolean(), changes: z.array(Obj) }), `/evals/runs/${encodeURIComponent(id)}/promote`, {
    method: "POST",
    body: baselineRunId ? { baselineRunId } : {},
  });
export const rollbackRun = (id: string) =>
  api(z.object({ restored: z.array(Obj) }), `/evals/runs/${encodeURIComponent(id)}/rollback`, { method: "POST" });
export const reviewQueue = (id: string) =>
  api(
    z.object({ items: z.array(CaseResult.extend({ why: z.string() })) }),
    `/evals/runs/${encodeURIComponent(id)}/review-queue`,
  );
export const submitReview = (b: { resultId: string; pass: boolean; correctedReply: string | null }) =>
  api(Obj, "/evals/reviews", { method: "POST", body: b });
export const agreement = (id: string) =>
  api(
    z.object({ reviews: z.number(), kappa: z.number().nullable(), agreement: z.number().nullable() }),
    `/evals/runs/${encodeURIComponent(id)}/agreement`,
  );
export { ProgressFrame };
