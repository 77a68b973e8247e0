/**
 * What the intake journals for one webhook, and the D1 copy of the journal.
 * The journal of record is the inbox's InboxIntake object (./object.ts):
 * written before the provider gets its 200, unique per (kind, provider id). D1's
 * `inbound_events` mirrors it in bulk with each event's latest status, for admins and
 * reports. Payloads are our own JSON but are still validated when read back.
 */
import { z } from "zod";
import type { DeliveryStatusUpdate, InboundMessage } from "../../workers/channels/types.ts";
import type { IntakeEvent, JournalRow } from "./store.ts";
import { ChannelSchema } from "../../workers/protocol/vocabulary.ts";

/** An attachment already stored in R2 (email parts arrive inline and are stored before journaling). */
export const StoredAttachment = z.object({
  key: z.string().min(1).max(300),
  name: z.string().min(1).max(200),
  mimeType: z.string().min(1).max(100),
  size: z.number().int().nonnegative(),
});
export type StoredAttachment = z.infer<typeof StoredAttachment>;

const Attachment = z.object({
  kind: z.enum(["image", "file", "audio", "video", "location"]),
  providerRef: z.string().optional(),
  url: z.string().optional(),
  mimeType: z.string().optional(),
  fileName: z.string().optional(),
  size: z.number().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  caption: z.string().optional(),
});

const Channel = ChannelSchema;

/** InboundMessage as journaled: inline attachment bytes are replaced by `stored` R2 refs. */
export const JournaledMessage = z.object({
  channel: Channel,
  channelMessageId: z.string(),
  threadKey: z.string(),
  sender: z.object({
    externalId: z.string(),
    name: z.string().optional(),
    username: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    languageCode: z.string().optional(),
  }),
  text: z.string(),
  attachments: z.array(Attachment),
  sentAt: z.number(),
  replyToChannelMessageId: z.string().optional(),
  action: z
    .object({
      kind: z.enum(["button", "quick_reply", "postback", "list_reply"]),
      payload: z.string(),
      title: z.string().optional(),
      ref: z.string().optional(),
    })
    .optional(),
  editOf: z.string().optional(),
  email: z
    .object({
      subject: z.string().optional(),
      messageId: z.string().optional(),
      inReplyTo: z.string().optional(),
      references: z.array(z.string()).optional(),
      autoReply: z.boolean().optional(),
      bounce: z.boolean().optional(),
    })
    .optional(),
});
export type JournaledMessage = z.infer<typeof JournaledMessage>;

export const JournaledStatus = z.object({
  channel: Channel,
  channelMessageId: z.string(),
  status: z.enum(["sent", "delivered", "read", "failed"]),
  at: z.number(),
  error: z.string().optional(),
  watermark: z.object({ threadKey: z.string(), upTo: z.number() }).optional(),
});

/** The payload column of one event. */
export const EventPayload = z.union([
  z.object({ message: JournaledMessage, stored: z.array(StoredAttachment).default([]) }),
  z.object({ status: JournaledStatus }),
]);
export type EventPayload = z.infer<typeof EventPayload>;

/** Drop inline bytes (they are in R2 by now) so the payload is plain JSON. */
function journalable(m: InboundMessage): JournaledMessage {
  return { ...m, attachments: m.attachments.map(({ content: _bytes, ...rest }) => rest) };
}

/** The journal entries of one webhook (or one email, with its parts already in R2). */
export function toIntakeEvents(
  parsed: { messages: InboundMessage[]; statuses: DeliveryStatusUpdate[] },
  stored: StoredAttachment[] = [],
): IntakeEvent[] {
  return [
    ...parsed.messages.map((m): IntakeEvent => ({
      kind: "message",
      channelMessageId: m.channelMessageId,
      payload: JSON.stringify({ message: journalable(m), stored }),
    })),
    ...parsed.statuses.map((s): IntakeEvent => ({
      kind: "status",
      channelMessageId: s.channelMessageId,
      payload: JSON.stringify({ status: s }),
    })),
  ];
}

/** Rows per D1 batch when the journal is copied (one prepared statement per row). */
export const JOURNAL_MIRROR_BATCH = 100;

const EVENT_UPSERT = `INSERT INTO inbound_events (id, workspace_id, inbox_id, channel_message_id, kind, payload, status, error, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (inbox_id, kind, channel_message_id) DO UPDATE SET status = excluded.status, error = excluded.error`;

/** Copies journal rows (with their current status) to D1 in one batch; idempotent. */
export async function mirrorJournal(
  db: D1Database,
  target: { workspaceId: string; inboxId: string },
  rows: JournalRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const upsert = db.prepare(EVENT_UPSERT);
  await db.batch(
    rows.map((r) =>
      upsert.bind(
        r.id,
        target.workspaceId,
        target.inboxId,
        r.channelMessageId,
        r.kind,
        r.payload,
        r.status,
        r.error,
        r.createdAt,
      ),
    ),
  );
}
