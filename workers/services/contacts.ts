/**
 * Contact identity resolution across channels (seed 003 §2): an identity (channel +
 * inbox + external id) belongs to one contact; a new identity links to an existing
 * contact by phone first, then by email; operators can merge and unmerge by hand.
 * Merging moves identities and conversations but remembers where each came from.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { TenantDb } from "../db/client.ts";
import { schema } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import { audit } from "./audit.ts";

export interface IdentityInput {
  channel: "widget" | "telegram" | "whatsapp" | "messenger" | "email";
  inboxId: string;
  externalId: string;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  language?: string | null;
  verified?: boolean;
}

export interface ResolvedContact {
  contactId: string;
  identityId: string;
  created: boolean;
  linkedBy: "identity" | "phone" | "email" | "new";
}

/** Emails are compared lower-cased and trimmed; empty is none. */
const normalEmail = (email: string | null | undefined): string | null => email?.trim().toLowerCase() || null;

/** Follows merge pointers to the surviving contact. */
export async function canonicalContactId(tdb: TenantDb, contactId: string): Promise<string> {
  let current = contactId;
  for (let i = 0; i < 10; i++) {
    const row = await tdb.first(schema.contacts, eq(schema.contacts.id, current));
    if (!row?.mergedIntoId) return current;
    current = row.mergedIntoId;
  }
  return current;
}

async function findByPhoneOrEmail(
  tdb: TenantDb,
  phone: string | null,
  email: string | null,
): Promise<{ id: string; by: "phone" | "email" } | null> {
  const c = schema.contacts;
  if (phone) {
    const byPhone = await tdb.first(c, and(eq(c.phone, phone), isNull(c.mergedIntoId)));
    if (byPhone) return { id: byPhone.id, by: "phone" };
    const ident = await tdb.first(schema.contactIdentities, eq(schema.contactIdentities.phone, phone));
    if (ident) return { id: await canonicalContactId(tdb, ident.contactId), by: "phone" };
  }
  if (email) {
    const byEmail = await tdb.first(c, and(eq(c.email, email), isNull(c.mergedIntoId)));
    if (byEmail) return { id: byEmail.id, by: "email" };
  }
  return null;
}

/**
 * The contact of an identity: the one it already belongs to, a live contact with the same
 * phone or email, or a new one (with `newContactId` when the caller reserved an id, as the
 * widget does in its visitor token before the first message).
 */
export async function resolveContact(
  tdb: TenantDb,
  input: IdentityInput,
  newContactId?: string,
): Promise<ResolvedContact> {
  const ci = schema.contactIdentities;
  const email = normalEmail(input.email);
  const phone = input.phone ?? null;
  const existing = await tdb.first(ci, and(eq(ci.inboxId, input.inboxId), eq(ci.externalId, input.externalId)));
  if (existing) {
    const contactId = await canonicalContactId(tdb, existing.contactId);
    // A phone or email learnt later (e.g. Telegram contact shared) may link to another contact.
    if ((phone && !existing.phone) || (email && !existing.email)) {
      await tdb.update(ci, { phone: existing.phone ?? phone, email: existing.email ?? email }, eq(ci.id, existing.id));
      await fillContactFields(tdb, contactId, { phone, email, name: input.name ?? null });
    }
    return { contactId, identityId: existing.id, created: false, linkedBy: "identity" };
  }
  const match = await findByPhoneOrEmail(tdb, phone, email);
  let contactId: string;
  let created = false;
  if (match) {
    contactId = match.id;
    await fillContactFields(tdb, contactId, { phone, email, name: input.name ?? null });
  } else if (newContactId && (await tdb.first(schema.contacts, eq(schema.contacts.id, newContactId)))) {
    contactId = newContactId;
  } else {
    contactId = newContactId ?? newId("ct");
    created = true;
    await tdb.insert(schema.contacts, newContactRow(input, contactId));
  }
  const identityId = newId("cid");
  try {
    await tdb.insert(ci, newIdentityRow(input, contactId, identityId));
  } catch (err) {
    // A concurrent request created the same identity: use theirs.
    const again = await tdb.first(ci, and(eq(ci.inboxId, input.inboxId), eq(ci.externalId, input.externalId)));
    if (!again) throw err;
    return {
      contactId: await canonicalContactId(tdb, again.contactId),
      identityId: again.id,
      created: false,
      linkedBy: "identity",
    };
  }
  return { contactId, identityId, created, linkedBy: match ? match.by : "new" };
}

