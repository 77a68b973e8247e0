/**
 * Messenger webhook → normalised messages and delivery statuses. The thread key is the
 * page-scoped user id (PSID). Echoes of our own sends are ignored; delivery and read
 * arrive as watermarks rather than per-message receipts.
 *
 * The App Dashboard "Test" button (and the `messaging_postbacks` reference's "Example
 * Notification") posts a bare `{ field, value }` object with a `user_ref` sender and a
 * string timestamp. Meta never delivers that shape to a subscribed page: real deliveries
 * are wrapped in `object/entry/messaging`. We reject it with code `dashboard_test_sample`
 * instead of guessing, because a `user_ref` cannot be replied to by PSID and accepting
 * an alternate envelope would widen what an attacker-forged body may look like.
 */
import type { DeliveryStatusUpdate, InboundAttachment, InboundMessage, ParsedWebhook } from "../types.ts";
import { WebhookParseError } from "../common/errors.ts";
import { MsWebhook, type MsEvent } from "./schema.ts";

const MEDIA_KINDS: Record<string, InboundAttachment["kind"]> = {
  image: "image",
  video: "video",
  audio: "audio",
  file: "file",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function attachmentsOf(items: NonNullable<MsEvent["message"]>["attachments"]): InboundAttachment[] {
  const out: InboundAttachment[] = [];
  for (const a of items ?? []) {
    const coords = a.payload?.coordinates;
    if (a.type === "location" && coords) {
      out.push({ kind: "location", latitude: coords.lat, longitude: coords.long });
      continue;
    }
    const kind = MEDIA_KINDS[a.type];
    const url = a.payload?.url;
    // fallback/template attachments are link previews of our own or shared content: not files.
    if (kind && url) out.push({ kind, url, providerRef: url });
  }
  return out;
}

function messageOf(ev: MsEvent, psid: string): InboundMessage | null {
  const m = ev.message;
  if (!m) return null;
  return {
    channel: "messenger",
    channelMessageId: m.mid,
    threadKey: psid,
    sender: { externalId: psid },
    text: m.text ?? "",
    attachments: attachmentsOf(m.attachments),
    sentAt: ev.timestamp,
    ...(m.reply_to ? { replyToChannelMessageId: m.reply_to.mid } : {}),
    ...(m.quick_reply
      ? {
          action: {
            kind: "quick_reply" as const,
            payload: m.quick_reply.payload,
            ...(m.text ? { title: m.text } : {}),
          },
        }
      : {}),
  };
}

function postbackOf(ev: MsEvent, psid: string): InboundMessage | null {
  const p = ev.postback;
  if (!p) return null;
  const ref = p.referral?.ref;
  return {
    channel: "messenger",
    // Older postbacks carry no mid; sender+timestamp is unique per PSID and stable on redelivery.
    channelMessageId: p.mid ?? `${psid}:postback:${ev.timestamp}`,
    threadKey: psid,
    sender: { externalId: psid },
    text: p.title ?? p.payload ?? "",
    attachments: [],
    sentAt: ev.timestamp,
    action: {
      kind: "postback",
      payload: p.payload ?? "",
      ...(p.title ? { title: p.title } : {}),
      ...(ref ? { ref } : {}),
    },
  };
}

function statusesOf(ev: MsEvent, psid: string): DeliveryStatusUpdate[] {
  const out: DeliveryStatusUpdate[] = [];
  const watermark = (upTo: number) => ({ threadKey: psid, upTo });
  if (ev.delivery) {
    const { mids, watermark: upTo } = ev.delivery;
    if (mids && mids.length > 0) {
      for (const mid of mids)
        out.push({
          channel: "messenger",
          channelMessageId: mid,
          status: "delivered",
          at: ev.timestamp,
          watermark: watermark(upTo),
        });
    } else {
      out.push({
        channel: "messenger",
        channelMessageId: `${psid}:delivered:${upTo}`,
        status: "delivered",
        at: ev.timestamp,
        watermark: watermark(upTo),
      });
    }
  }
  if (ev.read) {
    out.push({
      channel: "messenger",
      channelMessageId: `${psid}:read:${ev.read.watermark}`,
      status: "read",
      at: ev.timestamp,
      watermark: watermark(ev.read.watermark),
    });
  }
  return out;
}

function invalid(message: string, code = "invalid_shape"): never {
  throw new WebhookParseError("messenger", code, message);
}

/**
 * Parse a Messenger webhook body. Throws WebhookParseError for anything that is not an
 * `object: "page"` delivery (including the dashboard test sample, code
 * `dashboard_test_sample`); unsupported events are listed in `ignored`.
 */
export function parseMessengerWebhook(json: unknown): ParsedWebhook {
  if (isRecord(json) && json.object === undefined && "field" in json && "value" in json) {
    invalid(
      "messenger body is the App Dashboard test sample ({field, value}); real deliveries use object/entry/messaging",
      "dashboard_test_sample",
    );
  }
  const res = MsWebhook.safeParse(json);
  if (!res.success) {
    const issue = res.error.issues[0];
    invalid(`messenger webhook is malformed at ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const out: ParsedWebhook = { messages: [], statuses: [], ignored: [] };
  for (const entry of res.data.entry) {
    for (const ev of entry.messaging ?? []) {
      const psid = ev.sender.id;
      if (ev.message?.is_echo) {
        out.ignored.push("messenger:echo");
        continue;
      }
      if (psid === undefined) {
        out.ignored.push("messenger:user_ref_sender");
        continue;
      }
      const msg = messageOf(ev, psid) ?? postbackOf(ev, psid);
      const statuses = statusesOf(ev, psid);
      if (msg) out.messages.push(msg);
      out.statuses.push(...statuses);
      if (!msg && statuses.length === 0) out.ignored.push("messenger:unsupported_event");
    }
  }
  return out;
}
