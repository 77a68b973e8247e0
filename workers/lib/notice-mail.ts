/**
 * Short plain-text notices to operators and addresses (login unlock links, inbox address
 * verification codes) through the `send_email` binding. Locally wrangler writes each
 * message to a .eml file and logs its path, so the flow works offline.
 */
import { EmailMessage } from "cloudflare:email";
import { newMessageId } from "../channels/email/send.ts";

/** The sender: no-reply at this deployment's host (`localhost.test` locally, a valid domain). */
export function noticeSender(publicUrl: string): string {
  const host = new URL(publicUrl).hostname.replace(/^localhost$/, "localhost.test");
  return `no-reply@${host}`;
}

/** The RFC 822 text of a notice (pure, for tests). Header values are stripped of line breaks. */
export function noticeMime(from: string, to: string, subject: string, body: string): string {
  const oneLine = (v: string) => v.replace(/[\r\n]+/g, " ");
  const domain = from.split("@")[1] ?? "localhost";
  return [
    `From: OmniSupport <${oneLine(from)}>`,
    `To: <${oneLine(to)}>`,
    `Subject: ${oneLine(subject)}`,
    `Message-ID: ${newMessageId(domain)}`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="utf-8"',
    "Auto-Submitted: auto-generated",
    "",
    body.replace(/\r?\n/g, "\r\n"),
    "",
  ].join("\r\n");
}

export async function sendNoticeEmail(env: Env, to: string, subject: string, body: string): Promise<void> {
  const from = noticeSender(env.PUBLIC_URL);
  await env.EMAIL.send(new EmailMessage(from, to, noticeMime(from, to, subject, body)));
}
