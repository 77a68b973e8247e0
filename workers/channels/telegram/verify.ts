/**
 * Telegram webhook authentication. Telegram does not sign bodies; it echoes the
 * `secret_token` given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`.
 */
import { timingSafeEqual, utf8 } from "../common/crypto.ts";

/** Header Telegram uses to echo the webhook secret. */
export const TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

/** True when the secret header equals `expectedSecret` (constant time); missing header or empty secret → false. */
export function verifyTelegram(headers: Headers, expectedSecret: string): boolean {
  const given = headers.get(TELEGRAM_SECRET_HEADER);
  if (given === null || expectedSecret.length === 0) return false;
  return timingSafeEqual(utf8(given), utf8(expectedSecret));
}
