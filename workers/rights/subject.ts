/**
 * The data subject of an export or erasure: a contact, the contacts merged into it, and
 * everything keyed to them (identities, conversations, messages, attachment keys, inboxes)
 * plus the needles that find their copies in free text. Read through the caller's
 * TenantDb, so a contact of another workspace is simply not found.
 */
import { eq, inArray, or } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { subjectNeedles } from "./needles.ts";

export interface Subject {
  workspaceId: string;
  contactId: string;
  /** The contact and every contact merged into it. */
  contactIds: string[];
  identityIds: string[];
  conversationIds: string[];
  messageIds: string[];
  channelMessageIds: string[];
  inboxIds: string[];
  attachmentKeys: string[];
  needles: string[];
}

/** D1 binds at most 100 parameters: id lists go in slices. */
export function slices<T>(items: T[], size = 80): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs a query per slice of ids and concatenates the rows. */
export async function inSlices<R>(ids: string[], query: (part: string[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (const part of slices(ids)) out.push(...(await query(part)));
  return out;
}

export async function loadSubject(tdb: TenantDb, contactId: string): Promise<Subject | null> {
  const c = schema.contacts;
  const contact = await tdb.first(c, eq(c.id, contactId));
  if (!contact) return null;
  const merged = await tdb.select(c, eq(c.mergedIntoId, contactId));
  const contacts = [contact, ...merged];
  const contactIds = contacts.map((x) => x.id);
  const idt = schema.contactIdentities;
  const identities = await tdb.select(
    idt,
    or(inArray(idt.contactId, contactIds), inArray(idt.originalContactId, contactIds)),
  );
  const conversations = await inSlices(contactIds, (part) =>
    tdb.select(schema.conversations, inArray(schema.conversations.contactId, part)),
  );
  const conversationIds = conversations.map((x) => x.id);
  const messages = await inSlices(conversationIds, (part) =>
    tdb.select(schema.messages, inArray(schema.messages.conversationId, part)),
  );
  const claims = await tdb.select(schema.contactClaims, inArray(schema.contactClaims.contactId, contactIds));
  const attachmentKeys = new Set<string>();
  for (const m of messages)
    for (const a of m.attachments) if (typeof a.key === "string" && a.key.length > 0) attachmentKeys.add(a.key);
  const needles = subjectNeedles({
    emails: [
      ...contacts.map((x) => x.email),
      ...identities.map((x) => x.email),
      ...claims.filter((x) => x.field === "email").map((x) => x.value),
    ],
    phones: [
      ...contacts.map((x) => x.phone),
      ...identities.map((x) => x.phone),
      ...claims.filter((x) => x.field === "phone").map((x) => x.value),
    ],
    externalIds: identities.map((x) => x.externalId),
    texts: messages.filter((m) => m.senderType === "contact").map((m) => m.content),
  });
  return {
    workspaceId: tdb.workspaceId,
    contactId,
    contactIds,
    identityIds: identities.map((x) => x.id),
    conversationIds,
    messageIds: messages.map((m) => m.id),
    channelMessageIds: messages.flatMap((m) => (m.channelMessageId ? [m.channelMessageId] : [])),
    inboxIds: [...new Set([...identities.map((x) => x.inboxId), ...conversations.map((x) => x.inboxId)])],
    attachmentKeys: [...attachmentKeys],
    needles,
  };
}
