/**
 * The intake journal (`inbound_events`). Every parsed message and status is written here
 * before the provider gets its 200, so an accepted webhook survives a crash of the
 * asynchronous processing; the unique (inbox, kind, provider id) key makes a redelivered
 * update a no-op. Payloads are our own JSON but are still validated when read back.
 */
import { z } from "zod";
import { schema, type TenantDb } from "../db/client.ts";
import type { DeliveryStatusUpdate, InboundMessage } from "../channels/types.ts";
import { newId } from "../lib/ids.ts";

/** An attachment already stored in R2 (email parts arrive inline and are stored before journaling). */
export const StoredAttachment = z.object({ key: z.string().min(1).max(300), name: z.string().min(1).max(200), mimeType: z.string().min(1).max(100), size: z.number().int().nonnegative() });
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

const Channel = z.enum(["widget", "telegram", "whatsapp", "messenger", "email"]);

/** InboundMessage as journaled: inline attachment bytes are replaced by `stored` R2 refs. */
export const JournaledMessage = z.object({
  channel: Channel,
  channelMessageId: z.string(),
  threadKey: z.string(),
  sender: z.object({ externalId: z.string(), name: z.string().optional(), username: z.string().optional(), phone: z.string().optional(), email: z.string().optional(), languageCode: z.string().optional() }),
  text: z.string(),
  attachments: z.array(Attachment),
  sentAt: z.number(),
  replyToChannelMessageId: z.string().optional(),
  action: z.object({ kind: z.enum(["button", "quick_reply", "postback", "list_reply"]), payload: z.string(), title: z.string().optional(), ref: z.string().optional() }).optional(),
  editOf: z.string().optional(),
  email: z.object({ subject: z.string().optional(), messageId: z.string().optional(), inReplyTo: z.string().optional(), references: z.array(z.string()).optional(), autoReply: z.boolean().optional(), bounce: z.boolean().optional() }).optional(),
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

async function insertEvent(tdb: TenantDb, inboxId: string, kind: "message" | "status", channelMessageId: string, payload: Record<string, unknown>): Promise<string | null> {
  const id = newId("evt");
  const rows = await tdb.db
    .insert(schema.inboundEvents)
    .values({ id, workspaceId: tdb.workspaceId, inboxId, kind, channelMessageId, payload })
    .onConflictDoNothing()
    .returning({ id: schema.inboundEvents.id });
  return rows[0]?.id ?? null;
}

/**
 * Journal the messages and statuses of one webhook. Returns the ids of events that are
 * new; an update seen before yields nothing (it is, or was, processed already).
 */
export async function journalEvents(
  tdb: TenantDb,
  inboxId: string,
  parsed: { messages: InboundMessage[]; statuses: DeliveryStatusUpdate[] },
  stored: StoredAttachment[] = [],
): Promise<string[]> {
  const ids: string[] = [];
  for (const m of parsed.messages) {
    const id = await insertEvent(tdb, inboxId, "message", m.channelMessageId, { message: journalable(m), stored });
    if (id) ids.push(id);
  }
  for (const s of parsed.statuses) {
    const id = await insertEvent(tdb, inboxId, "status", s.channelMessageId, { status: s });
    if (id) ids.push(id);
  }
  return ids;
}
