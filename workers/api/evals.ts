/**
 * /api/evals: the Eval Lab. Test sets (CSV upload with mapping, versions, from
 * conversations, by hand, the demo set), runs on the queue with live progress, per-case
 * results and CSV export, comparison with significance, promotion and rollback, the
 * judge rubric, custom evaluators and the human review queue. Admins change things;
 * operators may review; analysts read. Logic lives in workers/evals/.
 *
 * Over 400 lines: the Eval Lab's ~39 route declarations with their OpenAPI schemas. The
 * routes share the upload storage, row mappers and version lookups below, so a split by
 * sub-resource (sets, runs, review) is a refactor of its own, not a trivial move.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, type SQL } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { ApiError, badRequest, conflict, notFound } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { isCategoryKey } from "../lib/categories.ts";
import { audit } from "../services/audit.ts";
import { ColumnMapping, EvalCase, MAX_TEST_SET_BYTES, Variant, type ProgressFrame } from "../protocol/evals.ts";
import { evalRunStub } from "../../durable-objects/eval-run.ts";
import { csvLine, readCsv } from "../evals/csv.ts";
import { CustomEvaluatorDef } from "../evals/custom.ts";
import { evalUploadKey, ImportRefused, importCases, importCsv } from "../evals/import.ts";
import { JudgeConfig } from "../evals/judge.ts";
import { resolveMapping } from "../evals/mapping.ts";
import { compareRuns } from "../evals/metrics.ts";
import { promotionBlockers, publishVariant, rollbackPromotion } from "../evals/promote.ts";
import { controlRun, loadResultRows, loadRubric, resultPage, runEstimate, startRun } from "../evals/runs.ts";
import { cohenKappa } from "../evals/stats.ts";
import { demoCasesCsv } from "../evals/demo-set.ts";
import { putSealed } from "../services/sealed-bucket.ts";
import { FORM_OVERHEAD_BYTES, readMultipartForm } from "./form.ts";
import { ADMIN, READERS, requireRole, STAFF } from "./middleware.ts";
import { bearer, created, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const Obj = z.record(z.string(), z.unknown());
const TestSetOut = z.object({
  id: z.string(),
  name: z.string(),
  source: z.string(),
  latestVersion: z.number(),
  rows: z.number(),
  createdAt: z.number(),
});
const ImportOut = z.object({
  id: z.string(),
  version: z.number(),
  rows: z.number(),
  errors: z.array(z.object({ row: z.number(), column: z.string().nullable(), message: z.string() })),
  columns: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
});
const RunOut = z.object({
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
  costCapUsd: z.number().nullable(),
  passRate: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  reason: z.string().nullable(),
  metrics: Obj,
  promotedAt: z.number().nullable(),
  createdAt: z.number(),
});
const RunIn = z
  .object({
    testSetId: z.string().min(1).max(100),
    /** Defaults to the set's latest version. */
    version: z.number().int().min(1).optional(),
    variant: Variant,
    repeats: z.number().int().min(1).max(10).default(1),
    costCapUsd: z.number().positive().max(100_000).nullable().default(null),
  })
  .strict();
const CompareIn = z.object({ baselineRunId: z.string().min(1).max(100), candidateRunId: z.string().min(1).max(100) });
const ReviewIn = z
  .object({
    resultId: z.string().min(1).max(200),
    pass: z.boolean(),
    criteria: z.record(z.string().max(40), z.boolean()).default({}),
    correctedReply: z.string().min(1).max(8000).nullable().default(null),
  })
  .strict();
