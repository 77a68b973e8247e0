/**
 * /api/analytics: the analytics agent (issue 15). Ask (JSON, or SSE for the dashboard),
 * threads and turns, 👍/👎 feedback feeding layers 3 and 5, the context layers (admins
 * edit, analysts approve proposals), the catalogue, and personal pins. Roles: analyst and
 * admin. Every statement runs through the SQL guard scoped to the caller's workspace.
 *
 * Over 400 lines: the feature's ~22 route declarations with their OpenAPI schemas and the
 * SSE framing of an answer; the agent, SQL guard and layers live in workers/analytics/.
 */
import { createRoute } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { Context } from "hono";
import { schema } from "../db/client.ts";
import { ask, ThreadNotFound, type AgentDeps } from "../analytics/agent.ts";
import { AnalyticsStore } from "../analytics/store.ts";
import { d1Exec, runGuarded } from "../analytics/executor.ts";
import { GuardRefusal } from "../analytics/guard.ts";
import { DIMENSIONS, METRICS, METRICS_BY_KEY } from "../analytics/catalogue.ts";
import { EXPOSED } from "../analytics/exposure.ts";
import { LayerEntryInput, normaliseQuestion } from "../analytics/layers.ts";
import { chooseModel } from "../ai/providers/registry.ts";
import { badRequest, forbidden, notFound } from "../lib/errors.ts";
import * as P from "../protocol/analytics.ts";
import type { AppEnv } from "./context.ts";
import { requireRole } from "./middleware.ts";
import { bearer, created, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const ANALYTICS: Array<"analyst" | "admin"> = ["analyst", "admin"];
const AskRequest = P.AskRequestSchema.openapi("AnalyticsAskRequest");
const AskResponse = P.AskResponseSchema.openapi("AnalyticsAskResponse");
const Feedback = P.FeedbackRequestSchema.openapi("AnalyticsFeedback");
const LayerEntry = P.LayerEntrySchema.openapi("AnalyticsLayerEntry");
const Pin = P.PinSchema.openapi("AnalyticsPin");
const Turn = P.TurnSchema.openapi("AnalyticsTurn");
const Thread = P.ThreadSchema.openapi("AnalyticsThread");
const Catalogue = P.CatalogueSchema.openapi("AnalyticsCatalogue");

let liveSchemaCache: string[] | null = null;

function deps(c: Context<AppEnv>): AgentDeps {
  const store = new AnalyticsStore(c.var.tdb);
  const choice = chooseModel(c.env, { provider: "local", model: "deep", reasoningLevel: "medium" });
  return {
    exec: d1Exec(c.env.DB),
    store,
    llm: choice.kind === "llm" ? choice.targets : [],
    categories: async () => {
      const rows = await c.var.tdb.select(schema.categories);
      return rows.map((r) => ({ key: r.key, name: r.name }));
    },
    // Layer 6: the tables as D1 has them now (read once per isolate; not user SQL).
    liveSchema: async () => {
      if (liveSchemaCache) return liveSchemaCache;
      const out: string[] = [];
      for (const t of EXPOSED) {
        const r = await c.env.DB.prepare(`SELECT name FROM pragma_table_info(?)`)
          .bind(t.name)
          .all<{ name: string }>()
          .catch(() => null);
        if (!r) return [];
        const exposed = new Set(t.columns.map((x) => x.name));
        out.push(
          `${t.name}(${r.results
            .map((x) => x.name)
            .filter((n) => exposed.has(n))
            .join(", ")})`,
        );
      }
      liveSchemaCache = out;
      return out;
    },
  };
}

function caller(c: Context<AppEnv>) {
  const a = c.var.auth;
  return { workspaceId: a.workspaceId, operatorId: a.operatorId, role: a.role };
}

async function answer(c: Context<AppEnv>, body: P.AskRequest) {
  if (body.sql && c.var.auth.role !== "admin" && c.var.auth.role !== "owner")
    throw forbidden("Only admins can run edited SQL");
  try {
    return await ask(deps(c), caller(c), body);
  } catch (e) {
    if (e instanceof ThreadNotFound) throw notFound("Thread");
    throw e;
  }
}

const askRoute = createRoute({
  method: "post",
  path: "/ask",
  tags: ["analytics"],
  summary: "Ask the analytics agent a question (English or Russian); follow-ups refine the thread's previous question",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  request: jsonBody(AskRequest),
  responses: ok(AskResponse),
});

const askStreamRoute = createRoute({
  method: "post",
  path: "/ask/stream",
  tags: ["analytics"],
  summary:
    "The same as /ask as server-sent events: `status` (what the agent is doing), then `answer` (the full response)",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  request: jsonBody(AskRequest),
  responses: {
    200: { content: { "text/event-stream": { schema: z.string() } }, description: "SSE: status…, answer" },
  },
});

const threadsRoute = createRoute({
  method: "get",
  path: "/threads",
  tags: ["analytics"],
  summary: "The caller's threads with the agent",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  responses: ok(z.object({ items: z.array(Thread) })),
});

const turnsRoute = createRoute({
  method: "get",
  path: "/threads/{id}",
  tags: ["analytics"],
  summary: "The turns of one of the caller's threads",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  request: { params: IdParam },
  responses: ok(z.object({ items: z.array(Turn) })),
});

const feedbackRoute = createRoute({
  method: "post",
  path: "/turns/{id}/feedback",
  tags: ["analytics"],
  summary:
    "👍 proposes the answer as a validated pattern (layer 3); 👎 with a correction proposes a learning (layer 5)",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  request: { params: IdParam, ...jsonBody(Feedback) },
  responses: ok(z.object({ proposed: LayerEntry.nullable() })),
});

const catalogueRoute = createRoute({
  method: "get",
  path: "/catalogue",
  tags: ["analytics"],
  summary: "Layers 1 and 2 as built in: the readable tables and columns, the metrics and dimensions",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  responses: ok(Catalogue),
});

const layersRoute = createRoute({
  method: "get",
  path: "/layers",
  tags: ["analytics"],
  summary: "The workspace's layer entries (column notes, metric overrides, patterns, documents, learnings)",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  responses: ok(z.object({ items: z.array(LayerEntry) })),
});

const addLayerRoute = createRoute({
  method: "post",
  path: "/layers",
  tags: ["analytics"],
  summary: "Add a layer entry (admins; applies at once). Patterns' SQL must pass the guard.",
  security: bearer,
  middleware: [requireRole("admin")] as const,
  request: jsonBody(LayerEntryInput.openapi("AnalyticsLayerInput")),
  responses: created(LayerEntry),
});

const reviewRoute = createRoute({
  method: "post",
  path: "/layers/{id}/review",
  tags: ["analytics"],
  summary: "Approve or reject a proposed pattern or learning (analysts and admins); only approved entries apply",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  request: { params: IdParam, ...jsonBody(z.object({ status: z.enum(["approved", "rejected"]) })) },
  responses: ok(LayerEntry),
});

const pinsRoute = createRoute({
  method: "get",
  path: "/pins",
  tags: ["analytics"],
  summary: "The caller's personal dashboard of pinned questions",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  responses: ok(z.object({ items: z.array(Pin) })),
});

const addPinRoute = createRoute({
  method: "post",
  path: "/pins",
  tags: ["analytics"],
  summary: "Pin a question (admins may pin edited SQL) to the personal dashboard",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  request: jsonBody(
    z.object({
      title: z.string().trim().min(1).max(120),
      question: z.string().trim().min(1).max(500),
      sql: z.string().min(1).max(8000).optional(),
    }),
  ),
  responses: created(Pin),
});

const runPinRoute = createRoute({
  method: "post",
  path: "/pins/{id}/run",
  tags: ["analytics"],
  summary: "Refresh a pinned question (a new answer on current data)",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  request: { params: IdParam },
  responses: ok(AskResponse),
});

const deletePinRoute = createRoute({
  method: "delete",
  path: "/pins/{id}",
  tags: ["analytics"],
  summary: "Unpin",
  security: bearer,
  middleware: [requireRole(...ANALYTICS)] as const,
  request: { params: IdParam },
  responses: ok(z.object({ ok: z.boolean() })),
});

export const analyticsApp = newApp()
  .openapi(askRoute, async (c) => c.json(await answer(c, c.req.valid("json")), 200))
  .openapi(askStreamRoute, async (c) => {
    const body = c.req.valid("json");
    if (body.sql && c.var.auth.role !== "admin" && c.var.auth.role !== "owner")
      throw forbidden("Only admins can run edited SQL");
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: "status", data: JSON.stringify({ stage: "understanding" }) });
      try {
        const res = await answer(c, body);
        await stream.writeSSE({ event: "status", data: JSON.stringify({ stage: "answered", ms: res.ms }) });
        await stream.writeSSE({ event: "answer", data: JSON.stringify(res) });
      } catch (e) {
        const message = e instanceof Error && e.name === "ApiError" ? e.message : "Something went wrong on our side";
        if (!(e instanceof Error && e.name === "ApiError"))
          console.error("analytics stream", e instanceof Error ? e.name : "unknown");
        await stream.writeSSE({ event: "error", data: JSON.stringify({ error: { code: "failed", message } }) });
      }
    });
  })
  .openapi(threadsRoute, async (c) => {
    const rows = await new AnalyticsStore(c.var.tdb).threads(c.var.auth.operatorId);
    return c.json(
      { items: rows.map((r) => ({ id: r.id, title: r.title, queries: r.queries, updatedAt: r.updatedAt })) },
      200,
    );
  })
  .openapi(turnsRoute, async (c) => {
    const store = new AnalyticsStore(c.var.tdb);
    const { id } = c.req.valid("param");
    if (!(await store.thread(id, c.var.auth.operatorId))) throw notFound("Thread");
    const rows = await store.turns(id);
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id,
          question: r.question,
          engine: r.engine,
          sql: r.sql,
          refused: r.refused,
          answer: r.answer,
          rowCount: r.rowCount,
          warnings: r.warnings,
          layers: r.layers,
          feedback: r.feedback,
          createdAt: r.createdAt,
        })),
      },
      200,
    );
  })
  .openapi(feedbackRoute, async (c) => {
    const store = new AnalyticsStore(c.var.tdb);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const turn = await store.turn(id);
    if (!turn || turn.operatorId !== c.var.auth.operatorId) throw notFound("Answer");
    if (body.metric && !METRICS_BY_KEY.has(body.metric))
      throw badRequest("Unknown metric", [
        { path: "metric", message: `one of ${METRICS.map((m) => m.key).join(", ")}` },
      ]);
    if (body.sql) {
      try {
        await runGuarded(d1Exec(c.env.DB), body.sql, caller(c));
      } catch (e) {
        if (e instanceof Error) throw badRequest(`The corrected SQL does not run: ${e.message}`);
        throw e;
      }
    }
    await store.setFeedback(id, body.rating, body.correction ?? null);
    let proposedId: string | null = null;
    if (body.rating === "up" && turn.sql && !turn.refused) {
      proposedId = await store.addEntry(
        3,
        normaliseQuestion(turn.question).slice(0, 200),
        { question: turn.question, sql: turn.sql },
        "proposed",
        c.var.auth.operatorId,
      );
    } else if (body.rating === "down" && (body.correction || body.sql || body.phrase)) {
      const content: Record<string, unknown> = { note: body.correction ?? "", question: turn.question };
      if (body.sql) content.sql = body.sql;
      if (turn.sql) content.error = `Wrong answer from: ${turn.sql}`.slice(0, 500);
      if (body.phrase && body.metric) {
        content.phrase = body.phrase;
        content.metric = body.metric;
      }
      proposedId = await store.addEntry(
        5,
        normaliseQuestion(turn.question).slice(0, 200),
        content,
        "proposed",
        c.var.auth.operatorId,
      );
      if (body.sql)
        await store.addEntry(
          3,
          normaliseQuestion(turn.question).slice(0, 200),
          { question: turn.question, sql: body.sql },
          "proposed",
          c.var.auth.operatorId,
        );
    }
    const entry = proposedId ? await store.entry(proposedId) : undefined;
    return c.json(
      {
        proposed: entry
          ? { id: entry.id, layer: entry.layer, key: entry.key, content: entry.content, status: entry.status }
          : null,
      },
      200,
    );
  })
  .openapi(catalogueRoute, async (c) =>
    c.json(
      {
        metrics: METRICS.map((m) => ({
          key: m.key,
          label: m.label.en,
          description: m.description,
          unit: m.unit,
          expr: m.expr,
        })),
        dimensions: DIMENSIONS.map((d) => ({ key: d.key, label: d.label.en })),
        tables: EXPOSED.map((t) => ({
          name: t.name,
          description: t.description,
          columns: t.columns.map((x) => ({ name: x.name, description: x.description, pii: x.pii ?? false })),
        })),
      },
      200,
    ),
  )
  .openapi(layersRoute, async (c) => c.json({ items: await new AnalyticsStore(c.var.tdb).entries() }, 200))
  .openapi(addLayerRoute, async (c) => {
    const body = c.req.valid("json");
    if (body.layer === 3) {
      try {
        await runGuarded(d1Exec(c.env.DB), body.content.sql, caller(c));
      } catch (e) {
        if (e instanceof GuardRefusal || e instanceof Error)
          throw badRequest(`The pattern's SQL does not run: ${e.message}`);
        throw e;
      }
    }
    if (body.layer === 2 && !METRICS_BY_KEY.has(body.content.metric)) throw badRequest("Unknown metric");
    const store = new AnalyticsStore(c.var.tdb);
    const key =
      body.layer === 3 ? normaliseQuestion(body.content.question) : JSON.stringify(body.content).slice(0, 200);
    const id = await store.addEntry(body.layer, key, body.content, "approved", c.var.auth.operatorId);
    const e = await store.entry(id);
    if (!e) throw notFound("Entry");
    return c.json({ id: e.id, layer: e.layer, key: e.key, content: e.content, status: e.status }, 201);
  })
  .openapi(reviewRoute, async (c) => {
    const store = new AnalyticsStore(c.var.tdb);
    const { id } = c.req.valid("param");
    if (!(await store.review(id, c.req.valid("json").status, c.var.auth.operatorId))) throw notFound("Entry");
    const e = await store.entry(id);
    if (!e) throw notFound("Entry");
    return c.json({ id: e.id, layer: e.layer, key: e.key, content: e.content, status: e.status }, 200);
  })
  .openapi(pinsRoute, async (c) => {
    const rows = await new AnalyticsStore(c.var.tdb).pins(c.var.auth.operatorId);
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id,
          title: r.title,
          question: r.question,
          sql: r.sql,
          createdAt: r.createdAt,
        })),
      },
      200,
    );
  })
  .openapi(addPinRoute, async (c) => {
    const body = c.req.valid("json");
    if (body.sql && c.var.auth.role !== "admin" && c.var.auth.role !== "owner")
      throw forbidden("Only admins can pin edited SQL");
    const store = new AnalyticsStore(c.var.tdb);
    const id = await store.addPin(c.var.auth.operatorId, body.title, body.question, body.sql ?? null);
    const p = await store.pin(id, c.var.auth.operatorId);
    if (!p) throw notFound("Pin");
    return c.json({ id: p.id, title: p.title, question: p.question, sql: p.sql, createdAt: p.createdAt }, 201);
  })
  .openapi(runPinRoute, async (c) => {
    const store = new AnalyticsStore(c.var.tdb);
    const p = await store.pin(c.req.valid("param").id, c.var.auth.operatorId);
    if (!p) throw notFound("Pin");
    return c.json(await ask(deps(c), caller(c), { question: p.question, sql: p.sql ?? undefined }), 200);
  })
  .openapi(deletePinRoute, async (c) => {
    const ok = await new AnalyticsStore(c.var.tdb).deletePin(c.req.valid("param").id, c.var.auth.operatorId);
    if (!ok) throw notFound("Pin");
    return c.json({ ok: true }, 200);
  });
