/**
 * /api/contacts/{id}/memories (issue 20): operators see, add, edit, approve or reject the
 * facts remembered about a customer; only approved ones reach the agent. Every route names
 * the contact, and every query is scoped to the caller's workspace and that contact.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { conflict, notFound } from "../lib/errors.ts";
import { MEMORY_CATEGORIES, factKey } from "../rights/memory/extract.ts";
import { listMemories, proposeMemories } from "../rights/memory/store.ts";
import { audit } from "../services/audit.ts";
import { READERS, requireRole, STAFF } from "./middleware.ts";
import { bearer, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const MemorySchema = z
  .object({
    id: z.string(),
    contactId: z.string(),
    category: z.string(),
    fact: z.string(),
    sourceConversationId: z.string().nullable(),
    sourceMessageId: z.string().nullable(),
    confidence: z.number(),
    origin: z.enum(["rules", "llm", "operator"]),
    status: z.enum(["proposed", "approved", "rejected"]),
    expiresAt: z.number().int().nullable(),
    createdAt: z.number().int(),
  })
  .openapi("ContactMemory");
type MemoryRow = typeof schema.contactMemories.$inferSelect;
const toMemory = (r: MemoryRow): z.infer<typeof MemorySchema> => ({
  id: r.id,
  contactId: r.contactId,
  category: r.category,
  fact: r.fact,
  sourceConversationId: r.sourceConversationId,
  sourceMessageId: r.sourceMessageId,
  confidence: r.confidence,
  origin: r.origin,
  status: r.status,
  expiresAt: r.expiresAt,
  createdAt: r.createdAt,
});
const MemoryParams = IdParam.extend({ memoryId: z.string().min(1).max(100) });
const Fact = z.string().trim().min(3).max(300);

const listRoute = createRoute({
  method: "get",
  path: "/contacts/{id}/memories",
  tags: ["contacts", "memory"],
  summary: "Facts remembered about the contact (proposed, approved, rejected)",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { params: IdParam },
  responses: ok(z.object({ items: z.array(MemorySchema) })),
});
const addRoute = createRoute({
  method: "post",
  path: "/contacts/{id}/memories",
  tags: ["contacts", "memory"],
  summary: "Add a fact (approved: an operator wrote it)",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: {
    params: IdParam,
    ...jsonBody(
      z
        .object({ category: z.enum(MEMORY_CATEGORIES), fact: Fact, expiresAt: z.number().int().nullable().optional() })
        .strict(),
    ),
  },
  responses: ok(z.object({ items: z.array(MemorySchema) })),
});
const patchRoute = createRoute({
  method: "patch",
  path: "/contacts/{id}/memories/{memoryId}",
  tags: ["contacts", "memory"],
  summary: "Edit, approve or reject a fact",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: {
    params: MemoryParams,
    ...jsonBody(
      z
        .object({
          fact: Fact.optional(),
          status: z.enum(["approved", "rejected"]).optional(),
          expiresAt: z.number().int().nullable().optional(),
        })
        .strict(),
    ),
  },
  responses: ok(MemorySchema),
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/contacts/{id}/memories/{memoryId}",
  tags: ["contacts", "memory"],
  summary: "Forget a fact",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: { params: MemoryParams },
  responses: ok(z.object({ deleted: z.boolean() })),
});

const ProfileSchema = z
  .object({
    contactId: z.string(),
    preferredLanguage: z.string().nullable(),
    preferredChannel: z.string().nullable(),
    tone: z.string().nullable(),
    subscriptionFacts: z.record(z.string(), z.string()),
    recurringIssues: z.array(z.string()),
    lastResolution: z.string().nullable(),
    updatedAt: z.number().int().nullable(),
  })
  .openapi("CustomerProfile");
const getProfileRoute = createRoute({
  method: "get",
  path: "/contacts/{id}/profile",
  tags: ["contacts", "memory"],
  summary: "The customer profile (refreshed after each resolved conversation)",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { params: IdParam },
  responses: ok(ProfileSchema),
});
const putProfileRoute = createRoute({
  method: "patch",
  path: "/contacts/{id}/profile",
  tags: ["contacts", "memory"],
  summary: "Edit the profile (tone, preferred language/channel, confirmed subscription facts)",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: {
    params: IdParam,
    ...jsonBody(
      z
        .object({
          tone: z.string().trim().max(120).nullable().optional(),
          preferredLanguage: z.string().trim().max(10).nullable().optional(),
          preferredChannel: z.string().trim().max(20).nullable().optional(),
          subscriptionFacts: z.record(z.string().max(40), z.string().max(200)).optional(),
        })
        .strict(),
    ),
  },
  responses: ok(ProfileSchema),
});

async function readProfile(tdb: TenantDb, contactId: string): Promise<z.infer<typeof ProfileSchema>> {
  const p = schema.contactProfiles;
  const r = await tdb.first(p, eq(p.contactId, contactId));
  return {
    contactId,
    preferredLanguage: r?.preferredLanguage ?? null,
    preferredChannel: r?.preferredChannel ?? null,
    tone: r?.tone ?? null,
    subscriptionFacts: r?.subscriptionFacts ?? {},
    recurringIssues: r?.recurringIssues ?? [],
    lastResolution: r?.lastResolution ?? null,
    updatedAt: r?.updatedAt ?? null,
  };
}

async function requireContact(tdb: TenantDb, id: string): Promise<void> {
  if (!(await tdb.first(schema.contacts, eq(schema.contacts.id, id)))) throw notFound("Contact");
}

export const memoriesApp = newApp()
  .openapi(listRoute, async (c) => {
    const { id } = c.req.valid("param");
    await requireContact(c.var.tdb, id);
    return c.json({ items: (await listMemories(c.var.tdb, id)).map(toMemory) }, 200);
  })
  .openapi(addRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    await requireContact(c.var.tdb, id);
    await proposeMemories(c.var.tdb, {
      contactId: id,
      conversationId: null,
      messageId: null,
      candidates: [{ category: body.category, fact: body.fact, confidence: 1 }],
      origin: "operator",
      autoApprove: [],
      expiresAt: body.expiresAt ?? null,
    });
    return c.json({ items: (await listMemories(c.var.tdb, id)).map(toMemory) }, 200);
  })
  .openapi(patchRoute, async (c) => {
    const { id, memoryId } = c.req.valid("param");
    const body = c.req.valid("json");
    const m = schema.contactMemories;
    const where = and(eq(m.id, memoryId), eq(m.contactId, id)) ?? eq(m.id, memoryId);
    if (!(await c.var.tdb.first(m, where))) throw notFound("Memory");
    if (body.fact !== undefined) {
      const same = await c.var.tdb.first(m, and(eq(m.contactId, id), eq(m.factKey, factKey(body.fact))));
      if (same && same.id !== memoryId) throw conflict("This contact already has that fact");
    }
    await c.var.tdb
      .update(
        m,
        {
          ...(body.fact !== undefined ? { fact: body.fact, factKey: factKey(body.fact) } : {}),
          ...(body.status !== undefined ? { status: body.status, decidedBy: c.var.auth.operatorId } : {}),
          ...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt } : {}),
          updatedAt: Date.now(),
        },
        where,
      )
      .run();
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "memory.update",
      targetType: "contact",
      targetId: id,
      detail: { memoryId, fields: Object.keys(body) },
    });
    const row = await c.var.tdb.first(m, where);
    if (!row) throw notFound("Memory");
    return c.json(toMemory(row), 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id, memoryId } = c.req.valid("param");
    const m = schema.contactMemories;
    const res = await c.var.tdb.delete(m, and(eq(m.id, memoryId), eq(m.contactId, id)) ?? eq(m.id, memoryId)).run();
    if (!res.meta.changes) throw notFound("Memory");
    // Who made the assistant forget a fact is on the record, as for every other change to it (never the fact).
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "memory.delete",
      targetType: "contact",
      targetId: id,
      detail: { memoryId },
    });
    return c.json({ deleted: true }, 200);
  })
  .openapi(getProfileRoute, async (c) => {
    const { id } = c.req.valid("param");
    await requireContact(c.var.tdb, id);
    return c.json(await readProfile(c.var.tdb, id), 200);
  })
  .openapi(putProfileRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    await requireContact(c.var.tdb, id);
    const p = schema.contactProfiles;
    const set = { ...body, updatedBy: c.var.auth.operatorId, updatedAt: Date.now() };
    await c.var.tdb.db
      .insert(p)
      .values({ workspaceId: c.var.auth.workspaceId, contactId: id, ...set })
      .onConflictDoUpdate({ target: [p.workspaceId, p.contactId], set });
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "profile.update",
      targetType: "contact",
      targetId: id,
      detail: { fields: Object.keys(body) },
    });
    return c.json(await readProfile(c.var.tdb, id), 200);
  });
