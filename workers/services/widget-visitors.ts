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
import { canonicalContactId, newContactRow, newIdentityRow, resolveContact, type IdentityInput } from "./contacts.ts";
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

type ConversationRow = typeof schema.conversations.$inferSelect;
type ContactRow = typeof schema.contacts.$inferSelect;
type WorkspaceRow = typeof schema.workspaces.$inferSelect;

/**
 * What creating a visitor's rows needs to know, read without writing anything: the
 * ConversationRoom reads it when the visitor's socket connects, so that their first
 * message (timed by the customer) waits for one batch of writes and no reads.
 */
export interface VisitorPlan {
  /** Whose plan: the reservation it was read for (see `planKey`). */
  key: string;
  readAt: number;
  existing: ConversationRow | undefined;
  inbox: typeof schema.inboxes.$inferSelect | undefined;
  workspace: WorkspaceRow | undefined;
  /** An anonymous visitor with no identity yet and the reserved contact id unused: nothing to link to. */
  fresh: boolean;
}

/** A plan older than this is read again: the inbox's routing and the workspace's SLA settings may have changed. */
export const VISITOR_PLAN_TTL_MS = 60_000;

type VisitorKey = Pick<VisitorStart, "conversationId" | "contactId" | "visitorId" | "verifiedEmail">;
export const planKey = (v: VisitorKey): string =>
  [v.conversationId, v.contactId, v.visitorId, v.verifiedEmail ?? ""].join("|");

export async function planVisitorStart(tdb: TenantDb, v: VisitorKey): Promise<VisitorPlan> {
  const c = schema.conversations;
  const [existing, inbox, workspace, taken] = await Promise.all([
    tdb.first(c, eq(c.id, v.conversationId)),
    tdb.first(schema.inboxes, eq(schema.inboxes.channel, "widget")),
    tdb.workspace(),
    tdb.first(schema.contacts, eq(schema.contacts.id, v.contactId)),
  ]);
  let fresh = false;
  if (!existing && inbox && !taken && !v.verifiedEmail) {
    const ci = schema.contactIdentities;
    const threadKey = visitorThreadKey(v.visitorId, null);
    fresh = !(await tdb.first(ci, and(eq(ci.inboxId, inbox.id), eq(ci.externalId, threadKey))));
  }
  return { key: planKey(v), readAt: Date.now(), existing, inbox, workspace, fresh };
}

export interface VisitorStarted {
  /** The conversation's contact: the reserved one, or an existing contact's. */
  contactId: string;
  /** The rows as this call wrote them in one batch, so the room can build its meta without reading them back. */
  written?: { conversation: ConversationRow; contact: ContactRow; workspace: WorkspaceRow | undefined };
}

/**
 * Creates the contact (unless the visitor's identity already has one) and the
 * conversation with the reserved id. Idempotent: a second call finds the rows.
 * Null when the workspace has no widget inbox.
 *
 * This runs inside the visitor's first message, before the AI's answer, so it keeps its
 * round trips few (issue 17: nine sequential statements were ~17 ms of the first answer).
 * The reads come from a plan (`planVisitorStart`, read at socket connect when the room
 * could; read here otherwise, or when the plan is stale), and an anonymous visitor seen
 * for the first time — the common case — gets all its rows in one batch, one
 * transaction. The batch's unique keys (conversation id, contact id, identity) make a
 * stale plan safe: if anything was written since, nothing of the batch lands and the
 * general way (`resolveContact`, one statement at a time) finds what exists. Returning
 * identities and verified emails, which may link to an existing contact, always go that way.
 */
export async function startVisitorConversation(
  tdb: TenantDb,
  v: VisitorStart,
  planned?: VisitorPlan | null,
): Promise<VisitorStarted | null> {
  const usable = planned && planned.key === planKey(v) && Date.now() - planned.readAt < VISITOR_PLAN_TTL_MS;
  const plan = usable ? planned : await planVisitorStart(tdb, v);
  if (plan.existing) return { contactId: plan.existing.contactId };
  const inbox = plan.inbox;
  if (!inbox) return null;
  const c = schema.conversations;
  const identity: IdentityInput = {
    channel: "widget",
    inboxId: inbox.id,
    externalId: visitorThreadKey(v.visitorId, v.verifiedEmail),
    email: v.verifiedEmail,
    name: v.name,
    language: v.language,
    verified: Boolean(v.verifiedEmail),
  };
  const conversation = (contactId: string, identityId: string) => ({
    // The inbox may route its new conversations to a team (issue 19, editable inboxes).
    teamId: readInboxOverrides(inbox.settings).teamId ?? null,
    id: v.conversationId,
    inboxId: inbox.id,
    contactId,
    identityId,
    channel: "widget" as const,
    threadKey: identity.externalId,
    language: v.language,
  });
  const consent = (contactId: string) =>
    v.consent
      ? {
          id: newId("cns"),
          contactId,
          channel: "widget" as const,
          textVersion: v.consent.v,
          language: v.consent.lang,
          granted: true,
          createdAt: v.consent.at,
        }
      : null;

  if (plan.fresh) {
    const identityId = newId("cid");
    const consentRow = consent(v.contactId);
    try {
      const [contacts, , conversations] = await tdb.db.batch([
        tdb.insertStatement(schema.contacts, newContactRow(identity, v.contactId)).returning(),
        tdb.insertStatement(schema.contactIdentities, newIdentityRow(identity, v.contactId, identityId)),
        tdb.insertStatement(c, conversation(v.contactId, identityId)).returning(),
        ...(consentRow ? [tdb.insertStatement(schema.contactConsents, consentRow)] : []),
      ]);
      const [contactRow] = contacts;
      const [conversationRow] = conversations;
      return contactRow && conversationRow
        ? {
            contactId: v.contactId,
            written: { conversation: conversationRow, contact: contactRow, workspace: plan.workspace },
          }
        : { contactId: v.contactId };
    } catch {
      // Something was written since the plan (a second tab): nothing of this batch landed.
    }
  }

  const contact = await resolveContact(tdb, identity, v.contactId);
  try {
    await tdb.insert(c, conversation(contact.contactId, contact.identityId));
  } catch (err) {
    // Two first messages at once (two tabs): the other one created it.
    const again = await tdb.first(c, eq(c.id, v.conversationId));
    if (!again) throw err;
    return { contactId: again.contactId };
  }
  const consentRow = consent(contact.contactId);
  if (consentRow) await tdb.insert(schema.contactConsents, consentRow);
  return { contactId: contact.contactId };
}
