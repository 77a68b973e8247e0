/**
 * WhatsApp Cloud API sender (Graph API): text, reply-button and list messages, template
 * messages for outside the 24-hour window, and media download for inbound attachments.
 */
import { z } from "zod";
import type { OutboundMessage } from "../types.ts";
import { ChannelSendError } from "../common/errors.ts";
import { GRAPH_API_BASE, GRAPH_API_VERSION, graphSendError } from "../common/graph.ts";
import { readJsonBody, type FetchFn } from "../common/http.ts";
import { truncateText } from "../common/text.ts";

export { isWithinCustomerServiceWindow } from "./window.ts";

/** Credentials of one WhatsApp business phone number. */
export interface WhatsAppConfig {
  /** System-user or permanent access token. */
  token: string;
  phoneNumberId: string;
  apiBase?: string;
  apiVersion?: string;
  /** Clock for Retry-After dates; defaults to Date.now. */
  now?: () => number;
}

/** Result of a successful send. */
export interface SendResult {
  ok: true;
  /** The `wamid` that later statuses refer to. */
  providerMessageId: string;
}

/** A pre-approved template, required outside the customer-service window. */
export interface WhatsAppTemplate {
  name: string;
  /** e.g. `en_US`, `ru`. */
  languageCode: string;
  /** Graph `components` array (header/body parameters, button payloads), passed through. */
  components?: unknown[];
}

const SendResponse = z.object({ messages: z.array(z.object({ id: z.string() })).min(1) });
const MediaInfo = z.object({ url: z.string(), mime_type: z.string().optional(), file_size: z.number().optional() });

/** Cloud API limits: 3 reply buttons (title ≤ 20), list of ≤ 10 rows (title ≤ 24), body ≤ 1024/4096. */
const MAX_REPLY_BUTTONS = 3;
const MAX_LIST_ROWS = 10;
const BUTTON_TITLE_MAX = 20;
const ROW_TITLE_MAX = 24;
const INTERACTIVE_BODY_MAX = 1024;
const TEXT_BODY_MAX = 4096;

function base(cfg: WhatsAppConfig): string {
  return `${cfg.apiBase ?? GRAPH_API_BASE}/${cfg.apiVersion ?? GRAPH_API_VERSION}`;
}

async function graphPost(fetchFn: FetchFn, cfg: WhatsAppConfig, body: Record<string, unknown>): Promise<SendResult> {
  const res = await fetchFn(`${base(cfg)}/${cfg.phoneNumberId}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${cfg.token}`, "content-type": "application/json" },
    body: JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", ...body }),
  });
  const json = await readJsonBody(res);
  if (!res.ok) throw graphSendError("whatsapp", res, json, (cfg.now ?? Date.now)());
  const parsed = SendResponse.safeParse(json);
  if (!parsed.success)
    throw new ChannelSendError("whatsapp send returned no message id", {
      channel: "whatsapp",
      status: res.status,
      retryable: false,
    });
  const first = parsed.data.messages[0];
  if (!first)
    throw new ChannelSendError("whatsapp send returned no message id", {
      channel: "whatsapp",
      status: res.status,
      retryable: false,
    });
  return { ok: true, providerMessageId: first.id };
}

/** Build the Graph `interactive` object: reply buttons for ≤ 3 options, a list for ≤ 10. */
export function interactiveFor(
  text: string,
  buttons: NonNullable<OutboundMessage["buttons"]>,
): Record<string, unknown> {
  const body = { text: truncateText(text || " ", INTERACTIVE_BODY_MAX) };
  if (buttons.length <= MAX_REPLY_BUTTONS) {
    return {
      type: "button",
      body,
      action: {
        buttons: buttons.map((b) => ({
          type: "reply",
          reply: { id: b.payload, title: truncateText(b.title, BUTTON_TITLE_MAX) },
        })),
      },
    };
  }
  if (buttons.length > MAX_LIST_ROWS) {
    throw new ChannelSendError(`whatsapp supports at most ${MAX_LIST_ROWS} options`, {
      channel: "whatsapp",
      status: 0,
      code: "too_many_buttons",
      retryable: false,
    });
  }
  return {
    type: "list",
    body,
    action: {
      button: "Choose",
      sections: [{ rows: buttons.map((b) => ({ id: b.payload, title: truncateText(b.title, ROW_TITLE_MAX) })) }],
    },
  };
}

