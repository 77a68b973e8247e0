/**
 * Telegram Bot API sender: sendMessage with inline-keyboard buttons, callback answers,
 * webhook registration and file URL lookup. Errors become ChannelSendError with the
 * retry decision (429 carries `parameters.retry_after` in seconds).
 */
import { z } from "zod";
import type { OutboundMessage } from "../types.ts";
import { ChannelSendError } from "../common/errors.ts";
import { readJsonBody, type FetchFn } from "../common/http.ts";
import { truncateText, utf8Length } from "../common/text.ts";
import { telegramMessageKey } from "./parse.ts";

/** Bot credentials; `apiBase` lets tests and self-hosted Bot API servers override the host. */
export interface TelegramConfig {
  token: string;
  apiBase?: string;
}

/** Result of a successful send. */
export interface SendResult {
  ok: true;
  /** Same `${chat_id}:${message_id}` form the parser produces, so replies can be matched. */
  providerMessageId: string;
}

const TelegramResponse = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});

const SentMessage = z.object({ message_id: z.number(), chat: z.object({ id: z.number() }) });
const FileResult = z.object({ file_id: z.string(), file_path: z.string().optional() });

/** Telegram's limits: 4096 chars per message, callback_data 1–64 bytes. */
const MAX_TEXT = 4096;
const MAX_CALLBACK_BYTES = 64;

/** Buttons per keyboard row: short confirmation sets fit one row, longer ones stack. */
const BUTTONS_PER_ROW = 3;

/** Call one Bot API method and return its `result`, or throw ChannelSendError. */
export async function telegramCall(
  fetchFn: FetchFn,
  cfg: TelegramConfig,
  method: string,
  body: Record<string, unknown>,
): Promise<unknown> {
  const url = `${cfg.apiBase ?? "https://api.telegram.org"}/bot${cfg.token}/${method}`;
  const res = await fetchFn(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const parsed = TelegramResponse.safeParse(await readJsonBody(res));
  if (res.ok && parsed.success && parsed.data.ok) return parsed.data.result;
  const data = parsed.success ? parsed.data : undefined;
  const status = res.status;
  const retryAfterS = data?.parameters?.retry_after;
  // 400 (bad request) and 403 (bot blocked / kicked) will fail the same way every time.
  const retryable = status === 429 || status >= 500;
  throw new ChannelSendError(`telegram ${method} failed: ${data?.description ?? `HTTP ${status}`}`, {
    channel: "telegram",
    status,
    ...(data?.error_code === undefined ? {} : { code: data.error_code }),
    retryable,
    ...(retryAfterS === undefined ? {} : { retryAfterMs: retryAfterS * 1000 }),
  });
}

function replyParameters(
  replyTo: string | undefined,
): { message_id: number; allow_sending_without_reply: true } | undefined {
  if (!replyTo) return undefined;
  const id = Number(replyTo.split(":").at(-1));
  return Number.isInteger(id) && id > 0 ? { message_id: id, allow_sending_without_reply: true } : undefined;
}

/** Render buttons as an inline keyboard; callback_data over 64 bytes is a caller bug, not retryable. */
export function inlineKeyboard(
  buttons: OutboundMessage["buttons"],
): { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  const rows: Array<Array<{ text: string; callback_data: string }>> = [];
  for (const [i, b] of buttons.entries()) {
    if (utf8Length(b.payload) > MAX_CALLBACK_BYTES || b.payload.length === 0) {
      throw new ChannelSendError(`telegram callback_data must be 1-${MAX_CALLBACK_BYTES} bytes`, {
        channel: "telegram",
        status: 0,
        code: "payload_too_long",
        retryable: false,
      });
    }
    if (i % BUTTONS_PER_ROW === 0) rows.push([]);
    rows.at(-1)?.push({ text: b.title, callback_data: b.payload });
  }
  return { inline_keyboard: rows };
}

/**
 * Send a text message (with optional buttons and reply threading) to a chat, then any
 * attachments as documents/photos by URL. Returns the id of the text message.
 */
export async function telegramSend(
  fetchFn: FetchFn,
  cfg: TelegramConfig,
  chatId: string | number,
  msg: OutboundMessage,
): Promise<SendResult> {
  const replyMarkup = inlineKeyboard(msg.buttons);
  const reply = replyParameters(msg.replyToChannelMessageId);
  const result = await telegramCall(fetchFn, cfg, "sendMessage", {
    chat_id: chatId,
    text: truncateText(msg.text, MAX_TEXT),
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    ...(reply ? { reply_parameters: reply } : {}),
  });
  const sent = SentMessage.safeParse(result);
  if (!sent.success)
    throw new ChannelSendError("telegram sendMessage returned no message", {
      channel: "telegram",
      status: 200,
      retryable: false,
    });
  for (const a of msg.attachments ?? []) {
    const isImage = a.mimeType?.startsWith("image/") ?? false;
    await telegramCall(fetchFn, cfg, isImage ? "sendPhoto" : "sendDocument", {
      chat_id: chatId,
      [isImage ? "photo" : "document"]: a.url,
    });
  }
  return { ok: true, providerMessageId: telegramMessageKey(sent.data.chat.id, sent.data.message_id) };
}

/** Stop the button's loading spinner; `text` shows as a toast to the user. */
export async function answerCallbackQuery(
  fetchFn: FetchFn,
  cfg: TelegramConfig,
  callbackQueryId: string,
  text?: string,
): Promise<void> {
  await telegramCall(fetchFn, cfg, "answerCallbackQuery", {
    callback_query_id: callbackQueryId,
    ...(text ? { text } : {}),
  });
}

/** Register the webhook; Telegram will echo `secretToken` in X-Telegram-Bot-Api-Secret-Token. */
export async function setWebhook(
  fetchFn: FetchFn,
  cfg: TelegramConfig,
  url: string,
  secretToken: string,
  allowedUpdates: string[] = ["message", "edited_message", "callback_query"],
): Promise<void> {
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
    throw new ChannelSendError("telegram secret_token must be 1-256 chars of A-Z a-z 0-9 _ -", {
      channel: "telegram",
      status: 0,
      retryable: false,
    });
  }
  await telegramCall(fetchFn, cfg, "setWebhook", { url, secret_token: secretToken, allowed_updates: allowedUpdates });
}

/** Resolve a file_id to a download URL (valid for about an hour; it embeds the bot token, never expose it). */
export async function getFileUrl(fetchFn: FetchFn, cfg: TelegramConfig, fileId: string): Promise<string> {
  const file = FileResult.safeParse(await telegramCall(fetchFn, cfg, "getFile", { file_id: fileId }));
  if (!file.success || !file.data.file_path) {
    throw new ChannelSendError("telegram getFile returned no file_path", {
      channel: "telegram",
      status: 200,
      retryable: false,
    });
  }
  return `${cfg.apiBase ?? "https://api.telegram.org"}/file/bot${cfg.token}/${file.data.file_path}`;
}
