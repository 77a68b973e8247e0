/**
 * Sends a one-time code through the `send_email` binding. Locally, wrangler writes the
 * message to a .eml file and logs its path, which is how a developer reads the code.
 * Headers and body go through the email channel's MIME module (RFC 2047 words for a
 * non-ASCII shop name, quoted-printable UTF-8 body): hand-built headers sent a Hebrew
 * or Russian shop name raw in From and Subject (issue 17, bug 3).
 */
import { EmailMessage } from "cloudflare:email";
import { customerText } from "../../copy/customer.ts";
import { newMessageId } from "../../channels/email/send.ts";
import {
  encodeHeaderValue,
  foldAsciiHeader,
  formatAddress,
  quotedPrintable,
  rfc5322Date,
} from "../../channels/email/mime.ts";

const header = (name: string, value: string): string => foldAsciiHeader(`${name}: ${value}`);

/** The plain-text MIME message carrying a code, in the customer's language (workers/copy). */
export function codeMime(
  from: string,
  to: string,
  code: string,
  shopName: string,
  date = new Date(),
  language: string | null = null,
): string {
  const domain = from.split("@")[1] ?? "localhost";
  const body = `${customerText(language, "codeMailBody", { shop: shopName, code })}\n`;
  return [
    header("From", formatAddress({ name: shopName, address: from }, "From: ".length)),
    header("To", formatAddress(to, "To: ".length)),
    header("Subject", encodeHeaderValue(customerText(language, "codeMailSubject", { code }), "Subject: ".length)),
    header("Message-ID", newMessageId(domain)),
    header("Date", rfc5322Date(date)),
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="utf-8"',
    "Content-Transfer-Encoding: quoted-printable",
    "Auto-Submitted: auto-generated",
    "",
    quotedPrintable(body),
    "",
  ].join("\r\n");
}

/** Sends the code to `to`, worded in the customer's language. */
export async function sendCodeEmail(
  env: Env,
  to: string,
  code: string,
  shopName: string,
  language: string | null = null,
): Promise<void> {
  const from = `no-reply@${new URL(env.PUBLIC_URL).hostname.replace(/^localhost$/, "localhost.test")}`;
  await env.EMAIL.send(new EmailMessage(from, to, codeMime(from, to, code, shopName, new Date(), language)));
}
