/**
 * One-time codes that prove a customer owns the email on file: six random digits,
 * stored only as an HMAC (keyed with a server secret and bound to the conversation and
 * email, so a leaked table row cannot be brute-forced offline without the key), valid
 * for ten minutes and five attempts.
 */
import { hmacSha256, timingSafeEqualString, toHex } from "../../lib/encoding.ts";

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

/** Six uniformly random digits (rejection sampling avoids modulo bias). */
export function generateOtp(
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const buf = new Uint32Array(1);
  for (;;) {
    const bytes = random(new Uint8Array(4));
    buf[0] = (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
    const v = buf[0] ?? 0;
    if (v < 4_294_000_000) return String(v % 1_000_000).padStart(6, "0");
  }
}

/** HMAC of a code bound to the conversation and email. */
export async function hashOtp(code: string, conversationId: string, email: string, pepper: string): Promise<string> {
  return toHex(await hmacSha256(pepper, `${conversationId}\n${email.toLowerCase()}\n${code}`));
}

/** Constant-time check of a typed code against the stored hash. */
export async function otpMatches(
  code: string,
  storedHash: string,
  conversationId: string,
  email: string,
  pepper: string,
): Promise<boolean> {
  return timingSafeEqualString(await hashOtp(code, conversationId, email, pepper), storedHash);
}

/** The six digits of a message like "my code is 123 456", or null. */
export function extractOtp(text: string): string | null {
  const m = /(?<!\d)(\d{3})[\s-]?(\d{3})(?!\d)/.exec(text);
  return m ? `${m[1]}${m[2]}` : null;
}

/** "j***@example.com": enough for the customer to recognise, nothing more. */
export function maskEmail(email: string): string {
  const [user = "", domain = ""] = email.split("@");
  return `${user.slice(0, 1)}***@${domain}`;
}