/**
 * Send a free-form message to `to` (wa_id / E.164 digits). Only valid inside the 24-hour
 * window (see isWithinCustomerServiceWindow); outside it use whatsappSendTemplate.
 * Attachments follow as separate media messages by link.
 */
export async function whatsappSend(
  fetchFn: FetchFn,
  cfg: WhatsAppConfig,
  to: string,
  msg: OutboundMessage,
): Promise<SendResult> {
  const recipient = to.replace(/^\+/, "");
  const context = msg.replyToChannelMessageId ? { context: { message_id: msg.replyToChannelMessageId } } : {};
  const content =
    msg.buttons && msg.buttons.length > 0
      ? { type: "interactive", interactive: interactiveFor(msg.text, msg.buttons) }
      : { type: "text", text: { body: truncateText(msg.text, TEXT_BODY_MAX), preview_url: false } };
  const result = await graphPost(fetchFn, cfg, { to: recipient, ...context, ...content });
  for (const a of msg.attachments ?? []) {
    const kind = a.mimeType?.startsWith("image/")
      ? "image"
      : a.mimeType?.startsWith("video/")
        ? "video"
        : a.mimeType?.startsWith("audio/")
          ? "audio"
          : "document";
    const media = { link: a.url, ...(kind === "document" && a.fileName ? { filename: a.fileName } : {}) };
    await graphPost(fetchFn, cfg, { to: recipient, type: kind, [kind]: media });
  }
  return result;
}

/** Send an approved template (the only thing allowed outside the customer-service window). */
export function whatsappSendTemplate(
  fetchFn: FetchFn,
  cfg: WhatsAppConfig,
  to: string,
  template: WhatsAppTemplate,
): Promise<SendResult> {
  return graphPost(fetchFn, cfg, {
    to: to.replace(/^\+/, ""),
    type: "template",
    template: {
      name: template.name,
      language: { code: template.languageCode },
      ...(template.components ? { components: template.components } : {}),
    },
  });
}

/** Downloaded inbound media. */
export interface DownloadedMedia {
  bytes: Uint8Array;
  mimeType?: string;
}

/**
 * Fetch an inbound attachment: GET the media id for a short-lived URL, then GET that URL.
 * Both calls need the bearer token (the CDN URL is not public).
 */
export async function downloadWhatsAppMedia(
  fetchFn: FetchFn,
  cfg: WhatsAppConfig,
  mediaId: string,
): Promise<DownloadedMedia> {
  const auth = { authorization: `Bearer ${cfg.token}` };
  const infoRes = await fetchFn(`${base(cfg)}/${encodeURIComponent(mediaId)}`, { method: "GET", headers: auth });
  const infoJson = await readJsonBody(infoRes);
  if (!infoRes.ok) throw graphSendError("whatsapp", infoRes, infoJson, (cfg.now ?? Date.now)());
  const info = MediaInfo.safeParse(infoJson);
  if (!info.success)
    throw new ChannelSendError("whatsapp media lookup returned no url", {
      channel: "whatsapp",
      status: infoRes.status,
      retryable: false,
    });
  const fileRes = await fetchFn(info.data.url, { method: "GET", headers: auth });
  if (!fileRes.ok) throw graphSendError("whatsapp", fileRes, undefined, (cfg.now ?? Date.now)());
  const bytes = new Uint8Array(await fileRes.arrayBuffer());
  return { bytes, ...(info.data.mime_type ? { mimeType: info.data.mime_type } : {}) };
}
