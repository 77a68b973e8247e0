/**
 * Data rights (issue 20): erasure and export of a contact, the customer's self-service
 * export link, retention policies with a dry run. Admin only (except the signed link,
 * which is its own credential): these routes read or destroy everything about a customer.
 */
import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { publicOrigin } from "../lib/config.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { eraseContact } from "../rights/erase.ts";
import { exportContact } from "../rights/export.ts";
import { planCounts, planRetention, readPolicy } from "../rights/retention.ts";
import { EXPORT_LINK_VALID_MS, signExportLink, verifyExportLink } from "../rights/export-link.ts";
import { sendExportLinkEmail } from "../rights/export-mail.ts";
import { audit } from "../services/audit.ts";
import { addDataKey, keyVersions } from "../services/data-keys.ts";
import { countByVersion, rekeyJob, startRekey } from "../rights/rekey.ts";
import { ADMIN, requireRole } from "./middleware.ts";
import { bearer, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const ErasureReceiptSchema = z
  .object({
    receipt: z.object({
      contactId: z.string(),
      erasedAt: z.number().int(),
      stores: z.array(z.object({ name: z.string(), removed: z.number().int().nonnegative() })),
    }),
  })
  .openapi("ErasureReceipt");

const ArchiveSchema = z
  .record(z.string(), z.unknown())
  .openapi("ContactArchive", { description: "Format omnisupport.contact-export.v1; attachments as signed links" });

const eraseRoute = createRoute({
  method: "post",
  path: "/contacts/{id}/erase",
  tags: ["contacts", "data rights"],
  summary: "Erase a contact everywhere (D1, rooms, attachments, journals, index, copies) and get a receipt",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(ErasureReceiptSchema),
});

const exportRoute = createRoute({
  method: "get",
  path: "/contacts/{id}/export",
  tags: ["contacts", "data rights"],
  summary: "Everything stored about a contact as one JSON archive",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(ArchiveSchema),
});

const exportLinkRoute = createRoute({
  method: "post",
  path: "/contacts/{id}/export-link",
  tags: ["contacts", "data rights"],
  summary: "Mail the customer a signed link to their own export (to the email on file only)",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(z.object({ sentTo: z.string(), expiresAt: z.number().int() })),
});

const selfServiceRoute = createRoute({
  method: "get",
  path: "/rights/export/{token}",
  tags: ["data rights"],
  summary: "The customer's own export, through the signed link mailed to them",
  request: { params: z.object({ token: z.string().min(10).max(1200) }) },
  responses: {
    ...ok(ArchiveSchema),
    404: { description: "Unknown, forged or expired link" },
  },
});

const Days = z.number().int().min(1).max(3650).nullable();
const PolicySchema = z
  .object({ conversationDays: Days, attachmentDays: Days, traceDays: Days })
  .strict()
  .openapi("RetentionPolicy", { description: "Days to keep; null keeps forever" });
const PolicyView = PolicySchema.extend({
  lastRunAt: z.number().int().nullable(),
  lastResult: z.record(z.string(), z.number()).nullable(),
});
const CountsSchema = z.object({
  counts: z.object({
    conversations: z.number().int(),
    messages: z.number().int(),
    attachments: z.number().int(),
    traces: z.number().int(),
  }),
});

const getPolicyRoute = createRoute({
  method: "get",
  path: "/settings/retention",
  tags: ["settings", "data rights"],
  summary: "The workspace's retention policy",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  responses: ok(PolicyView),
});
const putPolicyRoute = createRoute({
  method: "put",
  path: "/settings/retention",
  tags: ["settings", "data rights"],
  summary: "Set the retention policy (the scheduled handler applies it hourly)",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { ...jsonBody(PolicySchema) },
  responses: ok(PolicyView),
});
const dryRunRoute = createRoute({
  method: "post",
  path: "/settings/retention/dry-run",
  tags: ["settings", "data rights"],
  summary: "What the policy (saved, or the one in the body) would delete now, counted, nothing deleted",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { body: { content: { "application/json": { schema: PolicySchema } }, required: false } },
  responses: ok(CountsSchema),
});

const rotateRoute = createRoute({
  method: "post",
  path: "/settings/encryption/rotate",
  tags: ["settings", "data rights"],
  summary:
    "Add a new version of the workspace's data key: new objects use it at once; a background job re-seals older objects with it, then retires the old versions",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  responses: ok(z.object({ version: z.number().int().positive() }).openapi("DataKeyVersion")),
});

const KeyVersionSchema = z
  .object({
    version: z.number().int().positive(),
    createdAt: z.number().int(),
    state: z.enum(["active", "draining", "retired"]),
    retiredAt: z.number().int().nullable(),
    objects: z.number().int().nonnegative(),
  })
  .openapi("DataKeyVersionState");
const EncryptionView = z
  .object({
    activeVersion: z.number().int().positive().nullable(),
    versions: z.array(KeyVersionSchema),
    /** Objects stored before sealing (the next re-encryption pass seals them). */
    unsealedObjects: z.number().int().nonnegative(),
    /** False when the workspace has more objects than one count lists; the counts are then lower bounds. */
    countComplete: z.boolean(),
    reencryption: z
      .object({
        state: z.enum(["running", "done"]),
        targetVersion: z.number().int().positive(),
        rotatedAt: z.number().int(),
        resealed: z.number().int().nonnegative(),
        unreadable: z.number().int().nonnegative(),
        finishedAt: z.number().int().nullable(),
      })
      .nullable(),
  })
  .openapi("EncryptionState", { description: "Key versions and where objects stand; never key material" });

const encryptionRoute = createRoute({
  method: "get",
  path: "/settings/encryption",
  tags: ["settings", "data rights"],
  summary:
    "The workspace's data key versions (active, draining, retired), objects still on each, re-encryption progress",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  responses: ok(EncryptionView),
});

const download = (id: string) => ({ "content-disposition": `attachment; filename="contact-${id}.json"` });

/** Public: the signed link is the credential. Mounted before the auth middleware. */
export const rightsPublicApp = newApp().openapi(selfServiceRoute, async (c) => {
  const grant = await verifyExportLink(c.var.config.jwtSecret, c.req.valid("param").token, Date.now());
  if (!grant) throw notFound("Export link");
  const tdb = new TenantDb(rawDb(c.env.DB), grant.workspaceId);
  const archive = await exportContact(c.env, tdb, grant.contactId, c.var.config.jwtSecret);
  if (!archive) throw notFound("Export link");
  await audit(tdb, {
    actorType: "contact",
    actorId: grant.contactId,
    action: "contact.export.self_service",
    targetType: "contact",
    targetId: grant.contactId,
  });
  return c.json(archive, 200, download(grant.contactId));
});

export const rightsApp = newApp()
  .openapi(eraseRoute, async (c) => {
    const { id } = c.req.valid("param");
    const receipt = await eraseContact(c.env, c.var.tdb, id, c.var.auth.operatorId);
    if (!receipt) throw notFound("Contact");
    return c.json({ receipt }, 200);
  })
  .openapi(exportRoute, async (c) => {
    const { id } = c.req.valid("param");
    const archive = await exportContact(c.env, c.var.tdb, id, c.var.config.jwtSecret);
    if (!archive) throw notFound("Contact");
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "contact.export",
      targetType: "contact",
      targetId: id,
    });
    return c.json(archive, 200, download(id));
  })
  .openapi(exportLinkRoute, async (c) => {
    const { id } = c.req.valid("param");
    const contact = await c.var.tdb.first(schema.contacts, eq(schema.contacts.id, id));
    if (!contact) throw notFound("Contact");
    if (!contact.email) throw badRequest("This contact has no email address to send the link to");
    const expiresAt = Date.now() + EXPORT_LINK_VALID_MS;
    const token = await signExportLink(c.var.config.jwtSecret, {
      workspaceId: c.var.auth.workspaceId,
      contactId: id,
      expiresAt,
    });
    const ws = await c.var.tdb.workspace();
    const url = `${publicOrigin(c.var.config, c.req.url)}/api/rights/export/${token}`;
    await sendExportLinkEmail(c.env, contact.email, url, ws?.name ?? "Support");
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "contact.export_link",
      targetType: "contact",
      targetId: id,
    });
    return c.json({ sentTo: contact.email, expiresAt }, 200);
  })
  .openapi(getPolicyRoute, async (c) => c.json(await readPolicy(c.var.tdb), 200))
  .openapi(putPolicyRoute, async (c) => {
    const body = c.req.valid("json");
    const t = schema.retentionPolicies;
    const existing = await c.var.tdb.first(t);
    const values = { ...body, updatedBy: c.var.auth.operatorId, updatedAt: Date.now() };
    if (existing) await c.var.tdb.update(t, values, eq(t.workspaceId, c.var.auth.workspaceId));
    else await c.var.tdb.insert(t, values);
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "retention.update",
      targetType: "workspace",
      targetId: c.var.auth.workspaceId,
      detail: body,
    });
    return c.json(await readPolicy(c.var.tdb), 200);
  })
  .openapi(rotateRoute, async (c) => {
    const version = await addDataKey(c.env, c.var.auth.workspaceId, c.var.auth.operatorId);
    await startRekey(c.env, c.var.auth.workspaceId, version, Date.now());
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "encryption.rotate",
      targetType: "workspace",
      targetId: c.var.auth.workspaceId,
      detail: { version },
    });
    // The version only: the key itself never leaves the database, and there only wrapped.
    return c.json({ version }, 200);
  })
  .openapi(encryptionRoute, async (c) => {
    const ws = c.var.auth.workspaceId;
    const [versions, counts, job] = await Promise.all([
      keyVersions(c.env, ws),
      countByVersion(c.env, ws),
      rekeyJob(c.env, ws),
    ]);
    const live = versions.filter((v) => v.retiredAt === null);
    const active = live.length ? Math.max(...live.map((v) => v.version)) : null;
    return c.json(
      {
        activeVersion: active,
        versions: versions.map((v) => ({
          version: v.version,
          createdAt: v.createdAt,
          state:
            v.retiredAt !== null
              ? ("retired" as const)
              : v.version === active
                ? ("active" as const)
                : ("draining" as const),
          retiredAt: v.retiredAt,
          objects: counts.byVersion.get(v.version) ?? 0,
        })),
        unsealedObjects: counts.byVersion.get(0) ?? 0,
        countComplete: counts.complete,
        reencryption: job
          ? {
              state: job.finishedAt === null ? ("running" as const) : ("done" as const),
              targetVersion: job.targetVersion,
              rotatedAt: job.rotatedAt,
              resealed: job.resealed,
              unreadable: job.unreadable,
              finishedAt: job.finishedAt,
            }
          : null,
      },
      200,
    );
  })
  .openapi(dryRunRoute, async (c) => {
    const given = c.req.header("content-type")?.includes("application/json") ? c.req.valid("json") : undefined;
    const policy = given ?? (await readPolicy(c.var.tdb));
    const plan = await planRetention(c.env, c.var.tdb, policy, Date.now());
    return c.json({ counts: planCounts(plan) }, 200);
  });
