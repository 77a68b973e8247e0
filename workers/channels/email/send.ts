/**
 * Outbound email: a threaded RFC 5322 reply for the Workers `send_email` binding (which
 * takes raw MIME via `new EmailMessage(from, to, raw)` from "cloudflare:email"), and the
 * interface an HTTP email provider adapter implements instead.
 */
import { base64Body, encodeHeaderValue, foldAsciiHeader, formatAddress, quotedPrintable, rfc5322Date } from "./mime.ts";
import { parseMessageIds } from "./thread.ts";

/** A mailbox: bare address or display name + address. */
export type MailAddress = string | { name?: string; address: string };

/** Inputs of a threaded reply. */
export interface ReplyMimeInput {
  from: MailAddress;
  to: MailAddress;
  /** Subject of the message being answered; "Re: " is added once. */
  subject: string;
  text: string;
  /** Message-ID we reply to (angle brackets optional). */
  inReplyTo?: string;
  /** That message's References chain. */
  references?: string[];
  /** Our new Message-ID, e.g. from newMessageId(). */
  messageId: string;
  date?: Date;
  /** Body transfer encoding; quoted-printable keeps mostly-ASCII text readable in raw form. */
  transferEncoding?: "quoted-printable" | "base64";
  /**
   * Set for replies written by the AI without an operator: adds RFC 3834
   * `Auto-Submitted: auto-replied` so other autoresponders do not answer back.
   */
  autoSubmitted?: boolean;
}

/** Generate a unique Message-ID on our domain. */
export function newMessageId(domain: string): string {
  return `<${crypto.randomUUID()}@${domain}>`;
}

/** Subject with exactly one leading "Re: ", however many Re/RE/Aw/Ответ prefixes it had. */
export function replySubject(subject: string): string {
  const base = subject.replace(/^\s*((re|aw|sv|fw|ответ)\s*(\[\d+\])?\s*:\s*)+/i, "").trim();
  return `Re: ${base}`;
}

/** In-Reply-To and References for a reply: the parent's chain plus the parent itself. */
export function replyThreadingHeaders(
  inReplyTo: string | undefined,
  references: string[] = [],
): { inReplyTo?: string; references: string[] } {
  const parent = parseMessageIds(inReplyTo)[0];
  const chain = references.flatMap((r) => parseMessageIds(r));
  if (parent && chain.at(-1) !== parent) chain.push(parent);
  return { ...(parent ? { inReplyTo: parent } : {}), references: chain };
}

function headerLine(name: string, value: string): string {
  return foldAsciiHeader(`${name}: ${value}`);
}

/**
 * Build a complete RFC 5322 / MIME text reply with CRLF line endings: UTF-8 body in
 * quoted-printable (or base64), RFC 2047 headers when non-ASCII, and threading headers
 * so the customer's client files it under the original conversation.
 */
export function buildReplyMime(input: ReplyMimeInput): string {
  const threading = replyThreadingHeaders(input.inReplyTo, input.references);
  const encoding = input.transferEncoding ?? "quoted-printable";
  const messageId = parseMessageIds(input.messageId)[0] ?? input.messageId;
  const headers = [
    headerLine("From", formatAddress(input.from, "From: ".length)),
    headerLine("To", formatAddress(input.to, "To: ".length)),
    headerLine("Subject", encodeHeaderValue(replySubject(input.subject), "Subject: ".length)),
    headerLine("Date", rfc5322Date(input.date ?? new Date())),
    headerLine("Message-ID", messageId),
    ...(threading.inReplyTo ? [headerLine("In-Reply-To", threading.inReplyTo)] : []),
    // One id per folded line keeps long chains under the 998-char line limit.
    ...(threading.references.length > 0 ? [headerLine("References", threading.references.join("\r\n "))] : []),
    ...(input.autoSubmitted ? [headerLine("Auto-Submitted", "auto-replied")] : []),
    headerLine("MIME-Version", "1.0"),
    headerLine("Content-Type", 'text/plain; charset="utf-8"'),
    headerLine("Content-Transfer-Encoding", encoding),
  ];
  const body = encoding === "base64" ? base64Body(input.text) : quotedPrintable(input.text);
  return `${headers.join("\r\n")}\r\n\r\n${body}\r\n`;
}

/** What an HTTP email API (Postmark, SES, Resend…) adapter receives. */
export interface EmailHttpMessage {
  from: MailAddress;
  to: MailAddress;
  subject: string;
  text: string;
  /** Threading and loop-protection headers to pass through verbatim. */
  headers: Record<string, string>;
}

/** Build the provider-agnostic message for an HTTP provider from the same reply inputs. */
export function buildHttpReply(input: Omit<ReplyMimeInput, "date" | "transferEncoding">): EmailHttpMessage {
  const threading = replyThreadingHeaders(input.inReplyTo, input.references);
  return {
    from: input.from,
    to: input.to,
    subject: replySubject(input.subject),
    text: input.text,
    headers: {
      "Message-ID": parseMessageIds(input.messageId)[0] ?? input.messageId,
      ...(threading.inReplyTo ? { "In-Reply-To": threading.inReplyTo } : {}),
      ...(threading.references.length > 0 ? { References: threading.references.join(" ") } : {}),
      ...(input.autoSubmitted ? { "Auto-Submitted": "auto-replied" } : {}),
    },
  };
}
