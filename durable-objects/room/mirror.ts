/**
 * Mirrors the room's log and state into D1 for the inbox, reports and analytics.
 * Idempotent (upsert by message id), so the alarm can retry it after a D1 failure.
 */
import { eq, sql } from "drizzle-orm";
import { rawDb, schema } from "../../workers/db/client.ts";
import type { RoomMeta, RoomStore, StoredMessage } from "./store.ts";

export async function mirrorToD1(env: Env, store: RoomStore, meta: RoomMeta): Promise<void> {
  const db = rawDb(env.DB);
  const pending = store.unmirroredMessages(40);
  const actions = store.unmirroredActions();
  const last = store.recent(1)[0];
  const lastVisible = store.recent(10).filter((m) => m.type !== "note" && m.type !== "activity").pop();
  const now = Date.now();
  // Messages, actions and the conversation row in one D1 batch: a burst of messages costs
  // one round trip, and the batch is atomic, so a retry after a failure starts clean.
  const conversation = db
    .update(schema.conversations)
    .set({
      status: meta.turn.status, owner: meta.turn.owner, assigneeId: meta.turn.assigneeId, teamId: meta.teamId, priority: meta.priority,
      tags: meta.tags, category: meta.category, secondaryCategories: meta.secondary, language: meta.language, snoozedUntil: meta.turn.snoozedUntil,
      lastSeq: last?.seq ?? 0, lastMessageAt: lastVisible?.createdAt ?? null, lastMessagePreview: lastVisible ? lastVisible.content.slice(0, 140) : null,
      firstResponseDueAt: meta.firstResponseDueAt, resolutionDueAt: meta.resolutionDueAt, firstRespondedAt: meta.firstRespondedAt,
      resolvedAt: meta.turn.status === "resolved" ? now : null, updatedAt: now,
    })
    .where(eq(schema.conversations.id, meta.conversationId));
  const messages = pending.map((m) =>
    db
      .insert(schema.messages)
      .values({
        id: m.id, workspaceId: meta.workspaceId, conversationId: meta.conversationId, seq: m.seq, type: m.type, senderType: m.senderType,
        senderId: m.senderId, content: m.content, contentAttributes: messageAttributes(m),
        attachments: m.attachments, clientId: m.clientId, inboxId: m.channelMessageId ? meta.inboxId : null, channelMessageId: m.channelMessageId,
        deliveryStatus: (m.deliveryStatus as "pending" | "sent" | "delivered" | "read" | "failed" | null) ?? null, createdAt: m.createdAt,
      })
      .onConflictDoUpdate({ target: schema.messages.id, set: { deliveryStatus: sql`excluded.delivery_status`, contentAttributes: sql`excluded.content_attributes` } }),
  );
  const actionRows = actions.map((a) =>
    db
      .insert(schema.actions)
      .values({ id: a.id, workspaceId: meta.workspaceId, conversationId: meta.conversationId, contactId: meta.contactId, customerRef: a.customerRef, tool: a.tool, args: a.args, summary: a.summary, status: a.status, proposedBy: a.proposedBy, decidedBy: a.decidedBy, expiresAt: a.expiresAt, result: a.result, executedAt: a.status === "executed" ? now : null })
      .onConflictDoUpdate({ target: schema.actions.id, set: { status: sql`excluded.status`, decidedBy: sql`excluded.decided_by`, result: sql`excluded.result`, executedAt: sql`COALESCE(actions.executed_at, excluded.executed_at)`, decidedAt: now } }),
  );
  await db.batch([conversation, ...messages, ...actionRows]);
  if (pending.length) store.markMirrored(pending);
  if (actions.length) store.markActionsMirrored(actions);
  if (store.unmirroredMessages(1).length) throw new MirrorBacklog();
}

/** Everything about a message that is not a column: buttons, action, language, sender name, internal notes. */
export function messageAttributes(m: StoredMessage): Record<string, unknown> {
  return { ...m.internal, buttons: m.buttons, actionId: m.actionId, language: m.language, senderName: m.senderName };
}

/** More rows remain; the caller schedules another pass. */
export class MirrorBacklog extends Error {
  override readonly name = "MirrorBacklog";
}
