/**
 * /api flows, automation rules and outgoing webhooks (mounted at "/" of the /api app).
 * Flows: templates, CRUD on the draft (refused with the node and reason when the graph is
 * invalid), publish (a new immutable version), rollback (a new version with an old graph),
 * versions for history and diff, and simulate (the real engine on the draft, sandboxed).
 * Rules: CRUD. Webhooks: create (the secret is answered once), list, delete, the delivery
 * log and manual redelivery. Staff may read; admins change things.
 *
 * Over 400 lines: three related route tables (~30 routes: flows, rules, webhooks) with their
 * OpenAPI documentation; the engine is in workers/flows/, the validator in workers/protocol/flows.ts.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { ApiError, notFound } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { encryptSecret } from "../lib/secrets.ts";
import { checkOutboundUrl } from "../lib/outbound-url.ts";
import {
  FlowGraph,
  RuleDefinition,
  SimulateInput,
  SimulateResponse,
  validateGraph,
  WebhookEventType,
  type GraphIssue,
} from "../protocol/flows.ts";
import { findTemplate, TEMPLATES } from "../flows/templates.ts";
import { simulateFlow } from "../flows/simulate.ts";
import { allowLoopback, sandboxDeps } from "../flows/effects.ts";
import { forgetWebhookCache, newWebhookSecret, type WebhookJob } from "../integrations/webhooks.ts";
import { forgetFlowCache } from "../flows/store.ts";
import { audit } from "../services/audit.ts";
import { ADMIN, READERS, requireRole } from "./middleware.ts";
import { bearer, created, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const FlowSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    templateId: z.string().nullable(),
    publishedVersion: z.number().nullable(),
    active: z.boolean(),
    updatedAt: z.number(),
  })
  .openapi("FlowSummary");

const FlowDetail = FlowSummary.extend({
  draft: FlowGraph,
  versions: z.array(
    z.object({
      version: z.number(),
      publishedBy: z.string().nullable(),
      rolledBackFrom: z.number().nullable(),
      createdAt: z.number(),
    }),
  ),
}).openapi("Flow");

const CreateFlow = z.object({
  name: z.string().min(1).max(120),
  fromTemplate: z.string().max(60).optional(),
  graph: z.unknown().optional(),
});
const UpdateFlow = z.object({
  name: z.string().min(1).max(120).optional(),
  graph: z.unknown().optional(),
  active: z.boolean().optional(),
});
const VersionParam = z.object({
  id: IdParam.shape.id,
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: "version", in: "path" } }),
});
const DeliveryParam = z.object({
  id: IdParam.shape.id,
  deliveryId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "deliveryId", in: "path" } }),
});

const RuleOut = z
  .object({ id: z.string(), definition: RuleDefinition, updatedAt: z.number() })
  .openapi("AutomationRule");
const WebhookOut = z
  .object({ id: z.string(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: z.number() })
  .openapi("OutgoingWebhook");
const DeliveryOut = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number(),
    lastStatusCode: z.number().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.number().nullable(),
    deliveredAt: z.number().nullable(),
    log: z.array(z.object({ at: z.number(), status: z.number().nullable(), error: z.string().nullable() })),
    createdAt: z.number(),
  })
  .openapi("WebhookDelivery");

/** Parses and validates a graph; refuses with every issue (node + reason) as details. */
function checkedGraph(raw: unknown): FlowGraph {
  const parsed = FlowGraph.safeParse(raw);
  if (!parsed.success) {
    const details: GraphIssue[] = parsed.error.issues.map((i) => ({
      nodeId: nodeIdAt(raw, i.path),
      code: "schema",
      message: `${i.path.join(".") || "graph"}: ${i.message}`,
    }));
    throw new ApiError(422, "invalid_graph", "The flow graph is not valid", details);
  }
  const issues = validateGraph(parsed.data);
  if (issues.length) throw new ApiError(422, "invalid_graph", "The flow graph is not valid", issues);
  return parsed.data;
}

