/**
 * Finding or starting the conversation for a customer thread (widget visitor, chat id,
 * email thread). The D1 row is created first; the room loads it on first use.
 */
import { and, desc, eq } from "drizzle-orm";
import type { TenantDb } from "../db/client.ts";
import { schema } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import { readInboxOverrides } from "../protocol/settings.ts";

export interface ThreadRef {
  inboxId: string;
  channel: "widget" | "telegram" | "whatsapp" | "messenger" | "email";
  threadKey: string;
  contactId: string;
  identityId: string;
  subject?: string | null;
  language?: string | null;
  /**
   * Start a new conversation when the thread's latest one is resolved (a new widget
   * session of an identified customer: a fresh question, not a reply to the old thread).
   * Messenger and email threads keep reopening on the next message.
   */
  newAfterResolved?: boolean;
}

/** The latest conversation of this thread, or a new one. Resolved conversations reopen on the next message unless `newAfterResolved`. */
export async function conversationForThread(tdb: TenantDb, t: ThreadRef): Promise<{ id: string; created: boolean }> {
  const c = schema.conversations;
  const existing = await tdb.select(c, and(eq(c.inboxId, t.inboxId), eq(c.threadKey, t.threadKey)), {
    orderBy: desc(c.createdAt),
    limit: 1,
  });
  const latest = existing[0];
  if (latest && !(t.newAfterResolved && latest.status === "resolved")) return { id: latest.id, created: false };
  const id = newId("conv");
  // The inbox may route its new conversations to a team (issue 19, editable inboxes).
  const inbox = await tdb.first(schema.inboxes, eq(schema.inboxes.id, t.inboxId));
  const teamId = readInboxOverrides(inbox?.settings).teamId ?? null;
  await tdb.insert(c, {
    teamId,
    id,
    inboxId: t.inboxId,
    contactId: t.contactId,
    identityId: t.identityId,
    channel: t.channel,
    threadKey: t.threadKey,
    subject: t.subject ?? null,
    language: t.language ?? null,
  });
  return { id, created: true };
}