/**
 * The rows of a person seen for the first time: a contact, and the identity they wrote
 * from (email lower-cased in both). `resolveContact` writes them one by one; a caller that
 * already knows the identity is new and links to no one may write them in one batch.
 */
export function newContactRow(input: IdentityInput, contactId: string) {
  return {
    id: contactId,
    name: input.name ?? null,
    email: normalEmail(input.email),
    phone: input.phone ?? null,
    language: input.language ?? null,
  };
}

export function newIdentityRow(input: IdentityInput, contactId: string, identityId: string) {
  return {
    id: identityId,
    contactId,
    originalContactId: contactId,
    channel: input.channel,
    inboxId: input.inboxId,
    externalId: input.externalId,
    phone: input.phone ?? null,
    email: normalEmail(input.email),
    verified: input.verified ?? false,
  };
}

async function fillContactFields(
  tdb: TenantDb,
  contactId: string,
  f: { phone: string | null; email: string | null; name: string | null },
) {
  const row = await tdb.first(schema.contacts, eq(schema.contacts.id, contactId));
  if (!row) return;
  const patch: { phone?: string; email?: string; name?: string; updatedAt: number } = { updatedAt: Date.now() };
  if (!row.phone && f.phone) patch.phone = f.phone;
  if (!row.email && f.email) patch.email = f.email;
  if (!row.name && f.name) patch.name = f.name;
  await tdb.update(schema.contacts, patch, eq(schema.contacts.id, contactId));
}

/** Another live contact with this phone (preferred) or email, to link `contactId` to. */
export async function findLinkTarget(
  tdb: TenantDb,
  contactId: string,
  phone: string | null,
  email: string | null,
): Promise<string | null> {
  const c = schema.contacts;
  for (const cond of [phone ? eq(c.phone, phone) : null, email ? eq(c.email, email.toLowerCase()) : null]) {
    if (!cond) continue;
    const rows = await tdb.select(c, and(cond, isNull(c.mergedIntoId)), { limit: 5 });
    const other = rows.find((r) => r.id !== contactId);
    if (other) return other.id;
  }
  return null;
}

/** Merge `sourceId` into `targetId`: identities and conversations move; reversible with unmerge. */
export async function mergeContacts(tdb: TenantDb, targetId: string, sourceId: string, actorId: string): Promise<void> {
  await tdb.update(schema.contactIdentities, { contactId: targetId }, eq(schema.contactIdentities.contactId, sourceId));
  await tdb.update(schema.conversations, { contactId: targetId }, eq(schema.conversations.contactId, sourceId));
  await tdb.update(
    schema.contacts,
    { mergedIntoId: targetId, updatedAt: Date.now() },
    eq(schema.contacts.id, sourceId),
  );
  await audit(tdb, {
    actorType: "operator",
    actorId,
    action: "contact.merge",
    targetType: "contact",
    targetId,
    detail: { sourceId },
  });
}

/** Undo a merge: identities that originally belonged to `sourceId` return with their conversations. */
export async function unmergeContact(tdb: TenantDb, sourceId: string, actorId: string): Promise<string | null> {
  const source = await tdb.first(schema.contacts, eq(schema.contacts.id, sourceId));
  if (!source?.mergedIntoId) return null;
  const targetId = source.mergedIntoId;
  const ids = await tdb.select(schema.contactIdentities, eq(schema.contactIdentities.originalContactId, sourceId));
  await tdb.update(
    schema.contactIdentities,
    { contactId: sourceId },
    eq(schema.contactIdentities.originalContactId, sourceId),
  );
  if (ids.length) {
    // Conversations started from the returning identities go back with them.
    await tdb.update(
      schema.conversations,
      { contactId: sourceId },
      inArray(
        schema.conversations.identityId,
        ids.map((i) => i.id),
      ),
    );
  }
  await tdb.update(schema.contacts, { mergedIntoId: null, updatedAt: Date.now() }, eq(schema.contacts.id, sourceId));
  await audit(tdb, {
    actorType: "operator",
    actorId,
    action: "contact.unmerge",
    targetType: "contact",
    targetId: sourceId,
    detail: { from: targetId },
  });
  return targetId;
}

export async function contactTimeline(tdb: TenantDb, contactId: string) {
  const convs = await tdb.select(schema.conversations, eq(schema.conversations.contactId, contactId));
  const ids = convs.map((c) => c.id);
  const msgs = ids.length ? await tdb.select(schema.messages, inArray(schema.messages.conversationId, ids)) : [];
  return {
    conversations: convs,
    messages: msgs.filter((m) => m.type !== "note").sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq),
  };
}