const FromConversationsIn = z
  .object({
    name: z.string().min(1).max(120),
    testSetId: z.string().max(100).optional(),
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    category: z.string().max(40).optional(),
    channel: z.string().max(40).optional(),
    minCsat: z.number().int().min(1).max(5).optional(),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .strict();
const ManualIn = z
  .object({
    name: z.string().min(1).max(120),
    testSetId: z.string().max(100).optional(),
    cases: z.array(EvalCase).min(1).max(1000),
    source: z.enum(["manual", "redlines"]).default("manual"),
  })
  .strict();
const Paging = z.object({
  from: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  filter: z.enum(["pass", "fail", "red_line", "unsure"]).optional(),
  category: z.string().max(40).optional(),
});

const route = <const P extends string>(
  method: "get" | "post" | "put" | "delete",
  path: P,
  summary: string,
  roles: typeof ADMIN,
) => ({ method, path, tags: ["evals"], summary, security: bearer, middleware: [requireRole(...roles)] });

const r = {
  listSets: createRoute({
    ...route("get", "/test-sets", "Test sets", READERS),
    responses: ok(z.object({ items: z.array(TestSetOut) })),
  }),
  upload: createRoute({
    ...route(
      "post",
      "/test-sets",
      "Upload a CSV test set (multipart: file, name, mapping?, testSetId?) or text/csv with ?name=",
      ADMIN,
    ),
    responses: { ...created(ImportOut), 413: { description: "Too large" } },
  }),
  preview: createRoute({
    ...route(
      "post",
      "/test-sets/preview",
      "Header, suggested mapping and first rows of a CSV (multipart: file)",
      ADMIN,
    ),
    responses: ok(
      z.object({
        columns: z.array(z.string()),
        mapping: z.record(z.string(), z.string()),
        rows: z.array(z.array(z.string())),
      }),
    ),
  }),
  manual: createRoute({
    ...route("post", "/test-sets/manual", "Create a test set (or a new version) from cases typed by hand", ADMIN),
    request: jsonBody(ManualIn),
    responses: created(ImportOut),
  }),
  fromConversations: createRoute({
    ...route("post", "/test-sets/from-conversations", "Create a test set from resolved conversations", ADMIN),
    request: jsonBody(FromConversationsIn),
    responses: created(ImportOut),
  }),
  demo: createRoute({
    ...route("post", "/test-sets/demo", "Create the synthetic Lev Haolam demo test set (5,000 tickets, seeded)", ADMIN),
    request: jsonBody(
      z.object({ rows: z.number().int().min(10).max(50_000).default(5000), seed: z.number().int().default(14) }),
    ),
    responses: created(ImportOut),
  }),
  getSet: createRoute({
    ...route("get", "/test-sets/{id}", "A test set with its versions", READERS),
    request: { params: IdParam },
    responses: ok(TestSetOut.extend({ versions: z.array(Obj) })),
  }),
  setCases: createRoute({
    ...route("get", "/test-sets/{id}/cases", "Cases of the latest version (paged)", READERS),
    request: { params: IdParam, query: Paging },
    responses: ok(z.object({ items: z.array(EvalCase), next: z.number().nullable() })),
  }),
  estimate: createRoute({
    ...route("post", "/runs/estimate", "Cost estimate of a run before it starts", ADMIN),
    request: jsonBody(RunIn),
    responses: ok(z.object({ cases: z.number(), estimateUsd: z.number() })),
  }),
  startRun: createRoute({
    ...route("post", "/runs", "Start a run (test set × variant) on the queue", ADMIN),
    request: jsonBody(RunIn),
    responses: {
      202: {
        content: { "application/json": { schema: z.object({ id: z.string(), estimateUsd: z.number() }) } },
        description: "Queued",
      },
      ...ok(Obj),
    },
  }),
  listRuns: createRoute({
    ...route("get", "/runs", "Runs, newest first", READERS),
    responses: ok(z.object({ items: z.array(RunOut) })),
  }),
  getRun: createRoute({
    ...route("get", "/runs/{id}", "A run with live progress and metrics", READERS),
    request: { params: IdParam },
    responses: ok(RunOut),
  }),
  runCases: createRoute({
    ...route("get", "/runs/{id}/cases", "Per-case results (paged by case index, filters)", READERS),
    request: { params: IdParam, query: Paging },
    responses: ok(z.object({ items: z.array(Obj), next: z.number().nullable() })),
  }),
  exportRun: createRoute({
    ...route("get", "/runs/{id}/export.csv", "Per-case results as CSV", READERS),
    request: { params: IdParam },
    responses: { 200: { content: { "text/csv": { schema: z.string() } }, description: "CSV" } },
  }),
  cancel: createRoute({
    ...route("post", "/runs/{id}/cancel", "Cancel a run", ADMIN),
    request: { params: IdParam },
    responses: ok(z.object({ status: z.string() })),
  }),
  pause: createRoute({
    ...route("post", "/runs/{id}/pause", "Pause a run", ADMIN),
    request: { params: IdParam },
    responses: ok(z.object({ status: z.string() })),
  }),
  resume: createRoute({
    ...route("post", "/runs/{id}/resume", "Resume a paused run", ADMIN),
    request: { params: IdParam },
    responses: ok(z.object({ status: z.string() })),
  }),
  compare: createRoute({
    ...route("post", "/compare", "Compare two runs of the same test-set version", READERS),
    request: jsonBody(CompareIn),
    responses: ok(Obj),
  }),
  promote: createRoute({
    ...route("post", "/runs/{id}/promote", "Publish the run's variant (refused with 409 and reasons)", ADMIN),
    request: {
      params: IdParam,
      body: {
        content: { "application/json": { schema: z.object({ baselineRunId: z.string().max(100).optional() }) } },
        required: false,
      },
    },
    responses: { ...ok(z.object({ promoted: z.boolean(), changes: z.array(Obj) })), 409: { description: "Refused" } },
  }),
  rollback: createRoute({
    ...route("post", "/runs/{id}/rollback", "Undo a promotion (restores the replaced category versions)", ADMIN),
    request: { params: IdParam },
    responses: ok(z.object({ restored: z.array(Obj) })),
  }),
  getJudge: createRoute({
    ...route("get", "/judge", "The judge rubric and provider", READERS),
    responses: ok(JudgeConfig),
  }),
  putJudge: createRoute({
    ...route("put", "/judge", "Edit the judge rubric and provider", ADMIN),
    request: jsonBody(JudgeConfig),
    responses: ok(JudgeConfig),
  }),
  listEvaluators: createRoute({
    ...route("get", "/evaluators", "Custom evaluators", READERS),
    responses: ok(z.object({ items: z.array(Obj) })),
  }),
  addEvaluator: createRoute({
    ...route("post", "/evaluators", "Add a regex, keyword or JSON-rule evaluator", ADMIN),
    request: jsonBody(z.object({ name: z.string().regex(/^[a-z0-9_-]{2,40}$/), definition: CustomEvaluatorDef })),
    responses: created(Obj),
  }),
  deleteEvaluator: createRoute({
    ...route("delete", "/evaluators/{id}", "Remove a custom evaluator", ADMIN),
    request: { params: IdParam },
    responses: ok(z.object({ ok: z.boolean() })),
  }),
  reviewQueue: createRoute({
    ...route("get", "/runs/{id}/review-queue", "Cases for human review: judge unsure, plus a random sample", STAFF),
    request: { params: IdParam, query: z.object({ sample: z.coerce.number().int().min(0).max(200).default(20) }) },
    responses: ok(z.object({ items: z.array(Obj) })),
  }),
  review: createRoute({
    ...route("post", "/reviews", "Record a human review of one case", STAFF),
    request: jsonBody(ReviewIn),
    responses: created(Obj),
  }),
  agreement: createRoute({
    ...route("get", "/runs/{id}/agreement", "Judge-vs-human agreement (Cohen's kappa)", READERS),
    request: { params: IdParam },
    responses: ok(z.object({ reviews: z.number(), kappa: z.number().nullable(), agreement: z.number().nullable() })),
  }),
  approveAnswer: createRoute({
    ...route("post", "/reviews/{id}/approve-answer", "Send a review's corrected reply to the approved answers", ADMIN),
    request: { params: IdParam },
    responses: created(Obj),
  }),
};

type RunRow = typeof schema.evalRuns.$inferSelect;

async function setRows(tdb: TenantDb, set: typeof schema.evalTestSets.$inferSelect): Promise<number> {
  const v = await tdb.first(
    schema.evalTestSetVersions,
    and(eq(schema.evalTestSetVersions.testSetId, set.id), eq(schema.evalTestSetVersions.version, set.latestVersion)),
  );
  return v?.rows ?? 0;
}

async function runOut(env: Env, run: RunRow): Promise<z.infer<typeof RunOut>> {
  const live: ProgressFrame | null = run.status === "done" ? null : await evalRunStub(env, run.id).progress();
  const metrics = run.metrics ?? {};
  const passRate = typeof metrics.passRate === "number" ? metrics.passRate : null;
  const cost = typeof metrics.costUsd === "number" ? metrics.costUsd : 0;
  return {
    id: run.id,
    testSetId: run.testSetId,
    versionId: run.versionId,
    variant: run.variant,
    repeats: run.repeats,
    status: live?.status ?? run.status,
    done: live?.done ?? run.total,
    total: run.total,
    costUsd: live?.costUsd ?? cost,
    estimateUsd: run.estimateUsd,
    costCapUsd: run.costCapUsd,
    passRate: live ? live.passRate : passRate,
    etaSeconds: live?.etaSeconds ?? null,
    reason: live?.reason ?? run.reason,
    metrics,
    promotedAt: run.promotedAt,
    createdAt: run.createdAt,
  };
}

async function findRun(tdb: TenantDb, id: string): Promise<RunRow> {
  const run = await tdb.first(schema.evalRuns, eq(schema.evalRuns.id, id));
  if (!run) throw notFound("Run");
  return run;
}

async function resolveVersion(tdb: TenantDb, testSetId: string, version?: number) {
  const set = await tdb.first(schema.evalTestSets, eq(schema.evalTestSets.id, testSetId));
  if (!set) throw notFound("Test set");
  const v = await tdb.first(
    schema.evalTestSetVersions,
    and(
      eq(schema.evalTestSetVersions.testSetId, set.id),
      eq(schema.evalTestSetVersions.version, version ?? set.latestVersion),
      eq(schema.evalTestSetVersions.status, "ready"),
    ),
  );
  if (!v) throw notFound("Test set version");
  return v;
}

function refused(err: unknown): never {
  if (err instanceof ImportRefused) throw new ApiError(400, "invalid_csv", err.message, err.issues);
  throw err;
}

const toImportOut = (x: Awaited<ReturnType<typeof importCases>>) => ({
  id: x.testSetId,
  version: x.version,
  rows: x.rows,
  errors: [],
  columns: x.columns,
  mapping: x.mapping,
});

async function compareOf(tdb: TenantDb, baseline: RunRow, candidate: RunRow) {
  if (baseline.versionId !== candidate.versionId)
    throw badRequest("Runs must use the same test-set version to be compared");
  return compareRuns(await loadResultRows(tdb, baseline.id), await loadResultRows(tdb, candidate.id));
}

/** The request's multipart form; a body that is not one is the client's mistake (400), not ours. */
const readForm = (req: Request): Promise<FormData> =>
  readMultipartForm(req, {
    maxBytes: MAX_TEST_SET_BYTES + FORM_OVERHEAD_BYTES,
    tooLarge: `Test sets are limited to ${Math.floor(MAX_TEST_SET_BYTES / 1024 / 1024)} MB`,
    notForm: "Send multipart/form-data with a file field (a CSV)",
  });

const CSV = { contentType: "text/csv" };

/**
 * The form file of an upload, or the raw body of a text/csv upload, stored in R2 sealed with
 * the workspace's data key (the rows are customers' ticket text).
 */
async function storeUpload(
  c: { req: { raw: Request; header: (n: string) => string | undefined; query: (k: string) => string | undefined } },
  env: Env,
  workspaceId: string,
  key: string,
): Promise<{ name: string; mapping: ColumnMapping; testSetId?: string }> {
  const type = c.req.header("content-type") ?? "";
  const parseMapping = (raw: string | null | undefined): ColumnMapping => {
    if (!raw) return {};
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw badRequest("mapping is not valid JSON");
    }
    const m = ColumnMapping.safeParse(json);
    if (!m.success) throw badRequest("mapping must map canonical columns to CSV headers", m.error.issues);
    return m.data;
  };
  if (type.startsWith("multipart/form-data")) {
    const form = await readForm(c.req.raw);
    const file = form.get("file");
    if (!(file instanceof File)) throw badRequest("file is required (a CSV)");
    const name = form.get("name");
    const testSetId = form.get("testSetId");
    const mapping = form.get("mapping");
    await putSealed(env, "DOCUMENTS", workspaceId, key, { stream: file.stream(), length: file.size }, CSV);
    return {
      name: typeof name === "string" && name.trim() ? name.trim().slice(0, 120) : file.name || "Test set",
      mapping: parseMapping(typeof mapping === "string" ? mapping : null),
      ...(typeof testSetId === "string" && testSetId ? { testSetId } : {}),
    };
  }
  if (type.startsWith("text/csv") || type.startsWith("application/octet-stream")) {
    const length = Number(c.req.header("content-length") ?? "");
    if (!c.req.raw.body || !Number.isFinite(length) || length <= 0) throw badRequest("The CSV body is empty");
    // A body with a known length streams through the seal into R2 without being buffered here.
    await putSealed(env, "DOCUMENTS", workspaceId, key, { stream: c.req.raw.body, length }, CSV);
    const testSetId = c.req.query("testSetId");
    return {
      name: (c.req.query("name") ?? "Test set").slice(0, 120),
      mapping: parseMapping(c.req.query("mapping")),
      ...(testSetId ? { testSetId } : {}),
    };
  }
  throw new ApiError(415, "unsupported_media_type", "Send multipart/form-data with a file field, or text/csv");
}

export const evalsApp = newApp()
  .openapi(r.listSets, async (c) => {
    const sets = await c.var.tdb.select(schema.evalTestSets, gte(schema.evalTestSets.latestVersion, 1), {
      orderBy: desc(schema.evalTestSets.createdAt),
    });
    const items = [];
    for (const s of sets)
      items.push({
        id: s.id,
        name: s.name,
        source: s.source,
        latestVersion: s.latestVersion,
        rows: await setRows(c.var.tdb, s),
        createdAt: s.createdAt,
      });
    return c.json({ items }, 200);
  })
  .openapi(r.upload, async (c) => {
    const key = evalUploadKey(c.var.auth.workspaceId, newId("csv"));
    const meta = await storeUpload(c, c.env, c.var.auth.workspaceId, key);
    const res = await importCsv(c.env, c.var.tdb, key, { ...meta, operatorId: c.var.auth.operatorId }).catch(refused);
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "eval.test_set.import",
      targetType: "eval_test_set",
      targetId: res.testSetId,
      detail: { version: res.version, rows: res.rows },
    });
    return c.json(
      {
        id: res.testSetId,
        version: res.version,
        rows: res.rows,
        errors: [],
        columns: res.columns,
        mapping: res.mapping,
      },
      201,
    );
  })
  .openapi(r.preview, async (c) => {
    const form = await readForm(c.req.raw);
    const file = form.get("file");
    if (!(file instanceof File)) throw badRequest("file is required (a CSV)");
    const rows: string[][] = [];
    let columns: string[] = [];
    try {
      for await (const rec of readCsv(file.stream())) {
        if (rec.row === 0) columns = rec.fields.map((h) => h.trim());
        else rows.push(rec.fields);
        if (rows.length >= 10) break;
      }
    } catch (err) {
      throw new ApiError(400, "invalid_csv", err instanceof Error ? err.message : "unreadable CSV");
    }
    const { mapping } = resolveMapping(columns);
    const named: Record<string, string> = {};
    for (const [k, i] of Object.entries(mapping))
      if (i !== undefined && columns[i] !== undefined) named[k] = columns[i];
    return c.json({ columns, mapping: named, rows }, 200);
  })
  .openapi(r.manual, async (c) => {
    const b = c.req.valid("json");
    const res = await importCases(c.var.tdb, b.cases, {
      name: b.name,
      ...(b.testSetId ? { testSetId: b.testSetId } : {}),
      source: b.source,
      operatorId: c.var.auth.operatorId,
    }).catch(refused);
    return c.json(toImportOut(res), 201);
  })
  .openapi(r.fromConversations, async (c) => {
    const b = c.req.valid("json");
    const cases = await casesFromConversations(c.var.tdb, b);
    const res = await importCases(c.var.tdb, cases, {
      name: b.name,
      ...(b.testSetId ? { testSetId: b.testSetId } : {}),
      source: "conversations",
      operatorId: c.var.auth.operatorId,
    }).catch(refused);
    return c.json(toImportOut(res), 201);
  })
  .openapi(r.demo, async (c) => {
    const { rows, seed } = c.req.valid("json");
    const key = evalUploadKey(c.var.auth.workspaceId, newId("demo"));
    const csv = new TextEncoder().encode(demoCasesCsv(rows, seed));
    await putSealed(c.env, "DOCUMENTS", c.var.auth.workspaceId, key, csv, CSV);
    const res = await importCsv(c.env, c.var.tdb, key, {
      name: `Lev Haolam demo tickets (synthetic, ${rows})`,
      operatorId: c.var.auth.operatorId,
      source: "demo",
    }).catch(refused);
    return c.json(
      {
        id: res.testSetId,
        version: res.version,
        rows: res.rows,
        errors: [],
        columns: res.columns,
        mapping: res.mapping,
      },
      201,
    );
  })
  .openapi(r.getSet, async (c) => {
    const set = await c.var.tdb.first(schema.evalTestSets, eq(schema.evalTestSets.id, c.req.valid("param").id));
    if (!set) throw notFound("Test set");
    const versions = await c.var.tdb.select(
      schema.evalTestSetVersions,
      and(eq(schema.evalTestSetVersions.testSetId, set.id), eq(schema.evalTestSetVersions.status, "ready")),
      { orderBy: desc(schema.evalTestSetVersions.version) },
    );
    return c.json(
      {
        id: set.id,
        name: set.name,
        source: set.source,
        latestVersion: set.latestVersion,
        rows: versions[0]?.rows ?? 0,
        createdAt: set.createdAt,
        versions: versions.map((v) => ({
          id: v.id,
          version: v.version,
          rows: v.rows,
          columns: v.columns,
          mapping: v.mapping,
          createdAt: v.createdAt,
        })),
      },
      200,
    );
  })
  .openapi(r.setCases, async (c) => {
    const { from, limit } = c.req.valid("query");
    const set = await c.var.tdb.first(schema.evalTestSets, eq(schema.evalTestSets.id, c.req.valid("param").id));
    if (!set) throw notFound("Test set");
    const v = await resolveVersion(c.var.tdb, set.id);
    const rows = await c.var.tdb.select(
      schema.evalCases,
      and(eq(schema.evalCases.versionId, v.id), gte(schema.evalCases.idx, from)),
      { orderBy: asc(schema.evalCases.idx), limit: limit + 1 },
    );
    const items = rows.slice(0, limit).map((x) => EvalCase.parse(JSON.parse(x.data)));
    return c.json({ items, next: rows.length > limit ? (rows[limit]?.idx ?? null) : null }, 200);
  })
  .openapi(r.estimate, async (c) => {
    const b = c.req.valid("json");
    const v = await resolveVersion(c.var.tdb, b.testSetId, b.version);
    return c.json({ cases: v.rows * b.repeats, estimateUsd: runEstimate(b.variant, v.rows, b.repeats) }, 200);
  })
  .openapi(r.startRun, async (c) => {
    const b = c.req.valid("json");
    const v = await resolveVersion(c.var.tdb, b.testSetId, b.version);
    const run = await startRun(
      c.env,
      c.var.tdb,
      {
        versionId: v.id,
        testSetId: b.testSetId,
        rows: v.rows,
        variant: b.variant,
        repeats: b.repeats,
        costCapUsd: b.costCapUsd,
      },
      c.var.auth.operatorId,
    );
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "eval.run.start",
      targetType: "eval_run",
      targetId: run.id,
      detail: { variant: b.variant.name, cases: run.total },
    });
    return c.json({ id: run.id, estimateUsd: run.estimateUsd }, 202);
  })
  .openapi(r.listRuns, async (c) => {
    const runs = await c.var.tdb.select(schema.evalRuns, undefined, {
      orderBy: desc(schema.evalRuns.createdAt),
      limit: 100,
    });
    const items = [];
    for (const run of runs) items.push(await runOut(c.env, run));
    return c.json({ items }, 200);
  })
  .openapi(r.getRun, async (c) => c.json(await runOut(c.env, await findRun(c.var.tdb, c.req.valid("param").id)), 200))
  .openapi(r.runCases, async (c) => {
    const q = c.req.valid("query");
    const run = await findRun(c.var.tdb, c.req.valid("param").id);
    const rows = await resultPage(c.var.tdb, run.id, {
      from: q.from,
      limit: q.limit,
      ...(q.filter ? { filter: q.filter } : {}),
      ...(q.category ? { category: q.category } : {}),
    });
    const items = rows.slice(0, q.limit).map((x) => ({
      id: x.id,
      caseIdx: x.caseIdx,
      repeat: x.repeat,
      caseId: x.caseId,
      category: x.category,
      pass: x.pass,
      redLine: x.redLine,
      unsure: x.unsure,
      costUsd: x.costUsd,
      latencyMs: x.latencyMs,
      ...Obj.parse(JSON.parse(x.detail)),
    }));
    return c.json({ items, next: rows.length > q.limit ? (rows[q.limit]?.caseIdx ?? null) : null }, 200);
  })
  .openapi(r.exportRun, async (c) => {
    const run = await findRun(c.var.tdb, c.req.valid("param").id);
    const tdb = c.var.tdb;
    const enc = new TextEncoder();
    let from = 0;
    let headerSent = false;
    // Streamed page by page: a 50,000-case run is never one string in memory.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(
            enc.encode(
              csvLine([
                "case_id",
                "repeat",
                "category",
                "pass",
                "red_line",
                "routed_category",
                "gate",
                "latency_ms",
                "cost_usd",
                "reply",
                "failed_evaluators",
              ]),
            ),
          );
          return;
        }
        const rows = await resultPage(tdb, run.id, { from, limit: 500 });
        if (!rows.length) return controller.close();
        let out = "";
        for (const x of rows) {
          const d = z
            .object({
              reply: z.string().default(""),
              routedCategory: z.string().nullable().default(null),
              gate: z.string().default(""),
              scores: z.array(z.object({ name: z.string(), pass: z.boolean().nullable() })).default([]),
            })
            .safeParse(JSON.parse(x.detail));
          const det = d.success ? d.data : { reply: "", routedCategory: null, gate: "", scores: [] };
          out += csvLine([
            x.caseId,
            String(x.repeat),
            x.category ?? "",
            x.pass ? "1" : "0",
            x.redLine ? "1" : "0",
            det.routedCategory ?? "",
            det.gate,
            String(x.latencyMs),
            String(x.costUsd),
            det.reply,
            det.scores
              .filter((s) => s.pass === false)
              .map((s) => s.name)
              .join(" "),
          ]);
        }
        from = (rows.at(-1)?.caseIdx ?? from) + 1;
        controller.enqueue(enc.encode(out));
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${run.id}.csv"`,
      },
    });
  })
  .openapi(r.cancel, async (c) =>
    c.json(
      { status: await controlRun(c.env, c.var.tdb, await findRun(c.var.tdb, c.req.valid("param").id), "cancel") },
      200,
    ),
  )
  .openapi(r.pause, async (c) =>
    c.json(
      { status: await controlRun(c.env, c.var.tdb, await findRun(c.var.tdb, c.req.valid("param").id), "pause") },
      200,
    ),
  )
  .openapi(r.resume, async (c) =>
    c.json(
      { status: await controlRun(c.env, c.var.tdb, await findRun(c.var.tdb, c.req.valid("param").id), "resume") },
      200,
    ),
  )
  .openapi(r.compare, async (c) => {
    const b = c.req.valid("json");
    const [base, cand] = [await findRun(c.var.tdb, b.baselineRunId), await findRun(c.var.tdb, b.candidateRunId)];
    const cmp = await compareOf(c.var.tdb, base, cand);
    return c.json({ ...cmp }, 200);
  })
  .openapi(r.promote, async (c) => {
    const run = await findRun(c.var.tdb, c.req.valid("param").id);
    let baselineId: string | undefined;
    if (c.req.header("content-type")?.startsWith("application/json")) {
      const body = z
        .object({ baselineRunId: z.string().max(100).optional() })
        .safeParse(await c.req.json().catch(() => ({})));
      if (!body.success) throw badRequest("Invalid body", body.error.issues);
      baselineId = body.data.baselineRunId;
    }
    // Without an explicit baseline: the latest other finished run on the same version.
    const baseline = baselineId
      ? await findRun(c.var.tdb, baselineId)
      : (
          await c.var.tdb.select(
            schema.evalRuns,
            and(eq(schema.evalRuns.versionId, run.versionId), eq(schema.evalRuns.status, "done")),
            { orderBy: desc(schema.evalRuns.createdAt) },
          )
        ).find((x) => x.id !== run.id);
    const cmp = baseline && run.status === "done" ? await compareOf(c.var.tdb, baseline, run) : null;
    const reasons = promotionBlockers(run, cmp);
    if (reasons.length) {
      await audit(c.var.tdb, {
        actorType: "operator",
        actorId: c.var.auth.operatorId,
        action: "eval.promote.refused",
        targetType: "eval_run",
        targetId: run.id,
        detail: { reasons },
      });
      return c.json(
        { error: { code: "promotion_refused", message: "The variant cannot be promoted", details: reasons } },
        409,
      );
    }
    const changes = await publishVariant(c.var.tdb, run.id, Variant.parse(run.variant), c.var.auth.operatorId);
    return c.json({ promoted: true, changes }, 200);
  })
  .openapi(r.rollback, async (c) => {
    const run = await findRun(c.var.tdb, c.req.valid("param").id);
    if (!run.promotion?.length) throw conflict("This run was not promoted");
    const restored = await rollbackPromotion(c.var.tdb, run.id, run.promotion, c.var.auth.operatorId);
    return c.json({ restored }, 200);
  })
  .openapi(r.getJudge, async (c) => c.json(await loadRubric(c.var.tdb), 200))
  .openapi(r.putJudge, async (c) => {
    const rubric = c.req.valid("json");
    await c.var.tdb.db
      .insert(schema.evalJudgeSettings)
      .values({ workspaceId: c.var.auth.workspaceId, rubric, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: schema.evalJudgeSettings.workspaceId, set: { rubric, updatedAt: Date.now() } });
    await audit(c.var.tdb, { actorType: "operator", actorId: c.var.auth.operatorId, action: "eval.judge.update" });
    return c.json(rubric, 200);
  })
  .openapi(r.listEvaluators, async (c) => {
    const rows = await c.var.tdb.select(schema.evalEvaluators, undefined, { orderBy: asc(schema.evalEvaluators.name) });
    return c.json(
      { items: rows.map((x) => ({ id: x.id, name: x.name, definition: x.definition, enabled: x.enabled })) },
      200,
    );
  })
  .openapi(r.addEvaluator, async (c) => {
    const b = c.req.valid("json");
    const id = newId("eve");
    try {
      await c.var.tdb.insert(schema.evalEvaluators, { id, name: b.name, definition: { ...b.definition } });
    } catch {
      throw conflict("An evaluator with this name exists");
    }
    return c.json({ id, name: b.name, definition: b.definition, enabled: true }, 201);
  })
  .openapi(r.deleteEvaluator, async (c) => {
    await c.var.tdb.delete(schema.evalEvaluators, eq(schema.evalEvaluators.id, c.req.valid("param").id));
    return c.json({ ok: true }, 200);
  })
  .openapi(r.reviewQueue, async (c) => {
    const run = await findRun(c.var.tdb, c.req.valid("param").id);
    const { sample } = c.req.valid("query");
    const res = schema.evalResults;
    const unsure = await c.var.tdb.select(res, and(eq(res.runId, run.id), eq(res.unsure, true)), { limit: 200 });
    // A deterministic "random" sample: cases whose index hashes low, so reviewers share one queue.
    const all = await c.var.tdb.select(res, and(eq(res.runId, run.id), eq(res.unsure, false)), { limit: 5000 });
    const picked = all
      .filter(
        (x) =>
          (Math.imul(x.caseIdx + 1, 2654435761) >>> 0) % Math.max(1, Math.ceil(all.length / Math.max(1, sample))) === 0,
      )
      .slice(0, sample);
    const reviewed = new Set(
      (
        await c.var.tdb.select(
          schema.evalReviews,
          and(eq(schema.evalReviews.runId, run.id), eq(schema.evalReviews.reviewerId, c.var.auth.operatorId)),
        )
      ).map((x) => x.resultId),
    );
    const items = [
      ...unsure.map((x) => ({ x, why: "judge unsure" })),
      ...picked.map((x) => ({ x, why: "random sample" })),
    ]
      .filter(({ x }) => !reviewed.has(x.id))
      .map(({ x, why }) => ({
        id: x.id,
        caseId: x.caseId,
        caseIdx: x.caseIdx,
        category: x.category,
        pass: x.pass,
        why,
        ...Obj.parse(JSON.parse(x.detail)),
      }));
    return c.json({ items }, 200);
  })
  .openapi(r.review, async (c) => {
    const b = c.req.valid("json");
    const result = await c.var.tdb.first(schema.evalResults, eq(schema.evalResults.id, b.resultId));
    if (!result) throw notFound("Result");
    const id = newId("erv");
    await c.var.tdb.db
      .insert(schema.evalReviews)
      .values({
        id,
        workspaceId: c.var.auth.workspaceId,
        resultId: result.id,
        runId: result.runId,
        reviewerId: c.var.auth.operatorId,
        pass: b.pass,
        criteria: b.criteria,
        correctedReply: b.correctedReply,
      })
      .onConflictDoUpdate({
        target: [schema.evalReviews.resultId, schema.evalReviews.reviewerId],
        set: { pass: b.pass, criteria: b.criteria, correctedReply: b.correctedReply },
      });
    return c.json({ id, resultId: result.id, pass: b.pass }, 201);
  })
  .openapi(r.agreement, async (c) => {
    const run = await findRun(c.var.tdb, c.req.valid("param").id);
    const reviews = await c.var.tdb.select(schema.evalReviews, eq(schema.evalReviews.runId, run.id));
    const results = reviews.length
      ? await c.var.tdb.select(
          schema.evalResults,
          inArray(schema.evalResults.id, reviews.map((x) => x.resultId).slice(0, 500)),
        )
      : [];
    const judged = new Map(results.map((x) => [x.id, x.pass]));
    const pairs = reviews.flatMap((x) =>
      judged.has(x.resultId) ? [{ judge: judged.get(x.resultId) === true, human: x.pass }] : [],
    );
    const agree = pairs.filter((p) => p.judge === p.human).length;
    return c.json(
      {
        reviews: pairs.length,
        kappa: cohenKappa(
          pairs.map((p) => p.judge),
          pairs.map((p) => p.human),
        ),
        agreement: pairs.length ? agree / pairs.length : null,
      },
      200,
    );
  })
  .openapi(r.approveAnswer, async (c) => {
    const review = await c.var.tdb.first(schema.evalReviews, eq(schema.evalReviews.id, c.req.valid("param").id));
    if (!review?.correctedReply) throw notFound("Review with a corrected reply");
    const result = await c.var.tdb.first(schema.evalResults, eq(schema.evalResults.id, review.resultId));
    if (!result) throw notFound("Result");
    const run = await findRun(c.var.tdb, result.runId);
    const caseRow = await c.var.tdb.first(
      schema.evalCases,
      and(eq(schema.evalCases.versionId, run.versionId), eq(schema.evalCases.idx, result.caseIdx)),
    );
    const evalCase = caseRow ? EvalCase.parse(JSON.parse(caseRow.data)) : null;
    const id = newId("fs");
    await c.var.tdb.insert(schema.fewShotExamples, {
      id,
      category: result.category && isCategoryKey(result.category) ? result.category : "other",
      question: (evalCase?.message ?? result.caseId).slice(0, 4000),
      answer: review.correctedReply,
      status: "approved",
      markedBy: review.reviewerId,
      reviewedBy: c.var.auth.operatorId,
    });
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "eval.review.approve_answer",
      targetType: "few_shot_example",
      targetId: id,
    });
    return c.json({ id }, 201);
  });