/** The id of the node a schema error points into (`nodes.3.text` → that node's id), for the editor. */
function nodeIdAt(raw: unknown, path: PropertyKey[]): string | null {
  if (path[0] !== "nodes" || typeof path[1] !== "number") return null;
  const nodes = z.object({ nodes: z.array(z.object({ id: z.string() }).loose()) }).safeParse(raw);
  return nodes.success ? (nodes.data.nodes[path[1]]?.id ?? null) : null;
}

async function loadFlow(tdb: TenantDb, id: string) {
  const row = await tdb.first(schema.flows, eq(schema.flows.id, id));
  if (!row) throw notFound("Flow");
  return row;
}

async function versionsOf(tdb: TenantDb, flowId: string) {
  const v = schema.flowVersions;
  return tdb.select(v, eq(v.flowId, flowId), { orderBy: desc(v.version) });
}

type FlowRow = typeof schema.flows.$inferSelect;
const summary = (r: FlowRow) => ({
  id: r.id,
  name: r.name,
  templateId: r.templateId,
  publishedVersion: r.publishedVersion,
  active: r.active,
  updatedAt: r.updatedAt,
});

/** Publishes `graph` as the next version of the flow and points new conversations at it. */
async function publish(tdb: TenantDb, flow: FlowRow, graph: FlowGraph, by: string, rolledBackFrom: number | null) {
  const latest = (await versionsOf(tdb, flow.id))[0]?.version ?? 0;
  const version = latest + 1;
  await tdb.insert(schema.flowVersions, { flowId: flow.id, version, graph, publishedBy: by, rolledBackFrom });
  await tdb.update(
    schema.flows,
    { publishedVersion: version, updatedAt: Date.now(), ...(rolledBackFrom !== null ? { draft: graph } : {}) },
    eq(schema.flows.id, flow.id),
  );
  forgetFlowCache(tdb.workspaceId);
  return version;
}

