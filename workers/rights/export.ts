/**
 * Export of everything stored about a contact (issue 20, "right of access"): one JSON
 * archive, format `omnisupport.contact-export.v1`. Rows are exported as stored (minus
 * nothing: the subject is entitled to all of it), plus the rooms' own logs, which are the
 * record of truth for messages (D1 is a mirror that may trail by seconds).
 *
 * Attachments are SIGNED LINKS, not inlined base64: an archive of photos would not fit a
 * Worker's response budget, and the link serves the exact stored bytes. Links last
 * EXPORT_LINK_TTL_MS; the archive says until when.
 */
import { eq, inArray } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { signAttachment } from "../lib/attachment-url.ts";
import { RoomSnapshot } from "../protocol/frames.ts";
import { roomOf } from "../services/data-location.ts";
import { inSlices, loadSubject } from "./subject.ts";

export const EXPORT_FORMAT = "omnisupport.contact-export.v1";
export const EXPORT_LINK_TTL_MS = 7 * 24 * 3600_000;

export async function exportContact(
  env: Env,
  tdb: TenantDb,
  contactId: string,
  signingSecret: string,
  now = Date.now(),
): Promise<Record<string, unknown> | null> {
  const s = await loadSubject(tdb, contactId);
  if (!s) return null;
  const t = schema;
  const byContact = <R>(q: (part: string[]) => Promise<R[]>) => inSlices(s.contactIds, q);
  const byConv = <R>(q: (part: string[]) => Promise<R[]>) => inSlices(s.conversationIds, q);

  const contacts = await byContact((p) => tdb.select(t.contacts, inArray(t.contacts.id, p)));
  const identities = await inSlices(s.identityIds, (p) =>
    tdb.select(t.contactIdentities, inArray(t.contactIdentities.id, p)),
  );
  const conversations = await byConv((p) => tdb.select(t.conversations, inArray(t.conversations.id, p)));
  const messages = await byConv((p) => tdb.select(t.messages, inArray(t.messages.conversationId, p)));
  const actionRows = [
    ...(await byConv((p) => tdb.select(t.actions, inArray(t.actions.conversationId, p)))),
    ...(await byContact((p) => tdb.select(t.actions, inArray(t.actions.contactId, p)))),
  ];
  const actions = [...new Map(actionRows.map((a) => [a.id, a])).values()];
  const aiTraces = await byConv((p) => tdb.select(t.aiTraces, inArray(t.aiTraces.conversationId, p)));
  const roomLogs = [];
  for (const id of s.conversationIds) {
    const parsed = RoomSnapshot.safeParse(JSON.parse(await (await roomOf(env, tdb.workspaceId, id)).snapshot()));
    roomLogs.push({
      conversationId: id,
      messages: parsed.success ? parsed.data.messages : [],
      actions: parsed.success ? parsed.data.actions : [],
    });
  }
  const expiresAt = now + EXPORT_LINK_TTL_MS;
  const attachments = [];
  for (const m of messages)
    for (const a of m.attachments) {
      if (typeof a.key !== "string") continue;
      const token = await signAttachment(signingSecret, { key: a.key, conversationId: m.conversationId, expiresAt });
      attachments.push({
        conversationId: m.conversationId,
        messageId: m.id,
        key: a.key,
        name: a.name,
        mimeType: a.mimeType,
        size: a.size,
        url: `/api/files/${token}`,
        expiresAt,
      });
    }
  return {
    format: EXPORT_FORMAT,
    exportedAt: now,
    workspaceId: s.workspaceId,
    contactId,
    attachmentsAs: "signed_links",
    contact: contacts.find((c) => c.id === contactId) ?? null,
    mergedContacts: contacts.filter((c) => c.id !== contactId),
    identities,
    claims: await byContact((p) => tdb.select(t.contactClaims, inArray(t.contactClaims.contactId, p))),
    consents: await byContact((p) => tdb.select(t.contactConsents, inArray(t.contactConsents.contactId, p))),
    profile: (await tdb.first(t.contactProfiles, eq(t.contactProfiles.contactId, contactId))) ?? null,
    memories: await byContact((p) => tdb.select(t.contactMemories, inArray(t.contactMemories.contactId, p))),
    conversations,
    satisfaction: conversations
      .filter((c) => c.csatScore !== null || c.npsScore !== null)
      .map((c) => ({ conversationId: c.id, csatScore: c.csatScore, csatComment: c.csatComment, npsScore: c.npsScore })),
    messages,
    roomLogs,
    attachments,
    actions,
    aiTraces,
  };
}
