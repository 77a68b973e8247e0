/** Mails the self-service export link to the contact's address (plain text, like the code mail in ai/identify/mail.ts). */
import { EmailMessage } from "cloudflare:email";
import { newMessageId } from "../channels/email/send.ts";
import {
  encodeHeaderValue,
  foldAsciiHeader,
  formatAddress,
  quotedPrintable,
  rfc5322Date,
} from "../channels/email/mime.ts";

const header = (name: string, value: string): string => foldAsciiHeader(`${name}: ${value}`);

export function exportLinkMime(from: string, to: string, url: string, shopName: string, date = new Date()): string {
  const domain = from.split("@")[1] ?? "localhost";
  const body = [
    `You asked ${shopName} support for a copy of the data we hold about you.`,
    "",
    `Download it here (valid for 24 hours): ${url}`,
    "",
    "If you did not ask for it, ignore this email.",
    "",
  ].join("\n");
  return [
    header("From", formatAddress({ name: shopName, address: from }, "From: ".length)),
    header("To", formatAddress(to, "To: ".length)),
    header("Subject", encodeHeaderValue(`Your data from ${shopName}`, "Subject: ".length)),
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

export async function sendExportLinkEmail(env: Env, to: string, url: string, shopName: string): Promise<void> {
  const from = `no-reply@${new URL(env.PUBLIC_URL).hostname.replace(/^localhost$/, "localhost.test")}`;
  await env.EMAIL.send(new EmailMessage(from, to, exportLinkMime(from, to, url, shopName)));
}