const r = {
  templates: createRoute({
    method: "get",
    path: "/flows/templates",
    tags: ["flows"],
    summary: "Flow templates: six industries and from scratch",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), industry: z.string() })) })),
  }),
  list: createRoute({
    method: "get",
    path: "/flows",
    tags: ["flows"],
    summary: "Flows of the workspace",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(z.object({ items: z.array(FlowSummary) })),
  }),
  create: createRoute({
    method: "post",
    path: "/flows",
    tags: ["flows"],
    summary: "Create a flow from a template, a graph, or from scratch (a template also creates its rules)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: jsonBody(CreateFlow),
    responses: created(z.object({ id: z.string() })),
  }),
  get: createRoute({
    method: "get",
    path: "/flows/{id}",
    tags: ["flows"],
    summary: "A flow's draft and version history",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    request: { params: IdParam },
    responses: ok(FlowDetail),
  }),
  put: createRoute({
    method: "put",
    path: "/flows/{id}",
    tags: ["flows"],
    summary: "Save the draft (refused with the node and reason when the graph is invalid), rename, (de)activate",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam, ...jsonBody(UpdateFlow) },
    responses: ok(FlowDetail),
  }),
  del: createRoute({
    method: "delete",
    path: "/flows/{id}",
    tags: ["flows"],
    summary: "Delete a flow (running conversations finish on their pinned version)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam },
    responses: ok(z.object({ ok: z.literal(true) })),
  }),
  publish: createRoute({
    method: "post",
    path: "/flows/{id}/publish",
    tags: ["flows"],
    summary: "Publish the draft as a new version",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam },
    responses: ok(z.object({ version: z.number() })),
  }),
  rollback: createRoute({
    method: "post",
    path: "/flows/{id}/rollback",
    tags: ["flows"],
    summary: "Publish an older version's graph as a new version (and make it the draft)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam, ...jsonBody(z.object({ version: z.number().int().min(1) })) },
    responses: ok(z.object({ version: z.number() })),
  }),
  version: createRoute({
    method: "get",
    path: "/flows/{id}/versions/{version}",
    tags: ["flows"],
    summary: "One published version's graph (for history and diff)",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    request: { params: VersionParam },
    responses: ok(z.object({ version: z.number(), graph: FlowGraph, createdAt: z.number() })),
  }),
  simulate: createRoute({
    method: "post",
    path: "/flows/{id}/simulate",
    tags: ["flows"],
    summary: "Chat through the draft with the real engine and a sandbox store",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: {
      params: IdParam,
      ...jsonBody(
        z.object({
          inputs: z.array(SimulateInput).max(100).default([]),
          customerEmail: z.email().max(254).optional(),
          language: z.enum(["en", "ru", "he", "es", "fr"]).optional(),
          channel: z.enum(["widget", "telegram", "whatsapp", "messenger", "email"]).optional(),
        }),
      ),
    },
    responses: ok(SimulateResponse),
  }),
  rules: createRoute({
    method: "get",
    path: "/rules",
    tags: ["automation"],
    summary: "Automation rules",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(z.object({ items: z.array(RuleOut) })),
  }),
  createRule: createRoute({
    method: "post",
    path: "/rules",
    tags: ["automation"],
    summary: "Create an automation rule (event + conditions + actions)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: jsonBody(RuleDefinition),
    responses: created(z.object({ id: z.string() })),
  }),
  getRule: createRoute({
    method: "get",
    path: "/rules/{id}",
    tags: ["automation"],
    summary: "One rule",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    request: { params: IdParam },
    responses: ok(RuleOut),
  }),
  putRule: createRoute({
    method: "put",
    path: "/rules/{id}",
    tags: ["automation"],
    summary: "Replace a rule",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam, ...jsonBody(RuleDefinition) },
    responses: ok(RuleOut),
  }),
  delRule: createRoute({
    method: "delete",
    path: "/rules/{id}",
    tags: ["automation"],
    summary: "Delete a rule",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam },
    responses: ok(z.object({ ok: z.literal(true) })),
  }),
  hooks: createRoute({
    method: "get",
    path: "/webhooks",
    tags: ["webhooks"],
    summary: "Outgoing webhook endpoints (secrets are never shown again)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    responses: ok(z.object({ items: z.array(WebhookOut) })),
  }),
  createHook: createRoute({
    method: "post",
    path: "/webhooks",
    tags: ["webhooks"],
    summary: "Add an endpoint; the signing secret is in this response only",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: jsonBody(z.object({ url: z.string().min(1).max(2000), events: z.array(WebhookEventType).min(1).max(20) })),
    responses: created(z.object({ id: z.string(), secret: z.string() })),
  }),
  delHook: createRoute({
    method: "delete",
    path: "/webhooks/{id}",
    tags: ["webhooks"],
    summary: "Remove an endpoint (pending deliveries are dropped)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam },
    responses: ok(z.object({ ok: z.literal(true) })),
  }),
  deliveries: createRoute({
    method: "get",
    path: "/webhooks/{id}/deliveries",
    tags: ["webhooks"],
    summary: "The endpoint's delivery log (newest first, last 100)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam },
    responses: ok(z.object({ items: z.array(DeliveryOut) })),
  }),
  redeliver: createRoute({
    method: "post",
    path: "/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    tags: ["webhooks"],
    summary: "Send a delivery again (same body, fresh signature)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: DeliveryParam },
    responses: ok(DeliveryOut),
  }),
};

type RuleRow = typeof schema.automationRules.$inferSelect;
const ruleOut = (row: RuleRow) => ({ id: row.id, definition: row.definition, updatedAt: row.updatedAt });
type DeliveryRow = typeof schema.webhookDeliveries.$inferSelect;
const deliveryOut = (d: DeliveryRow) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  nextAttemptAt: d.nextAttemptAt,
  deliveredAt: d.deliveredAt,
  log: d.log,
  createdAt: d.createdAt,
});

