/**
 * Mirrors the room's log and state into D1 for the inbox, reports and analytics.
 * Idempotent (upsert by message id), so the alarm can retry it after a D1 failure.
 */
import { eq, sql } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import type { RoomMeta, RoomStore, StoredMessage } from "./store.ts";
import type { ConversationSla } from "../../workers/protocol/sla.ts";

/**
 * The room's SLA instants as the inbox sees them (D1 row, live inbox item): the same
 * numbers everywhere, so `inboxSlaClock`/`slaState` give the same answer on each side.
 */
export function conversationSla(meta: RoomMeta): ConversationSla {
  return {
    firstResponseDueAt: meta.sla.due?.firstResponseDueAt ?? null,
    firstResponseAtRiskAt: meta.sla.due?.firstResponseAtRiskAt ?? null,
    resolutionDueAt: meta.sla.due?.resolutionDueAt ?? null,
    resolutionAtRiskAt: meta.sla.due?.resolutionAtRiskAt ?? null,
    firstRespondedAt: meta.sla.firstRespondedAt,
    resolvedAt: meta.turn.status === "resolved" ? meta.sla.resolvedAt : null,
  };
}

export async function mirrorToD1(env: Env, store: RoomStore, meta: RoomMeta): Promise<void> {
  const db = rawDb(env.DB);
  const pending = store.unmirroredMessages(100);
  const actions = store.unmirroredActions();
  const tail = store.recent(10);
  const last = tail.at(-1);
  const lastVisible = tail.filter((m) => m.type !== "note" && m.type !== "activity").pop();
  const now = Date.now();
  const sla = conversationSla(meta);
  // Messages, actions and the conversation row in one D1 batch: a burst of messages costs
  // one round trip, and the batch is atomic, so a retry after a failure starts clean.
  const conversation = new TenantDb(db, meta.workspaceId).update(
    schema.conversations,
    {
      status: meta.turn.status,
      owner: meta.turn.owner,
      assigneeId: meta.turn.assigneeId,
      teamId: meta.teamId,
      priority: meta.priority,
      tags: meta.tags,
      category: meta.category,
      secondaryCategories: meta.secondary,
      language: meta.language,
      snoozedUntil: meta.turn.snoozedUntil,
      lastSeq: last?.seq ?? 0,
      lastMessageAt: lastVisible?.createdAt ?? null,
      lastMessagePreview: lastVisible ? lastVisible.content.slice(0, 140) : null,
      ...sla,
      // The room's resolution instant. A room resolved before it kept one (older meta) leaves D1's value alone.
      ...(meta.turn.status === "resolved" && sla.resolvedAt === null ? { resolvedAt: undefined } : {}),
      updatedAt: now,
    },
    eq(schema.conversations.id, meta.conversationId),
  );
  // Messages go through one prepared statement (the hot path: drizzle's builder per row
  // costs more CPU than the write itself when a burst of messages is flushed).
  const insertMessage = env.DB.prepare(MESSAGE_UPSERT);
  const messages = pending.map((m) =>
    insertMessage.bind(
      m.id,
      meta.workspaceId,
      meta.conversationId,
      m.seq,
      m.type,
      m.senderType,
      m.senderId,
      m.content,
      JSON.stringify(messageAttributes(m)),
      JSON.stringify(m.attachments),
      m.clientId,
      m.channelMessageId ? meta.inboxId : null,
      m.channelMessageId,
      m.deliveryStatus,
      m.createdAt,
    ),
  );
  const actionRows = actions.map((a) =>
    db
      .insert(schema.actions)
      .values({
        id: a.id,
        workspaceId: meta.workspaceId,
        conversationId: meta.conversationId,
        contactId: meta.contactId,
        customerRef: a.customerRef,
        tool: a.tool,
        args: a.args,
        summary: a.summary,
        status: a.status,
        proposedBy: a.proposedBy,
        decidedBy: a.decidedBy,
        expiresAt: a.expiresAt,
        result: a.result,
        executedAt: a.status === "executed" ? now : null,
      })
      .onConflictDoUpdate({
        target: schema.actions.id,
        set: {
          status: sql`excluded.status`,
          decidedBy: sql`excluded.decided_by`,
          result: sql`excluded.result`,
          executedAt: sql`COALESCE(actions.executed_at, excluded.executed_at)`,
          decidedAt: now,
        },
      }),
  );
  const statements: D1PreparedStatement[] = [...messages];
  for (const q of [conversation, ...actionRows]) {
    const built = q.toSQL();
    statements.push(env.DB.prepare(built.sql).bind(...built.params));
  }
  await env.DB.batch(statements);
  if (pending.length) store.markMirrored(pending);
  if (actions.length) store.markActionsMirrored(actions);
  if (store.hasUnmirrored()) throw new MirrorBacklog();
}

const MESSAGE_UPSERT = `INSERT INTO messages (id, workspace_id, conversation_id, seq, type, sender_type, sender_id, content, content_attributes, attachments, client_id, inbox_id, channel_message_id, delivery_status, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET delivery_status = excluded.delivery_status, content_attributes = excluded.content_attributes`;

/** Everything about a message that is not a column: buttons, action, language, sender name, internal notes. */
export function messageAttributes(m: StoredMessage): Record<string, unknown> {
  return { ...m.internal, buttons: m.buttons, actionId: m.actionId, language: m.language, senderName: m.senderName };
}

/** More rows remain; the caller schedules another pass. */
export class MirrorBacklog extends Error {
  override readonly name = "MirrorBacklog";
}
