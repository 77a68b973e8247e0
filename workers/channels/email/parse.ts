/**
 * Raw RFC 5322 email → InboundMessage (Email Workers hand us the raw MIME). Parsing is
 * done by postal-mime; this module adds threading, quote stripping, HTML reduction and
 * loop-protection flags.
 */
import PostalMime from "postal-mime";
import type { Address, Attachment, Email } from "postal-mime";
import type { InboundAttachment, InboundMessage } from "../types.ts";
import { bytesToHex } from "../common/crypto.ts";
import { WebhookParseError } from "../common/errors.ts";
import { isAutoReply, isBounce, type HeaderGetter } from "./flags.ts";
import { htmlToText } from "./html-to-text.ts";
import { stripQuotedHtml, stripQuotedText } from "./quotes.ts";
import { emailThreadKey, parseMessageIds } from "./thread.ts";

/** Options for deterministic parsing. */
export interface ParseEmailOptions {
  /** Clock used when the Date header is missing or unparseable. */
  now?: () => number;
}

function firstMailbox(addr: Address | undefined): { name: string; address: string } | undefined {
  if (!addr) return undefined;
  if (addr.address !== undefined) return { name: addr.name, address: addr.address };
  return addr.group?.[0];
}

function toBytes(content: Attachment["content"]): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function attachmentKind(mimeType: string): InboundAttachment["kind"] {
  if (mimeType.startsWith("image/")) return "image";
  if (mimeType.startsWith("audio/")) return "audio";
  if (mimeType.startsWith("video/")) return "video";
  return "file";
}

function toAttachments(parts: Attachment[]): InboundAttachment[] {
  return parts.map((part, index) => {
    const content = toBytes(part.content);
    return {
      kind: attachmentKind(part.mimeType),
      // The part index is the only stable reference an email attachment has.
      providerRef: String(index),
      mimeType: part.mimeType,
      ...(part.filename ? { fileName: part.filename } : {}),
      size: content.length,
      content,
    };
  });
}

/** The customer's words: plain part preferred (quote markers survive there), else reduced HTML. */
function bodyText(email: Email): string {
  if (email.text && email.text.trim().length > 0) return stripQuotedText(email.text);
  if (email.html) return stripQuotedText(htmlToText(stripQuotedHtml(email.html)));
  return "";
}

async function syntheticMessageId(raw: Uint8Array | string): Promise<string> {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : new Uint8Array(raw);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  // Same bytes → same id, so a redelivered message without Message-ID still dedupes.
  return `<${bytesToHex(new Uint8Array(digest)).slice(0, 32)}@omnisupport.invalid>`;
}

/**
 * Parse one raw email. Throws WebhookParseError (channel "email") when postal-mime
 * cannot read it at all; a message without Message-ID gets a content-derived one.
 */
export async function parseEmail(raw: Uint8Array | string, options: ParseEmailOptions = {}): Promise<InboundMessage> {
  let email: Email;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
  } catch (err) {
    throw new WebhookParseError(
      "email",
      "invalid_mime",
      `email could not be parsed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const get: HeaderGetter = (name) => email.headers.find((h) => h.key === name)?.value;
  const from = firstMailbox(email.from) ?? firstMailbox(email.sender);
  const address = from?.address.toLowerCase();
  const messageId = parseMessageIds(email.messageId)[0] ?? (await syntheticMessageId(raw));
  const references = parseMessageIds(email.references);
  const inReplyTo = parseMessageIds(email.inReplyTo)[0];
  const threadKey = emailThreadKey({ messageId, inReplyTo, references }) ?? messageId;
  const date = email.date ? Date.parse(email.date) : Number.NaN;
  const autoReply = isAutoReply(get, email.subject);
  const bounce = isBounce(get, address);
  return {
    channel: "email",
    channelMessageId: messageId,
    threadKey,
    sender: {
      externalId: address ?? "unknown",
      ...(address ? { email: address } : {}),
      ...(from?.name ? { name: from.name } : {}),
    },
    text: bodyText(email),
    attachments: toAttachments(email.attachments),
    sentAt: Number.isNaN(date) ? (options.now ?? Date.now)() : date,
    ...(inReplyTo ? { replyToChannelMessageId: inReplyTo } : {}),
    email: {
      ...(email.subject !== undefined ? { subject: email.subject } : {}),
      messageId,
      ...(inReplyTo ? { inReplyTo } : {}),
      references,
      autoReply,
      bounce,
    },
  };
}

/** False for auto-replies and bounces (answering them risks mail loops) and sender-less mail. */
export function shouldAnswerEmail(msg: InboundMessage): boolean {
  if (msg.channel !== "email") return true;
  if (msg.email?.autoReply || msg.email?.bounce) return false;
  return msg.sender.email !== undefined;
}