async function flowDetail(tdb: TenantDb, row: FlowRow) {
  const versions = await versionsOf(tdb, row.id);
  return {
    ...summary(row),
    draft: row.draft,
    versions: versions.map((v) => ({
      version: v.version,
      publishedBy: v.publishedBy,
      rolledBackFrom: v.rolledBackFrom,
      createdAt: v.createdAt,
    })),
  };
}

export const flowsApp = newApp()
  .openapi(r.templates, (c) =>
    c.json({ items: TEMPLATES.map((x) => ({ id: x.id, name: x.name, industry: x.industry })) }, 200),
  )
  .openapi(r.list, async (c) => {
    const rows = await c.var.tdb.select(schema.flows, undefined, { orderBy: desc(schema.flows.updatedAt), limit: 200 });
    return c.json({ items: rows.map(summary) }, 200);
  })
  .openapi(r.create, async (c) => {
    const body = c.req.valid("json");
    const tdb = c.var.tdb;
    const template = body.fromTemplate !== undefined ? findTemplate(body.fromTemplate) : undefined;
    if (body.fromTemplate !== undefined && !template)
      throw new ApiError(422, "unknown_template", `No template ${body.fromTemplate}`);
    const graph = body.graph !== undefined ? checkedGraph(body.graph) : (template ?? findTemplate("scratch"))?.graph;
    if (!graph) throw notFound("Template");
    const id = newId("flow");
    await tdb.insert(schema.flows, { id, name: body.name, templateId: template?.id ?? null, draft: graph });
    if (template && template.rules.length > 0)
      await tdb.insert(
        schema.automationRules,
        template.rules.map((definition) => ({ id: newId("rule"), definition, enabled: definition.enabled })),
      );
    await audit(tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "flow.create",
      targetType: "flow",
      targetId: id,
      detail: { template: template?.id ?? null },
    });
    return c.json({ id }, 201);
  })
  .openapi(r.get, async (c) => {
    const row = await loadFlow(c.var.tdb, c.req.valid("param").id);
    return c.json(await flowDetail(c.var.tdb, row), 200);
  })
  .openapi(r.put, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const tdb = c.var.tdb;
    await loadFlow(tdb, id);
    const graph = body.graph !== undefined ? checkedGraph(body.graph) : undefined;
    await tdb.update(
      schema.flows,
      {
        updatedAt: Date.now(),
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
        ...(graph ? { draft: graph } : {}),
      },
      eq(schema.flows.id, id),
    );
    forgetFlowCache(tdb.workspaceId);
    return c.json(await flowDetail(tdb, await loadFlow(tdb, id)), 200);
  })
  .openapi(r.del, async (c) => {
    const { id } = c.req.valid("param");
    await loadFlow(c.var.tdb, id);
    await c.var.tdb.delete(schema.flows, eq(schema.flows.id, id));
    forgetFlowCache(c.var.tdb.workspaceId);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(r.publish, async (c) => {
    const tdb = c.var.tdb;
    const flow = await loadFlow(tdb, c.req.valid("param").id);
    const graph = checkedGraph(flow.draft);
    const version = await publish(tdb, flow, graph, c.var.auth.operatorId, null);
    await audit(tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "flow.publish",
      targetType: "flow",
      targetId: flow.id,
      detail: { version },
    });
    return c.json({ version }, 200);
  })
  .openapi(r.rollback, async (c) => {
    const tdb = c.var.tdb;
    const flow = await loadFlow(tdb, c.req.valid("param").id);
    const { version: target } = c.req.valid("json");
    const v = schema.flowVersions;
    const old = await tdb.first(v, and(eq(v.flowId, flow.id), eq(v.version, target)));
    if (!old) throw notFound("Flow version");
    const version = await publish(tdb, flow, old.graph, c.var.auth.operatorId, target);
    await audit(tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "flow.rollback",
      targetType: "flow",
      targetId: flow.id,
      detail: { version, from: target },
    });
    return c.json({ version }, 200);
  })
  .openapi(r.version, async (c) => {
    const { id, version } = c.req.valid("param");
    const v = schema.flowVersions;
    const row = await c.var.tdb.first(v, and(eq(v.flowId, id), eq(v.version, version)));
    if (!row) throw notFound("Flow version");
    return c.json({ version: row.version, graph: row.graph, createdAt: row.createdAt }, 200);
  })
  .openapi(r.simulate, async (c) => {
    const tdb = c.var.tdb;
    const flow = await loadFlow(tdb, c.req.valid("param").id);
    const body = c.req.valid("json");
    const graph = checkedGraph(flow.draft);
    const deps = await sandboxDeps(
      c.env,
      tdb.workspaceId,
      c.var.auth.operatorId,
      async (otherId) => (await tdb.first(schema.flows, eq(schema.flows.id, otherId)))?.draft ?? null,
      body.customerEmail,
    );
    const result = await simulateFlow(graph, body.inputs, deps, {
      conversationId: "simulation",
      channel: body.channel ?? "widget",
      language: body.language ?? null,
      category: null,
      urgency: null,
      contact: body.customerEmail ? { email: body.customerEmail } : {},
      businessHoursOpen: true,
    });
    return c.json(result, 200);
  })
  .openapi(r.rules, async (c) => {
    const t = schema.automationRules;
    const rows = await c.var.tdb.select(t, undefined, { orderBy: desc(t.updatedAt), limit: 500 });
    return c.json({ items: rows.map(ruleOut) }, 200);
  })
  .openapi(r.createRule, async (c) => {
    const definition = c.req.valid("json");
    const id = newId("rule");
    await c.var.tdb.insert(schema.automationRules, { id, definition, enabled: definition.enabled });
    forgetFlowCache(c.var.tdb.workspaceId);
    return c.json({ id }, 201);
  })
  .openapi(r.getRule, async (c) => {
    const t = schema.automationRules;
    const row = await c.var.tdb.first(t, eq(t.id, c.req.valid("param").id));
    if (!row) throw notFound("Rule");
    return c.json(ruleOut(row), 200);
  })
  .openapi(r.putRule, async (c) => {
    const t = schema.automationRules;
    const { id } = c.req.valid("param");
    const definition = c.req.valid("json");
    const updated = await c.var.tdb
      .update(t, { definition, enabled: definition.enabled, updatedAt: Date.now() }, eq(t.id, id))
      .returning();
    const row = updated[0];
    if (!row) throw notFound("Rule");
    forgetFlowCache(c.var.tdb.workspaceId);
    return c.json(ruleOut(row), 200);
  })
  .openapi(r.delRule, async (c) => {
    const t = schema.automationRules;
    const gone = await c.var.tdb.delete(t, eq(t.id, c.req.valid("param").id)).returning({ id: t.id });
    if (gone.length === 0) throw notFound("Rule");
    forgetFlowCache(c.var.tdb.workspaceId);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(r.hooks, async (c) => {
    const t = schema.outgoingWebhooks;
    const rows = await c.var.tdb.select(t, undefined, { orderBy: desc(t.createdAt), limit: 100 });
    return c.json(
      {
        items: rows.map((h) => ({ id: h.id, url: h.url, events: h.events, active: h.active, createdAt: h.createdAt })),
      },
      200,
    );
  })
  .openapi(r.createHook, async (c) => {
    const body = c.req.valid("json");
    const check = checkOutboundUrl(body.url, { allowLoopback: allowLoopback(c.env) });
    if (!check.ok) throw new ApiError(422, "url_not_allowed", check.reason);
    const id = newId("wh");
    const secret = newWebhookSecret();
    await c.var.tdb.insert(schema.outgoingWebhooks, {
      id,
      url: check.url.toString(),
      events: [...new Set(body.events)],
      secretEnc: await encryptSecret(secret, c.var.config.encryptionKey),
    });
    forgetWebhookCache(c.var.tdb.workspaceId);
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "webhook.create",
      targetType: "webhook",
      targetId: id,
      detail: { url: check.url.origin, events: body.events },
    });
    return c.json({ id, secret }, 201);
  })
  .openapi(r.delHook, async (c) => {
    const t = schema.outgoingWebhooks;
    const gone = await c.var.tdb.delete(t, eq(t.id, c.req.valid("param").id)).returning({ id: t.id });
    if (gone.length === 0) throw notFound("Webhook");
    forgetWebhookCache(c.var.tdb.workspaceId);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(r.deliveries, async (c) => {
    const { id } = c.req.valid("param");
    const hook = await c.var.tdb.first(schema.outgoingWebhooks, eq(schema.outgoingWebhooks.id, id));
    if (!hook) throw notFound("Webhook");
    const d = schema.webhookDeliveries;
    const rows = await c.var.tdb.select(d, eq(d.webhookId, id), {
      orderBy: [desc(d.createdAt), desc(d.id)],
      limit: 100,
    });
    return c.json({ items: rows.map(deliveryOut) }, 200);
  })
  .openapi(r.redeliver, async (c) => {
    const { id, deliveryId } = c.req.valid("param");
    const d = schema.webhookDeliveries;
    const row = await c.var.tdb.first(d, and(eq(d.id, deliveryId), eq(d.webhookId, id)));
    if (!row) throw notFound("Delivery");
    const updated = await c.var.tdb
      .update(d, { status: "pending", nextAttemptAt: Date.now() }, eq(d.id, row.id))
      .returning();
    await c.env.WEBHOOK_QUEUE.send({
      kind: "webhook",
      workspaceId: c.var.tdb.workspaceId,
      deliveryId: row.id,
    } satisfies WebhookJob);
    return c.json(deliveryOut(updated[0] ?? row), 200);
  });

const EventData: Record<WebhookEventType, z.ZodType> = {
  "conversation.created": z.object({
    conversationId: z.string(),
    channel: z.string(),
    contactId: z.string().nullable(),
  }),
  "conversation.assigned": z.object({
    conversationId: z.string(),
    assigneeId: z.string().nullable(),
    teamId: z.string().nullable(),
  }),
  "conversation.resolved": z.object({ conversationId: z.string(), resolvedBy: z.string().nullable() }),
  "message.created": z.object({
    conversationId: z.string(),
    messageId: z.string(),
    type: z.enum(["incoming", "outgoing"]),
    senderType: z.string(),
    content: z.string(),
  }),
  "csat.received": z.object({ conversationId: z.string(), score: z.number().int(), comment: z.string().nullable() }),
  "action.executed": z.object({
    conversationId: z.string(),
    actionId: z.string(),
    tool: z.string(),
    status: z.enum(["executed", "failed"]),
  }),
  "flow.completed": z.object({
    conversationId: z.string(),
    flowId: z.string(),
    version: z.number().int(),
    outcome: z.enum(["ended", "handoff"]),
    variables: z.record(z.string(), z.string()),
  }),
};

/** Adds the `webhooks` section of the OpenAPI document: one entry per event with its payload. */
export function documentWebhooks(registry: { registerWebhook: (w: Parameters<typeof createRoute>[0]) => void }): void {
  for (const [type, data] of Object.entries(EventData)) {
    registry.registerWebhook({
      method: "post",
      path: type,
      summary: `${type} (signed: X-OmniSupport-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">)`,
      request: {
        headers: z.object({ "X-OmniSupport-Signature": z.string(), "X-OmniSupport-Event": z.string() }),
        body: {
          content: {
            "application/json": {
              schema: z.object({ id: z.string(), type: z.literal(type), createdAt: z.number(), data }),
            },
          },
        },
      },
      responses: { 200: { description: "Any 2xx acknowledges; 408, 429 and 5xx are retried with backoff" } },
    });
  }
}
