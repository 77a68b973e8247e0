/**
 * Provider phone numbers → E.164. WhatsApp wa_id and Telegram's shared contact carry the
 * country code but often no "+", which workers/lib/phone.ts would read as a national
 * number; we add the "+" first and let the shared normaliser validate.
 */
import { normalizePhone } from "../../lib/phone.ts";

/** E.164 for a provider number that already includes its country code; undefined when invalid. */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  const international = trimmed.startsWith("+") || trimmed.startsWith("00") ? trimmed : `+${trimmed}`;
  return normalizePhone(international) ?? undefined;
}
