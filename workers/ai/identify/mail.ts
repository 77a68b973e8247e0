/**
 * Sends a one-time code through the `send_email` binding. Locally, wrangler writes the
 * message to a .eml file and logs its path, which is how a developer reads the code.
 */
import { EmailMessage } from "cloudflare:email";
import { newMessageId } from "../../channels/email/send.ts";

/** The plain-text MIME message carrying a code. */
export function codeMime(from: string, to: string, code: string, shopName: string): string {
  const domain = from.split("@")[1] ?? "localhost";
  return [
    `From: ${shopName} <${from}>`,
    `To: <${to}>`,
    `Subject: Your verification code: ${code}`,
    `Message-ID: ${newMessageId(domain)}`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="utf-8"',
    "Auto-Submitted: auto-generated",
    "",
    `Your ${shopName} support verification code is ${code}.`,
    "",
    "It is valid for 10 minutes. If you did not ask for it, ignore this email.",
    "",
  ].join("\r\n");
}

/** Sends the code to `to`. */
export async function sendCodeEmail(env: Env, to: string, code: string, shopName: string): Promise<void> {
  const from = `no-reply@${new URL(env.PUBLIC_URL).hostname.replace(/^localhost$/, "localhost.test")}`;
  await env.EMAIL.send(new EmailMessage(from, to, codeMime(from, to, code, shopName)));
}
