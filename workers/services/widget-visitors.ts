/**
 * Widget visitors and their conversations, created at the first message instead of at
 * session start (issue 21, item 9: 1,000 anonymous sessions used to leave 1,000 contacts
 * and 1,000 empty open conversations in operators' inboxes).
 *
 * The session route only reads (`findVisitorThread`): it hands out the ids of an existing
 * conversation, or reserves fresh ones in the signed visitor token. The ConversationRoom
 * calls `startVisitorConversation` when that visitor first writes; the rows then get
 * exactly the reserved ids, so the socket, the upload keys and the offline outbox (all
 * keyed by conversation id) carry over unchanged.
 */
import { and, desc, eq } from "drizzle-orm";
import type { TenantDb } from "../db/client.ts";
import { schema } from "../db/client.ts";
import { readInboxOverrides } from "../protocol/settings.ts";
import { canonicalContactId, resolveContact } from "./contacts.ts";
import { newId } from "../lib/ids.ts";

/** The widget thread of a visitor: by verified email when the host vouched for one, else by visitor id. */
export function visitorThreadKey(visitorId: string, verifiedEmail: string | null): string {
  return verifiedEmail ? `email:${verifiedEmail}` : visitorId;
}

/** What already exists for this visitor, without writing anything. */
export async function findVisitorThread(
  tdb: TenantDb,
  inboxId: string,
  threadKey: string,
): Promise<{
  contactId: string | null;
  conversation: { id: string; contactId: string } | null;
  /** How many conversations the thread has had (the generation of the next one). */
  generation: number;
}> {
  const ci = schema.contactIdentities;
  const c = schema.conversations;
  const all = await tdb.select(c, and(eq(c.inboxId, inboxId), eq(c.threadKey, threadKey)), {
    orderBy: desc(c.createdAt),
    limit: 1000,
  });
  const conv = all[0];
  const generation = all.length;
  // A resolved conversation is not resumed by a new session: a fresh question starts a new
  // one (the same session still reopens its own, by the id in its token).
  if (conv && conv.status !== "resolved")
    return { contactId: conv.contactId, conversation: { id: conv.id, contactId: conv.contactId }, generation };
  if (conv) return { contactId: await canonicalContactId(tdb, conv.contactId), conversation: null, generation };
  const identity = await tdb.first(ci, and(eq(ci.inboxId, inboxId), eq(ci.externalId, threadKey)));
  return {
    contactId: identity ? await canonicalContactId(tdb, identity.contactId) : null,
    conversation: null,
    generation,
  };
}

export interface VisitorStart {
  conversationId: string;
  /** The contact id reserved in the token; used when the visitor has no contact yet. */
  contactId: string;
  visitorId: string;
  verifiedEmail: string | null;
  name: string | null;
  language: string | null;
  /** The consent given at the session (text version, time, language), stored with the contact. */
  consent?: { v: string; at: number; lang: string } | null;
}

/**
 * Creates the contact (unless the visitor's identity already has one) and the
 * conversation with the reserved id. Idempotent: a second call finds the rows.
 * Returns the conversation's contact id (the reserved one, or the existing contact's).
 */
export async function startVisitorConversation(tdb: TenantDb, v: VisitorStart): Promise<string | null> {
  const c = schema.conversations;
  const existing = await tdb.first(c, eq(c.id, v.conversationId));
  if (existing) return existing.contactId;
  const inbox = await tdb.first(schema.inboxes, eq(schema.inboxes.channel, "widget"));
  if (!inbox) return null;
  const threadKey = visitorThreadKey(v.visitorId, v.verifiedEmail);
  const contact = await resolveContact(
    tdb,
    {
      channel: "widget",
      inboxId: inbox.id,
      externalId: threadKey,
      email: v.verifiedEmail,
      name: v.name,
      language: v.language,
      verified: Boolean(v.verifiedEmail),
    },
    v.contactId,
  );
  try {
    await tdb.insert(c, {
      // The inbox may route its new conversations to a team (issue 19, editable inboxes).
      teamId: readInboxOverrides(inbox.settings).teamId ?? null,
      id: v.conversationId,
      inboxId: inbox.id,
      contactId: contact.contactId,
      identityId: contact.identityId,
      channel: "widget",
      threadKey,
      language: v.language,
    });
  } catch (err) {
    // Two first messages at once (two tabs): the other one created it.
    const again = await tdb.first(c, eq(c.id, v.conversationId));
    if (!again) throw err;
    return again.contactId;
  }
  if (v.consent)
    await tdb.insert(schema.contactConsents, {
      id: newId("cns"),
      contactId: contact.contactId,
      channel: "widget",
      textVersion: v.consent.v,
      language: v.consent.lang,
      granted: true,
      createdAt: v.consent.at,
    });
  return contact.contactId;
}
