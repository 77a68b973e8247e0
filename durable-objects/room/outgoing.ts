/**
 * The one path for every message that leaves the room for the customer (bot replies,
 * operator replies, hand-over notices, action results and failures, form receipts):
 * stored with delivery status "pending" on external channels and queued for outbound
 * delivery after the D1 row exists. A reply stored any other way was never delivered
 * (issue 17, bug 1: the failure reply of a confirmed action on Telegram stayed unsent).
 */
import { effectiveSettings, readInboxOverrides, readSettings } from "../../workers/protocol/settings.ts";
import { schema } from "../../workers/db/client.ts";
import { eq } from "drizzle-orm";
import type { RoomHost } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import type { NewMessage, StoredMessage } from "./store.ts";
import { outsideHours, replyWindow } from "./reply-window.ts";
import { presenceOf } from "../../workers/services/data-location.ts";
import type { ReplyWindow } from "../../workers/copy/customer.ts";

export type Outgoing = Omit<NewMessage, "type" | "deliveryStatus" | "senderType" | "senderId" | "senderName"> & {
  /** Defaults to the assistant. */
  sender?: { type: "bot" | "operator"; id: string | null; name: string | null };
};

const ASSISTANT = { type: "bot" as const, id: null, name: "Assistant" };

export async function sendOutgoing(
  host: RoomHost,
  meta: RoomMeta,
  m: Outgoing,
): Promise<{ message: StoredMessage; duplicate: boolean }> {
  const { sender = ASSISTANT, ...rest } = m;
  const res = await host.append({
    ...rest,
    type: "outgoing",
    senderType: sender.type,
    senderId: sender.id,
    senderName: sender.name,
    language: rest.language ?? meta.language,
    deliveryStatus: meta.channel === "widget" ? null : "pending",
  });
  if (!res.duplicate && meta.channel !== "widget") {
    // The outbound consumer records the provider's message id on the D1 row: it must exist first.
    await host.mirrorNow();
    await host.bindings.OUTBOUND_QUEUE.send({
      kind: "deliver",
      workspaceId: meta.workspaceId,
      conversationId: meta.conversationId,
      messageId: res.message.id,
      inboxId: meta.inboxId,
      channel: meta.channel,
      threadKey: meta.threadKey,
      text: res.message.content,
      buttons: res.message.buttons,
      attempt: 0,
    });
  }
  return res;
}

/** The settings this conversation runs with: the workspace's, with its inbox's overrides (hours, CSAT, greeting). */
export async function settingsOf(host: RoomHost, meta: RoomMeta) {
  const tdb = host.tdb(meta);
  const [ws, inbox] = await Promise.all([
    tdb.workspace(),
    tdb.first(schema.inboxes, eq(schema.inboxes.id, meta.inboxId)),
  ]);
  return effectiveSettings(readSettings(ws?.settings), readInboxOverrides(inbox?.settings));
}

/** When a human will answer, for the customer-facing notices. */
export async function replyWindowOf(host: RoomHost, meta: RoomMeta, now = new Date()): Promise<ReplyWindow> {
  const settings = await settingsOf(host, meta);
  const online = outsideHours(settings, now)
    ? await (await presenceOf(host.bindings, meta.workspaceId)).onlineCount()
    : 0;
  return replyWindow(settings, meta.priority, meta.language, now, online);
}
