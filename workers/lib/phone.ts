/**
 * Phone-number normalisation to E.164, which cross-channel identity depends on (a WhatsApp
 * wa_id, a Telegram shared contact and a number typed in chat must meet as one string).
 * Parsing and the per-country rules (trunk prefixes, possible lengths) come from
 * libphonenumber-js with its compact metadata; a number is accepted when its length is
 * possible for its country (not checked against number ranges, so test numbers such as
 * +1 555 … pass). Used by the router and by channels.
 */
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * Normalise a phone number to E.164 (`+972501234567`), or null when it cannot be done
 * unambiguously. `defaultCountry` is an ISO 3166 alpha-2 code used for national numbers.
 * Without one, only international input (+CC…, 00CC…) and Israeli mobiles (05X-XXX-XXXX:
 * Lev Haolam is Israeli, and 05 + 8 digits is no valid national form in NANP) are read.
 *
 * normalizePhone("050-123-4567") → "+972501234567"
 * normalizePhone("+1 (555) 123-4567") → "+15551234567"
 * normalizePhone("(555) 123-4567", "US") → "+15551234567"
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  const trimmed = raw.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed) || !/\d/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, "");
  const international = trimmed.startsWith("+") ? `+${digits}` : digits.startsWith("00") ? `+${digits.slice(2)}` : null;
  if (international) return possible(international);

  const country = defaultCountry?.toUpperCase();
  if (country === undefined || !isSupportedCountry(country)) {
    if (/^05\d{8}$/.test(digits)) return `+972${digits.slice(1)}`;
    if (/^9725\d{8}$/.test(digits)) return `+${digits}`;
    return null;
  }
  const national = parsePhoneNumberFromString(digits, country);
  if (national?.isPossible()) return national.number;
  // Already written with the country code but without "+" (e.g. WhatsApp "972501234567").
  const code = getCountryCallingCode(country);
  return digits.startsWith(code) ? possible(`+${digits}`, code) : null;
}

/** E.164 of an international number whose length is possible (optionally for one calling code). */
function possible(international: string, callingCode?: string): string | null {
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed?.isPossible()) return null;
  if (callingCode !== undefined && parsed.countryCallingCode !== callingCode) return null;
  return parsed.number;
}
