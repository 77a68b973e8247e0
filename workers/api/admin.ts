/**
 * Admin domains: operators and teams, inboxes (channel connections, secrets encrypted
 * and never returned), workspace settings, categories with versions and rollback,
 * canned responses, the audit log.
 *
 * Over 400 lines: six admin domains of ~25 short routes (schema, role check, TenantDb calls,
 * an audit entry on changes) sharing the response mappers below. Split per domain when one grows;
 * today each domain alone would be a file of a few routes importing the same helpers.
 */
import { publicOrigin } from "../lib/config.ts";
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { CATEGORY_KEYS } from "../lib/categories.ts";
import { ApiError, badRequest, conflict, forbidden, notFound } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { forgetOperatorState } from "../lib/operator-state.ts";
import { hashPassword } from "../lib/password.ts";
import { decryptJson, encryptJson } from "../lib/secrets.ts";
import { InboxHoursSchema, InboxOverridesSchema, readSettings, WorkspaceSettingsSchema } from "../protocol/settings.ts";
import { audit } from "../services/audit.ts";
import { confirmClaim, releaseClaim, startClaim, verifiedHolder } from "../services/email-claims.ts";
import { missingVariables, renderCanned } from "../../durable-objects/lib/canned.ts";
import { forgetWorkspaceLocation, intakeOf, locationIsFixed } from "../services/data-location.ts";
import { toProfile } from "./auth.ts";
import { ADMIN, READERS, requireRole, STAFF } from "./middleware.ts";
import { bearer, created, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";
import {
  AuditEntrySchema,
  CannedSchema,
  CategorySchema,
  CategoryVersionSchema,
  InboxSchema,
  IntakeBacklogSchema,
  OperatorSchema,
  SettingsEnvelopeSchema,
  TeamSchema,
} from "./schemas.ts";
import { LanguageSchema } from "../protocol/vocabulary.ts";

const OperatorOut = OperatorSchema;
const OperatorIn = z.object({
  email: z.email().max(254),
  name: z.string().min(1).max(120),
  handle: z.string().regex(/^[a-z0-9_.-]{2,32}$/),
  role: z.enum(["admin", "operator", "analyst"]),
  password: z.string().min(12).max(200),
  skills: z.array(z.enum(CATEGORY_KEYS)).default([]),
  languages: z.array(LanguageSchema).default(["en"]),
  maxConcurrent: z.number().int().min(1).max(50).default(5),
});
const OperatorPatch = OperatorIn.omit({ email: true, password: true })
  .partial()
  .extend({ disabled: z.boolean().optional() })
  .strict();

const channelSecrets = {
  widget: z.object({}).strict(),
  telegram: z.object({
    botToken: z.string().min(20).max(200),
    secretToken: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/),
  }),
  whatsapp: z.object({
    accessToken: z.string().min(10).max(1000),
    appSecret: z.string().min(8).max(200),
    verifyToken: z.string().min(4).max(200),
  }),
  messenger: z.object({
    pageAccessToken: z.string().min(10).max(1000),
    appSecret: z.string().min(8).max(200),
    verifyToken: z.string().min(4).max(200),
  }),
  email: z.object({}).strict(),
} as const;

const InboxIn = z.discriminatedUnion("channel", [
  z.object({
    channel: z.literal("widget"),
    name: z.string().min(1).max(80),
    settings: z.record(z.string(), z.unknown()).default({}),
  }),
  z.object({
    channel: z.literal("telegram"),
    name: z.string().min(1).max(80),
    settings: z.object({ botUsername: z.string().max(64).optional() }).default({}),
    secrets: channelSecrets.telegram,
  }),
  z.object({
    channel: z.literal("whatsapp"),
    name: z.string().min(1).max(80),
    settings: z.object({
      phoneNumberId: z.string().regex(/^\d{5,20}$/),
      businessAccountId: z.string().max(40).optional(),
    }),
    secrets: channelSecrets.whatsapp,
  }),
  z.object({
    channel: z.literal("messenger"),
    name: z.string().min(1).max(80),
    settings: z.object({ pageId: z.string().regex(/^\d{5,20}$/) }),
    secrets: channelSecrets.messenger,
  }),
  z.object({
    channel: z.literal("email"),
    name: z.string().min(1).max(80),
    settings: z.object({ address: z.email(), fromName: z.string().max(80).optional() }),
  }),
]);

