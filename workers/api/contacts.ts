/** /api/contacts: profiles, linked identities, cross-channel timeline, merge and unmerge. */
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, isNull, lt, or, type SQL } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { badRequest, conflict, notFound } from "../lib/errors.ts";
import { contactTimeline, mergeContacts, unmergeContact } from "../services/contacts.ts";
import { claimsOf, decideClaim, type ClaimRow } from "../services/contact-claims.ts";
import { roomOf } from "../services/data-location.ts";
import { audit } from "../services/audit.ts";
import { toConversation, toMessage } from "./conversations.ts";
import { READERS, requireRole, STAFF } from "./middleware.ts";
import { bearer, CursorQuery, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";
import { decodeCursor, encodeCursor } from "./pagination.ts";
import { AccountSchema, ContactClaimSchema, ContactDetailSchema, ContactSchema, ListOf } from "./schemas.ts";
import { commerceFor } from "../commerce/connector.ts";
import { contactMatch, ensureSearchIndex } from "../services/search.ts";

type ContactRow = typeof schema.contacts.$inferSelect;
export function toContact(r: ContactRow): z.infer<typeof ContactSchema> {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    language: r.language,
    tags: r.tags,
    mergedIntoId: r.mergedIntoId,
    customerRef: r.customerRef,
    createdAt: r.createdAt,
  };
}

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["contacts"],
  summary: "List or search contacts",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: {
    query: CursorQuery.extend({
      q: z
        .string()
        .max(200)
        .optional()
        .openapi({ description: "Full text: name, email, phone and message text (3+ characters per word)" }),
    }),
  },
  responses: ok(ListOf(ContactSchema)),
});
const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["contacts"],
  summary: "A contact with identities and cross-channel timeline",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { params: IdParam },
  responses: ok(ContactDetailSchema),
});
const claimRoute = createRoute({
  method: "post",
  path: "/{id}/claims/{claimId}/{decision}",
  tags: ["contacts"],
  summary: "Confirm (merge into the possible match) or dismiss an unverified email/phone the customer typed",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: {
    params: IdParam.extend({ claimId: z.string().min(1).max(100), decision: z.enum(["confirm", "dismiss"]) }),
  },
  responses: ok(z.object({ claim: ContactClaimSchema, mergedInto: z.string().nullable() })),
});

function toClaim(r: ClaimRow): z.infer<typeof ContactClaimSchema> {
  return {
    id: r.id,
    contactId: r.contactId,
    conversationId: r.conversationId,
    field: r.field,
    value: r.value,
    candidateContactId: r.candidateContactId,
    status: r.status,
    createdAt: r.createdAt,
  };
}
const patchRoute = createRoute({
  method: "patch",
  path: "/{id}",
  tags: ["contacts"],
  summary: "Update name, email, phone or tags",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: {
    params: IdParam,
    ...jsonBody(
      z
        .object({
          name: z.string().min(1).max(120).optional(),
          email: z.email().max(254).optional(),
          phone: z
            .string()
            .regex(/^\+[1-9]\d{6,14}$/, "E.164, e.g. +972501234567")
            .optional(),
          tags: z.array(z.string().min(1).max(40)).max(30).optional(),
        })
        .strict(),
    ),
  },
  responses: ok(ContactSchema),
});
const mergeRoute = createRoute({
  method: "post",
  path: "/{id}/merge",
  tags: ["contacts"],
  summary: "Merge another contact into this one",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: { params: IdParam, ...jsonBody(z.object({ sourceContactId: z.string().min(1).max(100) })) },
  responses: ok(ContactSchema),
});
const unmergeRoute = createRoute({
  method: "post",
  path: "/{id}/unmerge",
  tags: ["contacts"],
  summary: "Undo the merge of this contact into another",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: { params: IdParam },
  responses: ok(ContactSchema),
});