/** Resolved conversations → cases: the transcript, the last human/bot reply as reference. */
async function casesFromConversations(tdb: TenantDb, f: z.infer<typeof FromConversationsIn>): Promise<EvalCase[]> {
  const cv = schema.conversations;
  const conds: SQL[] = [eq(cv.status, "resolved")];
  if (f.from !== undefined) conds.push(gte(cv.createdAt, f.from));
  if (f.to !== undefined) conds.push(lte(cv.createdAt, f.to));
  if (f.category) conds.push(eq(cv.category, f.category));
  if (f.channel) conds.push(eq(cv.channel, f.channel));
  if (f.minCsat !== undefined)
    conds.push(and(isNotNull(cv.csatScore), gte(cv.csatScore, f.minCsat)) ?? eq(cv.status, "resolved"));
  const convs = await tdb.select(cv, and(...conds), { orderBy: desc(cv.createdAt), limit: f.limit });
  const out: EvalCase[] = [];
  for (const conv of convs) {
    const msgs = await tdb.select(schema.messages, eq(schema.messages.conversationId, conv.id), {
      orderBy: asc(schema.messages.seq),
      limit: 60,
    });
    const turns = msgs.filter((m) => m.type === "incoming" || m.type === "outgoing");
    const lastCustomer = turns.map((m) => m.type).lastIndexOf("incoming");
    if (lastCustomer < 0) continue;
    const reference = turns.slice(lastCustomer + 1).find((m) => m.type === "outgoing");
    const transcript = turns
      .slice(0, lastCustomer + 1)
      .map((m) => `${m.type === "incoming" ? "Customer" : "Agent"}: ${m.content.replace(/\r?\n/g, " ")}`)
      .join("\n");
    const contact = await tdb.first(schema.contacts, eq(schema.contacts.id, conv.contactId));
    const parsed = EvalCase.safeParse({
      id: conv.id,
      message: transcript,
      referenceReply: reference?.content ?? null,
      category: conv.category && isCategoryKey(conv.category) ? conv.category : null,
      outcome: conv.aiResolved ? "resolved" : conv.owner === "human" ? "escalated" : "resolved",
      expectedActions: null,
      customerEmail: contact?.email ?? null,
      language: ["en", "ru", "he", "es", "fr"].includes(conv.language ?? "") ? conv.language : null,
      tags: [...conv.tags, conv.channel],
    });
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}