type InboxRow = typeof schema.inboxes.$inferSelect;
export async function toInbox(
  r: InboxRow,
  keys: readonly string[],
  publicUrl: string,
): Promise<z.infer<typeof InboxSchema>> {
  const secrets = await decryptJson(r.secretsEnc, keys);
  const webhook = r.channel === "widget" || r.channel === "email" ? null : `${publicUrl}/webhooks/${r.channel}/${r.id}`;
  return {
    id: r.id,
    name: r.name,
    channel: r.channel,
    settings: r.settings,
    configuredSecrets: Object.keys(secrets).sort(),
    enabled: r.enabled,
    webhookUrl: webhook,
  };
}

type CategoryRow = typeof schema.categories.$inferSelect;
export function toCategory(r: CategoryRow): z.infer<typeof CategorySchema> {
  const key = CATEGORY_KEYS.find((k) => k === r.key) ?? "other";
  return {
    key,
    name: r.name,
    instructions: r.instructions,
    allowedTools: r.allowedTools,
    provider: r.provider,
    model: r.model,
    reasoningLevel: r.reasoningLevel,
    autoSend: r.autoSend,
    retentionOffer: r.retentionOffer,
    version: r.version,
    updatedAt: r.updatedAt,
  };
}

const TOOL_NAMES = [
  "get_subscription",
  "track_shipment",
  "pause_subscription",
  "skip_next_box",
  "change_frequency",
  "change_address",
  "create_damage_claim",
  "payment_update_link",
  "cancel_subscription",
  "cancellation_link",
  "escalate_to_human",
] as const;
const CategoryIn = z
  .object({
    name: z.string().min(1).max(80),
    instructions: z.string().min(1).max(8000),
    allowedTools: z.array(z.enum(TOOL_NAMES)).max(20),
    provider: z.string().min(1).max(40),
    model: z.string().min(1).max(120),
    reasoningLevel: z.enum(["minimal", "low", "medium", "high"]),
    autoSend: z.enum(["always", "confident", "never"]),
    retentionOffer: z.string().max(1000).nullable().default(null),
  })
  .strict();
const KeyParam = z.object({ key: z.enum(CATEGORY_KEYS).openapi({ param: { name: "key", in: "path" } }) });

/** PATCH /inboxes/{id}: every field optional; null removes an override. */
const InboxPatch = z
  .object({
    name: z.string().trim().min(1).max(80),
    enabled: z.boolean(),
    greeting: InboxOverridesSchema.shape.greeting.unwrap().nullable(),
    hours: InboxHoursSchema.nullable(),
    csatEnabled: z.boolean().nullable(),
    teamId: z.string().max(100).nullable(),
  })
  .partial()
  .strict();