export const contactsApp = newApp()
  .openapi(listRoute, async (c) => {
    const { q, cursor, limit } = c.req.valid("query");
    const t = schema.contacts;
    const conds: SQL[] = [isNull(t.mergedIntoId)];
    if (q?.trim()) {
      const match = contactMatch(c.var.auth.workspaceId, q, { id: t.id });
      await ensureSearchIndex(c.env.DB);
      conds.push(match);
    }
    const cur = decodeCursor(cursor);
    if (cur) {
      const m = or(lt(t.createdAt, cur.sortValue), and(eq(t.createdAt, cur.sortValue), lt(t.id, cur.id)));
      if (m) conds.push(m);
    }
    const rows = await c.var.tdb.select(t, and(...conds), {
      orderBy: [desc(t.createdAt), desc(t.id)],
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json(
      {
        items: page.map(toContact),
        nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
      },
      200,
    );
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const contact = await c.var.tdb.first(schema.contacts, eq(schema.contacts.id, id));
    if (!contact) throw notFound("Contact");
    const identities = await c.var.tdb.select(schema.contactIdentities, eq(schema.contactIdentities.contactId, id));
    const { conversations, messages } = await contactTimeline(c.var.tdb, id);
    // Account data only for customers identified to the shop (verified email or host HMAC).
    let account: z.infer<typeof AccountSchema> | null = null;
    if (contact.customerRef) {
      try {
        account = AccountSchema.parse(await commerceFor(c.env, c.var.auth.workspaceId).getAccount(contact.customerRef));
      } catch (err) {
        console.error("account lookup failed", err instanceof Error ? err.message : "unknown");
      }
    }
    return c.json(
      {
        account,
        contact: toContact(contact),
        identities: identities.map((i) => ({
          id: i.id,
          contactId: i.contactId,
          originalContactId: i.originalContactId,
          channel: i.channel,
          inboxId: i.inboxId,
          externalId: i.externalId,
          phone: i.phone,
          email: i.email,
          verified: i.verified,
        })),
        conversations: conversations.map((r) => toConversation(r)),
        timeline: messages.map(toMessage),
        claims: (await claimsOf(c.var.tdb, id)).map(toClaim),
      },
      200,
    );
  })
  .openapi(patchRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const existing = await c.var.tdb.first(schema.contacts, eq(schema.contacts.id, id));
    if (!existing) throw notFound("Contact");
    await c.var.tdb.update(schema.contacts, { ...body, updatedAt: Date.now() }, eq(schema.contacts.id, id));
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "contact.update",
      targetType: "contact",
      targetId: id,
      detail: { fields: Object.keys(body) },
    });
    const row = await c.var.tdb.first(schema.contacts, eq(schema.contacts.id, id));
    if (!row) throw notFound("Contact");
    return c.json(toContact(row), 200);
  })
  .openapi(mergeRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { sourceContactId } = c.req.valid("json");
    if (sourceContactId === id) throw badRequest("A contact cannot be merged into itself");
    const [target, source] = await Promise.all([
      c.var.tdb.first(schema.contacts, eq(schema.contacts.id, id)),
      c.var.tdb.first(schema.contacts, eq(schema.contacts.id, sourceContactId)),
    ]);
    if (!target || !source) throw notFound("Contact");
    if (target.mergedIntoId || source.mergedIntoId) throw badRequest("One of these contacts is already merged");
    await mergeContacts(c.var.tdb, id, sourceContactId, c.var.auth.operatorId);
    return c.json(toContact(target), 200);
  })
  .openapi(unmergeRoute, async (c) => {
    const { id } = c.req.valid("param");
    const from = await unmergeContact(c.var.tdb, id, c.var.auth.operatorId);
    if (!from) throw badRequest("This contact is not merged");
    const row = await c.var.tdb.first(schema.contacts, eq(schema.contacts.id, id));
    if (!row) throw notFound("Contact");
    return c.json(toContact(row), 200);
  })
  .openapi(claimRoute, async (c) => {
    const { id, claimId, decision } = c.req.valid("param");
    const res = await decideClaim(c.var.tdb, id, claimId, decision, c.var.auth.operatorId);
    if (!res.ok) {
      if (res.code === "not_found") throw notFound("Claim");
      throw conflict("This claim was already decided");
    }
    // The conversation's room keeps its own copy of the contact: point it at the survivor.
    if (res.mergedInto && res.claim.conversationId)
      await (await roomOf(c.env, c.var.auth.workspaceId, res.claim.conversationId)).contactMerged(id, res.mergedInto);
    return c.json({ claim: toClaim(res.claim), mergedInto: res.mergedInto }, 200);
  });
