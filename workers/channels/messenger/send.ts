/**
 * Messenger Send API: text with quick replies, as a RESPONSE to a user message (allowed
 * within Meta's 24-hour standard messaging window). Token goes in the Authorization
 * header rather than the query string so it never lands in URL logs.
 */
import { z } from "zod";
import type { OutboundMessage } from "../types.ts";
import { ChannelSendError } from "../common/errors.ts";
import { GRAPH_API_BASE, GRAPH_API_VERSION, graphSendError } from "../common/graph.ts";
import { readJsonBody, type FetchFn } from "../common/http.ts";
import { truncateText } from "../common/text.ts";

/** Page credentials. */
export interface MessengerConfig {
  pageAccessToken: string;
  apiBase?: string;
  apiVersion?: string;
  /** Clock for Retry-After dates; defaults to Date.now. */
  now?: () => number;
}

/** Result of a successful send. */
export interface SendResult {
  ok: true;
  providerMessageId: string;
}

const SendResponse = z.object({ recipient_id: z.string().optional(), message_id: z.string() });

/** Send API limits: text ≤ 2000 chars, ≤ 13 quick replies, title ≤ 20 chars, payload ≤ 1000. */
const TEXT_MAX = 2000;
const MAX_QUICK_REPLIES = 13;
const QUICK_REPLY_TITLE_MAX = 20;
const PAYLOAD_MAX = 1000;

async function post(fetchFn: FetchFn, cfg: MessengerConfig, body: Record<string, unknown>): Promise<SendResult> {
  const res = await fetchFn(`${cfg.apiBase ?? GRAPH_API_BASE}/${cfg.apiVersion ?? GRAPH_API_VERSION}/me/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${cfg.pageAccessToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await readJsonBody(res);
  if (!res.ok) throw graphSendError("messenger", res, json, (cfg.now ?? Date.now)());
  const parsed = SendResponse.safeParse(json);
  if (!parsed.success)
    throw new ChannelSendError("messenger send returned no message_id", {
      channel: "messenger",
      status: res.status,
      retryable: false,
    });
  return { ok: true, providerMessageId: parsed.data.message_id };
}

/** Render buttons as Messenger quick replies. */
export function quickRepliesFor(
  buttons: OutboundMessage["buttons"],
): Array<{ content_type: "text"; title: string; payload: string }> | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  if (
    buttons.length > MAX_QUICK_REPLIES ||
    buttons.some((b) => b.payload.length === 0 || b.payload.length > PAYLOAD_MAX)
  ) {
    throw new ChannelSendError(
      `messenger allows ≤ ${MAX_QUICK_REPLIES} quick replies with 1-${PAYLOAD_MAX} char payloads`,
      { channel: "messenger", status: 0, code: "invalid_buttons", retryable: false },
    );
  }
  return buttons.map((b) => ({
    content_type: "text",
    title: truncateText(b.title, QUICK_REPLY_TITLE_MAX),
    payload: b.payload,
  }));
}

/** Send text (and quick replies) to a PSID, then attachments by URL as separate messages. */
export async function messengerSend(
  fetchFn: FetchFn,
  cfg: MessengerConfig,
  psid: string,
  msg: OutboundMessage,
): Promise<SendResult> {
  const quickReplies = quickRepliesFor(msg.buttons);
  const result = await post(fetchFn, cfg, {
    recipient: { id: psid },
    messaging_type: "RESPONSE",
    message: { text: truncateText(msg.text, TEXT_MAX), ...(quickReplies ? { quick_replies: quickReplies } : {}) },
  });
  for (const a of msg.attachments ?? []) {
    const type = a.mimeType?.startsWith("image/")
      ? "image"
      : a.mimeType?.startsWith("video/")
        ? "video"
        : a.mimeType?.startsWith("audio/")
          ? "audio"
          : "file";
    await post(fetchFn, cfg, {
      recipient: { id: psid },
      messaging_type: "RESPONSE",
      message: { attachment: { type, payload: { url: a.url, is_reusable: false } } },
    });
  }
  return result;
}