const r = {
  listOperators: createRoute({
    method: "get",
    path: "/operators",
    tags: ["operators"],
    summary: "Operators of the workspace",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(z.object({ items: z.array(OperatorOut) })),
  }),
  createOperator: createRoute({
    method: "post",
    path: "/operators",
    tags: ["operators"],
    summary: "Invite an operator",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: jsonBody(OperatorIn),
    responses: created(OperatorOut),
  }),
  patchOperator: createRoute({
    method: "patch",
    path: "/operators/{id}",
    tags: ["operators"],
    summary: "Change role, skills, languages, capacity",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam, ...jsonBody(OperatorPatch) },
    responses: ok(OperatorOut),
  }),
  listTeams: createRoute({
    method: "get",
    path: "/teams",
    tags: ["operators"],
    summary: "Teams and members",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(z.object({ items: z.array(TeamSchema) })),
  }),
  createTeam: createRoute({
    method: "post",
    path: "/teams",
    tags: ["operators"],
    summary: "Create a team",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: jsonBody(
      z.object({ name: z.string().min(1).max(80), memberIds: z.array(z.string().max(100)).max(200).default([]) }),
    ),
    responses: created(TeamSchema),
  }),
  listInboxes: createRoute({
    method: "get",
    path: "/inboxes",
    tags: ["inboxes"],
    summary: "Channel connections (secrets never returned)",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(z.object({ items: z.array(InboxSchema) })),
  }),
  createInbox: createRoute({
    method: "post",
    path: "/inboxes",
    tags: ["inboxes"],
    summary: "Connect a channel",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: jsonBody(InboxIn),
    responses: created(InboxSchema),
  }),
  patchInbox: createRoute({
    method: "patch",
    path: "/inboxes/{id}",
    tags: ["inboxes"],
    summary:
      "Edit an inbox: name, on/off, and what it changes of the workspace settings (greeting, hours, CSAT, team); null restores the workspace's",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam, ...jsonBody(InboxPatch) },
    responses: ok(InboxSchema),
  }),
  deleteInbox: createRoute({
    method: "delete",
    path: "/inboxes/{id}",
    tags: ["inboxes"],
    summary: "Disconnect a channel",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam },
    responses: ok(z.object({ deleted: z.boolean() })),
  }),
  verifyEmailInbox: createRoute({
    method: "post",
    path: "/inboxes/{id}/email/verify",
    tags: ["inboxes"],
    summary: "Confirm an email inbox's address with the code mailed to it (mail is accepted only after this)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam, ...jsonBody(z.object({ code: z.string().regex(/^\d{8}$/) })) },
    responses: ok(z.object({ verified: z.literal(true) })),
  }),
  resendEmailCode: createRoute({
    method: "post",
    path: "/inboxes/{id}/email/resend",
    tags: ["inboxes"],
    summary: "Mail a new verification code to an email inbox's address",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: IdParam },
    responses: ok(z.object({ sent: z.literal(true) })),
  }),
  inboxIntake: createRoute({
    method: "get",
    path: "/inboxes/{id}/intake",
    tags: ["inboxes"],
    summary:
      "The inbox's intake backlog: deliveries waiting for processing, failed ones being retried, rows not yet copied to D1",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    request: { params: IdParam },
    responses: ok(IntakeBacklogSchema),
  }),
  getSettings: createRoute({
    method: "get",
    path: "/settings",
    tags: ["settings"],
    summary: "Workspace settings",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(SettingsEnvelopeSchema),
  }),
  putSettings: createRoute({
    method: "put",
    path: "/settings",
    tags: ["settings"],
    summary: "Replace workspace settings",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: jsonBody(WorkspaceSettingsSchema),
    responses: ok(SettingsEnvelopeSchema),
  }),
  listCategories: createRoute({
    method: "get",
    path: "/categories",
    tags: ["categories"],
    summary: "Support categories",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(z.object({ items: z.array(CategorySchema) })),
  }),
  putCategory: createRoute({
    method: "put",
    path: "/categories/{key}",
    tags: ["categories"],
    summary: "Update a category (creates a new version)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: KeyParam, ...jsonBody(CategoryIn) },
    responses: ok(CategorySchema),
  }),
  categoryVersions: createRoute({
    method: "get",
    path: "/categories/{key}/versions",
    tags: ["categories"],
    summary: "Version history",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    request: { params: KeyParam },
    responses: ok(z.object({ items: z.array(CategoryVersionSchema) })),
  }),
  rollbackCategory: createRoute({
    method: "post",
    path: "/categories/{key}/rollback",
    tags: ["categories"],
    summary: "Restore an earlier version (as a new version)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { params: KeyParam, ...jsonBody(z.object({ version: z.number().int().min(1) })) },
    responses: ok(CategorySchema),
  }),
  listCanned: createRoute({
    method: "get",
    path: "/canned-responses",
    tags: ["canned"],
    summary: "Canned responses",
    security: bearer,
    middleware: [requireRole(...READERS)] as const,
    responses: ok(z.object({ items: z.array(CannedSchema) })),
  }),
  createCanned: createRoute({
    method: "post",
    path: "/canned-responses",
    tags: ["canned"],
    summary: "Add a canned response",
    security: bearer,
    middleware: [requireRole(...STAFF)] as const,
    request: jsonBody(
      z.object({ shortCode: z.string().regex(/^[a-z0-9_-]{1,32}$/), content: z.string().min(1).max(4000) }),
    ),
    responses: created(CannedSchema),
  }),
  renderCanned: createRoute({
    method: "post",
    path: "/canned-responses/render",
    tags: ["canned"],
    summary:
      "Render a canned response for a conversation ({{contact.name}}, {{subscription.next_box}}, {{operator.name}})",
    security: bearer,
    middleware: [requireRole(...STAFF)] as const,
    request: jsonBody(
      z.object({ conversationId: z.string().min(1).max(100), shortCode: z.string().regex(/^[a-z0-9_-]{1,32}$/) }),
    ),
    responses: ok(z.object({ text: z.string(), missing: z.array(z.string()) })),
  }),
  auditLog: createRoute({
    method: "get",
    path: "/audit",
    tags: ["settings"],
    summary: "Audit log (newest first)",
    security: bearer,
    middleware: [requireRole(...ADMIN)] as const,
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    responses: ok(z.object({ items: z.array(AuditEntrySchema) })),
  }),
};

