/**
 * Telegram `Update` → normalised InboundMessage. Message ids are only unique per chat,
 * so our channelMessageId is `${chat.id}:${message_id}`; replies and edits use the same
 * form so they can be matched against what we stored.
 */
import type { z } from "zod";
import type { InboundAttachment, InboundMessage, InboundSender, ParsedWebhook } from "../types.ts";
import { WebhookParseError } from "../common/errors.ts";
import { toE164 } from "../common/phone.ts";
import { TgCallbackQuery, TgMessage, TgUpdateEnvelope, type TgUser } from "./schema.ts";

/** Update kinds we turn into messages; every other key is acknowledged and ignored. */
const HANDLED = ["message", "edited_message", "callback_query"] as const;

/** Options for deterministic parsing. */
export interface TelegramParseOptions {
  /** Clock for events without a provider timestamp (callback queries). */
  now?: () => number;
}

function fail(message: string): never {
  throw new WebhookParseError("telegram", "invalid_shape", message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Compose the per-inbox unique id of a Telegram message. */
export function telegramMessageKey(chatId: number, messageId: number): string {
  return `${chatId}:${messageId}`;
}

function toSender(user: z.infer<typeof TgUser> | undefined, fallbackId: number): InboundSender {
  if (!user) return { externalId: String(fallbackId) };
  const name = [user.first_name, user.last_name].filter((p) => p !== undefined && p.length > 0).join(" ");
  return {
    externalId: String(user.id),
    ...(name ? { name } : {}),
    ...(user.username ? { username: user.username } : {}),
    ...(user.language_code ? { languageCode: user.language_code } : {}),
  };
}

function attachmentsOf(msg: TgMessage): InboundAttachment[] {
  const out: InboundAttachment[] = [];
  const caption = msg.caption ? { caption: msg.caption } : {};
  if (msg.photo && msg.photo.length > 0) {
    // Telegram sends every resolution; the largest is the one worth keeping.
    const largest = msg.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    out.push({
      kind: "image",
      providerRef: largest.file_id,
      ...(largest.file_size ? { size: largest.file_size } : {}),
      ...caption,
    });
  }
  const files: Array<
    [
      InboundAttachment["kind"],
      (
        | {
            file_id: string;
            mime_type?: string | undefined;
            file_name?: string | undefined;
            file_size?: number | undefined;
          }
        | undefined
      ),
    ]
  > = [
    ["file", msg.document],
    ["audio", msg.voice],
    ["audio", msg.audio],
    ["video", msg.video],
    ["video", msg.video_note],
    ["image", msg.sticker],
  ];
  for (const [kind, f] of files) {
    if (!f) continue;
    out.push({
      kind,
      providerRef: f.file_id,
      ...(f.mime_type ? { mimeType: f.mime_type } : {}),
      ...(f.file_name ? { fileName: f.file_name } : {}),
      ...(f.file_size ? { size: f.file_size } : {}),
      ...caption,
    });
  }
  if (msg.location) out.push({ kind: "location", latitude: msg.location.latitude, longitude: msg.location.longitude });
  return out;
}

function fromMessage(msg: TgMessage, edited: boolean): InboundMessage {
  const key = telegramMessageKey(msg.chat.id, msg.message_id);
  const sender = toSender(msg.from, msg.chat.id);
  let text = msg.text ?? msg.caption ?? "";
  if (msg.contact) {
    const phone = toE164(msg.contact.phone_number);
    // Only a contact the user shared about themselves (request_contact) identifies them;
    // a forwarded third-party card must not overwrite the sender's phone.
    if (phone && msg.from && msg.contact.user_id === msg.from.id) sender.phone = phone;
    if (!text)
      text = [msg.contact.first_name, msg.contact.last_name, msg.contact.phone_number].filter(Boolean).join(" ");
  }
  const reply = msg.reply_to_message;
  return {
    channel: "telegram",
    // Edits reuse the message id; the edit timestamp keeps each revision distinct for dedupe.
    channelMessageId: edited ? `${key}:edit:${msg.edit_date ?? msg.date}` : key,
    threadKey: String(msg.chat.id),
    sender,
    text,
    attachments: attachmentsOf(msg),
    sentAt: (edited && msg.edit_date ? msg.edit_date : msg.date) * 1000,
    ...(reply ? { replyToChannelMessageId: telegramMessageKey(reply.chat.id, reply.message_id) } : {}),
    ...(edited ? { editOf: key } : {}),
  };
}

function fromCallback(cb: TgCallbackQuery, now: () => number): InboundMessage {
  const msg = cb.message;
  return {
    channel: "telegram",
    channelMessageId: cb.id,
    // Inline-mode callbacks carry no chat; in a private chat the user id is the chat id.
    threadKey: String(msg ? msg.chat.id : cb.from.id),
    sender: toSender(cb.from, cb.from.id),
    text: "",
    attachments: [],
    // callback_query has no date of its own; msg.date is when the bot's message was sent.
    sentAt: now(),
    ...(msg ? { replyToChannelMessageId: telegramMessageKey(msg.chat.id, msg.message_id) } : {}),
    action: { kind: "button", payload: cb.data ?? "" },
  };
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const res = schema.safeParse(value);
  if (!res.success) fail(`telegram ${what} is malformed: ${res.error.issues[0]?.message ?? "invalid"}`);
  return res.data;
}

/**
 * Parse one Telegram Update. Throws WebhookParseError when the body is not an Update;
 * update kinds we do not handle (polls, chat_member, …) are reported in `ignored`.
 */
export function parseTelegramUpdate(json: unknown, options: TelegramParseOptions = {}): ParsedWebhook {
  const now = options.now ?? Date.now;
  if (!isRecord(json)) fail("telegram update must be a JSON object");
  parseWith(TgUpdateEnvelope, json, "update");
  const out: ParsedWebhook = { messages: [], statuses: [], ignored: [] };
  if (json.message !== undefined) out.messages.push(fromMessage(parseWith(TgMessage, json.message, "message"), false));
  if (json.edited_message !== undefined)
    out.messages.push(fromMessage(parseWith(TgMessage, json.edited_message, "edited_message"), true));
  if (json.callback_query !== undefined)
    out.messages.push(fromCallback(parseWith(TgCallbackQuery, json.callback_query, "callback_query"), now));
  const handled: readonly string[] = HANDLED;
  for (const key of Object.keys(json)) {
    if (key !== "update_id" && !handled.includes(key)) out.ignored.push(`telegram:${key}`);
  }
  return out;
}
