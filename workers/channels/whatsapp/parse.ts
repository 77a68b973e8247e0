/**
 * WhatsApp Cloud API webhook → normalised messages and delivery statuses. One POST can
 * batch several entries/changes/messages; each becomes its own InboundMessage keyed by
 * the `wamid`. The customer's wa_id is both thread key and (as E.164) their phone.
 */
import type { z } from "zod";
import type { DeliveryStatusUpdate, InboundAttachment, InboundMessage, ParsedWebhook } from "../types.ts";
import { WebhookParseError } from "../common/errors.ts";
import { toE164 } from "../common/phone.ts";
import { type WaMessage, type WaStatus, WaValue, WaWebhook } from "./schema.ts";

const MEDIA_KINDS: Record<string, InboundAttachment["kind"]> = {
  image: "image",
  sticker: "image",
  document: "file",
  audio: "audio",
  voice: "audio",
  video: "video",
};

const STATUS_KINDS: ReadonlySet<string> = new Set(["sent", "delivered", "read", "failed"]);

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const res = schema.safeParse(value);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new WebhookParseError(
      "whatsapp",
      "invalid_shape",
      `whatsapp ${what} is malformed at ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
    );
  }
  return res.data;
}

/** Body-level content of one message: text, attachment and button action. Null for types we skip. */
function contentOf(m: WaMessage): Pick<InboundMessage, "text" | "attachments" | "action"> | null {
  const mediaKind = MEDIA_KINDS[m.type];
  if (mediaKind) {
    const media =
      m.type === "image"
        ? m.image
        : m.type === "sticker"
          ? m.sticker
          : m.type === "document"
            ? m.document
            : m.type === "audio"
              ? m.audio
              : m.type === "voice"
                ? m.voice
                : m.video;
    if (!media) return null;
    const attachment: InboundAttachment = {
      kind: mediaKind,
      providerRef: media.id,
      ...(media.mime_type ? { mimeType: media.mime_type } : {}),
      ...(media.filename ? { fileName: media.filename } : {}),
      ...(media.caption ? { caption: media.caption } : {}),
    };
    return { text: media.caption ?? "", attachments: [attachment] };
  }
  switch (m.type) {
    case "text":
      return m.text ? { text: m.text.body, attachments: [] } : null;
    case "location": {
      if (!m.location) return null;
      const { latitude, longitude, name, address } = m.location;
      return {
        text: [name, address].filter(Boolean).join(", "),
        attachments: [{ kind: "location", latitude, longitude }],
      };
    }
    case "interactive": {
      const btn = m.interactive?.button_reply;
      if (btn)
        return { text: btn.title, attachments: [], action: { kind: "button", payload: btn.id, title: btn.title } };
      const row = m.interactive?.list_reply;
      if (row)
        return { text: row.title, attachments: [], action: { kind: "list_reply", payload: row.id, title: row.title } };
      return null;
    }
    case "button":
      // Quick-reply button on a template message; payload is what we set when sending.
      return m.button
        ? {
            text: m.button.text,
            attachments: [],
            action: { kind: "quick_reply", payload: m.button.payload ?? m.button.text, title: m.button.text },
          }
        : null;
    default:
      return null;
  }
}

function toStatus(s: z.infer<typeof WaStatus>): DeliveryStatusUpdate | null {
  if (!STATUS_KINDS.has(s.status)) return null;
  const status = s.status === "sent" || s.status === "delivered" || s.status === "read" ? s.status : "failed";
  const err = s.errors?.[0];
  return {
    channel: "whatsapp",
    channelMessageId: s.id,
    status,
    at: Number(s.timestamp) * 1000,
    ...(status === "failed"
      ? { error: err ? `${err.code ?? "?"}: ${err.title ?? err.message ?? "unknown error"}` : "unknown error" }
      : {}),
  };
}

/**
 * Parse a WhatsApp Cloud API webhook body. Throws WebhookParseError when it is not one;
 * non-`messages` fields (account updates, template status) and unsupported message types
 * (reactions, system) are listed in `ignored`.
 */
export function parseWhatsAppWebhook(json: unknown): ParsedWebhook {
  const hook = parseOrThrow(WaWebhook, json, "webhook");
  const out: ParsedWebhook = { messages: [], statuses: [], ignored: [] };
  for (const entry of hook.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") {
        out.ignored.push(`whatsapp:field:${change.field}`);
        continue;
      }
      const value = parseOrThrow(WaValue, change.value, "change value");
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const m of value.messages ?? []) {
        const content = contentOf(m);
        if (!content) {
          out.ignored.push(`whatsapp:message:${m.type}`);
          continue;
        }
        const name = names.get(m.from);
        const phone = toE164(m.from);
        const replyTo = m.context?.id;
        out.messages.push({
          channel: "whatsapp",
          channelMessageId: m.id,
          threadKey: m.from,
          sender: { externalId: m.from, ...(name ? { name } : {}), ...(phone ? { phone } : {}) },
          ...content,
          sentAt: Number(m.timestamp) * 1000,
          ...(replyTo ? { replyToChannelMessageId: replyTo } : {}),
        });
      }
      for (const s of value.statuses ?? []) {
        const status = toStatus(s);
        if (status) out.statuses.push(status);
        else out.ignored.push(`whatsapp:status:${s.status}`);
      }
    }
  }
  return out;
}