export const adminApp = newApp()
  .openapi(r.listOperators, async (c) => {
    const rows = await c.var.tdb.select(schema.operators);
    return c.json({ items: rows.map(toProfile) }, 200);
  })
  .openapi(r.createOperator, async (c) => {
    const b = c.req.valid("json");
    const id = newId("op");
    try {
      await c.var.tdb.insert(schema.operators, {
        id,
        email: b.email.toLowerCase(),
        name: b.name,
        handle: b.handle,
        role: b.role,
        passwordHash: await hashPassword(b.password),
        skills: b.skills,
        languages: b.languages,
        maxConcurrent: b.maxConcurrent,
      });
    } catch {
      throw conflict("An operator with this email or handle already exists");
    }
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "operator.create",
      targetType: "operator",
      targetId: id,
      detail: { role: b.role },
    });
    const row = await c.var.tdb.first(schema.operators, eq(schema.operators.id, id));
    if (!row) throw notFound("Operator");
    return c.json(toProfile(row), 201);
  })
  .openapi(r.patchOperator, async (c) => {
    const { id } = c.req.valid("param");
    const b = c.req.valid("json");
    const row = await c.var.tdb.first(schema.operators, eq(schema.operators.id, id));
    if (!row) throw notFound("Operator");
    if (row.role === "owner" && (b.role !== undefined || b.disabled === true))
      throw forbidden("The workspace owner cannot be disabled or demoted");
    await c.var.tdb.update(schema.operators, b, eq(schema.operators.id, id));
    forgetOperatorState(id);
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "operator.update",
      targetType: "operator",
      targetId: id,
      detail: { fields: Object.keys(b) },
    });
    const updated = await c.var.tdb.first(schema.operators, eq(schema.operators.id, id));
    if (!updated) throw notFound("Operator");
    return c.json(toProfile(updated), 200);
  })
  .openapi(r.listTeams, async (c) => {
    const [teams, members] = await Promise.all([c.var.tdb.select(schema.teams), c.var.tdb.select(schema.teamMembers)]);
    return c.json(
      {
        items: teams.map((t) => ({
          id: t.id,
          name: t.name,
          memberIds: members.filter((m) => m.teamId === t.id).map((m) => m.operatorId),
        })),
      },
      200,
    );
  })
  .openapi(r.createTeam, async (c) => {
    const b = c.req.valid("json");
    const ops = await c.var.tdb.select(schema.operators);
    const known = new Set(ops.map((o) => o.id));
    const unknown = b.memberIds.filter((m) => !known.has(m));
    if (unknown.length) throw badRequest("Unknown operators", { memberIds: unknown });
    const id = newId("team");
    try {
      await c.var.tdb.insert(schema.teams, { id, name: b.name });
    } catch {
      throw conflict("A team with this name exists");
    }
    if (b.memberIds.length)
      await c.var.tdb.insert(
        schema.teamMembers,
        b.memberIds.map((operatorId) => ({ teamId: id, operatorId })),
      );
    return c.json({ id, name: b.name, memberIds: b.memberIds }, 201);
  })
  .openapi(r.listInboxes, async (c) => {
    const rows = await c.var.tdb.select(schema.inboxes);
    return c.json(
      {
        items: await Promise.all(
          rows.map((row) => toInbox(row, c.var.config.decryptionKeys, publicOrigin(c.var.config, c.req.url))),
        ),
      },
      200,
    );
  })
  .openapi(r.createInbox, async (c) => {
    const b = c.req.valid("json");
    const id = newId("inbox");
    // An address another inbox (of any workspace) has verified cannot be claimed again.
    if (b.channel === "email" && (await verifiedHolder(c.env.DB, b.settings.address)) !== null)
      throw conflict("This address is already connected to another inbox");
    const secrets = "secrets" in b ? await encryptJson(b.secrets, c.var.config.encryptionKey) : null;
    await c.var.tdb.insert(schema.inboxes, {
      id,
      name: b.name,
      channel: b.channel,
      settings: b.settings,
      secretsEnc: secrets,
    });
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "inbox.create",
      targetType: "inbox",
      targetId: id,
      detail: { channel: b.channel },
    });
    if (b.channel === "email")
      await startClaim(c.env, c.var.config.jwtSecret, {
        workspaceId: c.var.tdb.workspaceId,
        inboxId: id,
        address: b.settings.address,
      });
    const row = await c.var.tdb.first(schema.inboxes, eq(schema.inboxes.id, id));
    if (!row) throw notFound("Inbox");
    return c.json(await toInbox(row, c.var.config.decryptionKeys, publicOrigin(c.var.config, c.req.url)), 201);
  })
  .openapi(r.patchInbox, async (c) => {
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    const row = await c.var.tdb.first(schema.inboxes, eq(schema.inboxes.id, id));
    if (!row) throw notFound("Inbox");
    if (patch.teamId && !(await c.var.tdb.first(schema.teams, eq(schema.teams.id, patch.teamId))))
      throw badRequest("No such team", [{ path: "teamId", message: "Unknown team" }]);
    const settings: Record<string, unknown> = { ...row.settings };
    for (const key of ["greeting", "hours", "csatEnabled", "teamId"] as const) {
      const v = patch[key];
      if (v === null) delete settings[key];
      else if (v !== undefined) settings[key] = v;
    }
    if (patch.enabled === true && !row.enabled && row.channel !== "widget")
      throw badRequest("A disconnected channel is connected again by creating it (its secrets were removed)");
    await c.var.tdb.update(
      schema.inboxes,
      {
        settings,
        ...(patch.name ? { name: patch.name } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      },
      eq(schema.inboxes.id, id),
    );
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "inbox.update",
      targetType: "inbox",
      targetId: id,
      detail: { fields: Object.keys(patch) },
    });
    const fresh = await c.var.tdb.first(schema.inboxes, eq(schema.inboxes.id, id));
    if (!fresh) throw notFound("Inbox");
    return c.json(await toInbox(fresh, c.var.config.decryptionKeys, publicOrigin(c.var.config, c.req.url)), 200);
  })
  .openapi(r.deleteInbox, async (c) => {
    const { id } = c.req.valid("param");
    const row = await c.var.tdb.first(schema.inboxes, eq(schema.inboxes.id, id));
    if (!row) throw notFound("Inbox");
    await c.var.tdb.update(schema.inboxes, { enabled: false, secretsEnc: null }, eq(schema.inboxes.id, id));
    await releaseClaim(c.env.DB, c.var.tdb.workspaceId, id);
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "inbox.disable",
      targetType: "inbox",
      targetId: id,
    });
    return c.json({ deleted: true }, 200);
  })
  .openapi(r.verifyEmailInbox, async (c) => {
    const { id } = c.req.valid("param");
    const { code } = c.req.valid("json");
    const row = await c.var.tdb.first(schema.inboxes, eq(schema.inboxes.id, id));
    if (!row || row.channel !== "email") throw notFound("Email inbox");
    const result = await confirmClaim(c.env.DB, c.var.config.jwtSecret, {
      workspaceId: c.var.tdb.workspaceId,
      inboxId: id,
      code,
    });
    if (result === "wrong_code") throw badRequest("Wrong code");
    if (result === "no_pending_claim")
      throw conflict("No code is waiting for this inbox (expired, used up or already verified): send a new one");
    if (result === "taken") throw conflict("This address is already connected to another inbox");
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "inbox.email_verified",
      targetType: "inbox",
      targetId: id,
    });
    return c.json({ verified: true as const }, 200);
  })
  .openapi(r.resendEmailCode, async (c) => {
    const { id } = c.req.valid("param");
    const row = await c.var.tdb.first(schema.inboxes, eq(schema.inboxes.id, id));
    const address = row?.settings.address;
    if (!row || row.channel !== "email" || typeof address !== "string") throw notFound("Email inbox");
    const holder = await verifiedHolder(c.env.DB, address);
    if (holder === id) throw conflict("This address is already verified");
    if (holder !== null) throw conflict("This address is already connected to another inbox");
    await startClaim(c.env, c.var.config.jwtSecret, { workspaceId: c.var.tdb.workspaceId, inboxId: id, address });
    return c.json({ sent: true as const }, 200);
  })
  .openapi(r.inboxIntake, async (c) => {
    const { id } = c.req.valid("param");
    const row = await c.var.tdb.first(schema.inboxes, eq(schema.inboxes.id, id));
    // Widget messages go straight to their rooms; only channel inboxes have an intake journal.
    if (!row || row.channel === "widget") throw notFound("Inbox");
    return c.json(await (await intakeOf(c.env, c.var.auth.workspaceId, row.id)).backlog(), 200);
  })
  .openapi(r.getSettings, async (c) => {
    const ws = await c.var.tdb.workspace();
    if (!ws) throw notFound("Workspace");
    return c.json({ name: ws.name, widgetKey: ws.widgetKey, settings: readSettings(ws.settings) }, 200);
  })
  .openapi(r.putSettings, async (c) => {
    const settings = c.req.valid("json");
    const before = await c.var.tdb.db
      .select({ settings: schema.workspaces.settings })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.id, c.var.auth.workspaceId))
      .get();
    // Issue 20, residency: Durable Objects cannot move, so the location is fixed once it placed any.
    if (settings.dataLocation !== readSettings(before?.settings).dataLocation && (await locationIsFixed(c.var.tdb)))
      throw new ApiError(
        409,
        "data_location_locked",
        "The data location can only be changed while the workspace has no conversations and no knowledge documents",
      );
    await c.var.tdb.db
      .update(schema.workspaces)
      .set({ settings })
      .where(eq(schema.workspaces.id, c.var.auth.workspaceId));
    forgetWorkspaceLocation(c.var.auth.workspaceId);
    await audit(c.var.tdb, { actorType: "operator", actorId: c.var.auth.operatorId, action: "settings.update" });
    const ws = await c.var.tdb.workspace();
    if (!ws) throw notFound("Workspace");
    return c.json({ name: ws.name, widgetKey: ws.widgetKey, settings: readSettings(ws.settings) }, 200);
  })
  .openapi(r.listCategories, async (c) => {
    const rows = await c.var.tdb.select(schema.categories);
    const order = new Map<string, number>(CATEGORY_KEYS.map((k, i) => [k, i]));
    return c.json(
      { items: rows.sort((a, b) => (order.get(a.key) ?? 99) - (order.get(b.key) ?? 99)).map(toCategory) },
      200,
    );
  })
  .openapi(r.putCategory, async (c) => {
    const { key } = c.req.valid("param");
    const b = c.req.valid("json");
    const cat = schema.categories;
    const row = await c.var.tdb.first(cat, eq(cat.key, key));
    if (!row) throw notFound("Category");
    const version = row.version + 1;
    await c.var.tdb.update(
      cat,
      { ...b, version, updatedAt: Date.now(), updatedBy: c.var.auth.operatorId },
      eq(cat.id, row.id),
    );
    await c.var.tdb.insert(schema.categoryVersions, {
      id: newId("catv"),
      categoryKey: key,
      version,
      snapshot: { ...b },
      createdBy: c.var.auth.operatorId,
    });
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "category.update",
      targetType: "category",
      targetId: key,
      detail: { version },
    });
    const updated = await c.var.tdb.first(cat, eq(cat.id, row.id));
    if (!updated) throw notFound("Category");
    return c.json(toCategory(updated), 200);
  })
  .openapi(r.categoryVersions, async (c) => {
    const { key } = c.req.valid("param");
    const v = schema.categoryVersions;
    const rows = await c.var.tdb.select(v, eq(v.categoryKey, key), { orderBy: desc(v.version) });
    return c.json(
      {
        items: rows.map((x) => ({
          version: x.version,
          createdAt: x.createdAt,
          createdBy: x.createdBy,
          snapshot: x.snapshot,
        })),
      },
      200,
    );
  })
  .openapi(r.rollbackCategory, async (c) => {
    const { key } = c.req.valid("param");
    const { version } = c.req.valid("json");
    const v = schema.categoryVersions;
    const snap = await c.var.tdb.first(v, and(eq(v.categoryKey, key), eq(v.version, version)));
    if (!snap) throw notFound("Version");
    const parsed = CategoryIn.safeParse(snap.snapshot);
    if (!parsed.success) throw badRequest("That version cannot be restored");
    const cat = schema.categories;
    const row = await c.var.tdb.first(cat, eq(cat.key, key));
    if (!row) throw notFound("Category");
    const next = row.version + 1;
    await c.var.tdb.update(
      cat,
      { ...parsed.data, version: next, updatedAt: Date.now(), updatedBy: c.var.auth.operatorId },
      eq(cat.id, row.id),
    );
    await c.var.tdb.insert(v, {
      id: newId("catv"),
      categoryKey: key,
      version: next,
      snapshot: { ...parsed.data, restoredFrom: version },
      createdBy: c.var.auth.operatorId,
    });
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "category.rollback",
      targetType: "category",
      targetId: key,
      detail: { from: version, version: next },
    });
    const updated = await c.var.tdb.first(cat, eq(cat.id, row.id));
    if (!updated) throw notFound("Category");
    return c.json(toCategory(updated), 200);
  })
  .openapi(r.listCanned, async (c) => {
    const rows = await c.var.tdb.select(schema.cannedResponses);
    return c.json({ items: rows.map((x) => ({ id: x.id, shortCode: x.shortCode, content: x.content })) }, 200);
  })
  .openapi(r.createCanned, async (c) => {
    const b = c.req.valid("json");
    const id = newId("canned");
    try {
      await c.var.tdb.insert(schema.cannedResponses, { id, ...b });
    } catch {
      throw conflict("A canned response with this short code exists");
    }
    return c.json({ id, ...b }, 201);
  })
  .openapi(r.renderCanned, async (c) => {
    const { conversationId, shortCode } = c.req.valid("json");
    const canned = await c.var.tdb.first(schema.cannedResponses, eq(schema.cannedResponses.shortCode, shortCode));
    if (!canned) throw notFound("Canned response");
    const conv = await c.var.tdb.first(schema.conversations, eq(schema.conversations.id, conversationId));
    if (!conv) throw notFound("Conversation");
    const [contact, op] = await Promise.all([
      c.var.tdb.first(schema.contacts, eq(schema.contacts.id, conv.contactId)),
      c.var.tdb.first(schema.operators, eq(schema.operators.id, c.var.auth.operatorId)),
    ]);
    const sub = contact?.customerRef
      ? await c.var.tdb.first(schema.storeSubscriptions, eq(schema.storeSubscriptions.customerId, contact.customerRef))
      : undefined;
    const vars = {
      contact: {
        name: contact?.name?.split(" ")[0] ?? null,
        full_name: contact?.name ?? null,
        email: contact?.email ?? null,
      },
      operator: { name: op?.name.split(" ")[0] ?? null },
      subscription: sub
        ? { next_box: sub.nextBoxDate, plan: sub.plan, frequency: sub.frequency, status: sub.status }
        : {},
    };
    return c.json({ text: renderCanned(canned.content, vars), missing: missingVariables(canned.content, vars) }, 200);
  })
  .openapi(r.auditLog, async (c) => {
    const { limit } = c.req.valid("query");
    const a = schema.auditLog;
    const rows = await c.var.tdb.select(a, undefined, { orderBy: desc(a.createdAt), limit });
    return c.json(
      {
        items: rows.map((x) => ({
          id: x.id,
          actorType: x.actorType,
          actorId: x.actorId,
          action: x.action,
          targetType: x.targetType,
          targetId: x.targetId,
          detail: x.detail,
          createdAt: x.createdAt,
        })),
      },
      200,
    );
  });
