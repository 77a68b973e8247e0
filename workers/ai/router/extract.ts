/**
 * Extraction of contact and order identifiers from free text: e-mail, phone (E.164 via
 * workers/lib/phone.ts) and order number ("#12345", "order 12345", "LH-12345", and the
 * words for "order" in ru/he/es/fr).
 */
import { normalizePhone } from "../../lib/phone.ts";

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
const LH_ORDER = /(?<![\p{L}\p{N}])LH[-\s]?(\d{3,})(?!\p{N})/iu;
const WORD_ORDER =
  /(?:order|purchase|заказ\p{L}*|הזמנה|הזמנת|pedido|compra|commande)\s*(?:number|num\.?|no\.?|nr\.?|n°|№|#|номер|מספר|número|numéro)?\s*[:#№]?\s*(\d{4,})(?!\p{N})/iu;
const HASH_ORDER = /[#№]\s?(\d{4,})(?!\p{N})/u;
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+])(?:\+|00)?\d[\d\s().\-/]{5,18}\d(?![\p{L}\p{N}])/gu;

/** First e-mail address in the text, or null. */
export function extractEmail(text: string): string | null {
  return text.match(EMAIL)?.[0] ?? null;
}

/** First order number: "LH-12345" keeps its prefix, other forms return the digits. */
export function extractOrderNumber(text: string): string | null {
  const lh = text.match(LH_ORDER);
  if (lh?.[1]) return `LH-${lh[1]}`;
  return text.match(WORD_ORDER)?.[1] ?? text.match(HASH_ORDER)?.[1] ?? null;
}

/**
 * First phone number that normalises to E.164. Digits that belong to the order number or
 * an e-mail are skipped so "order 0501234567" is not read as a phone.
 */
export function extractPhone(text: string, defaultCountry?: string): string | null {
  const order = extractOrderNumber(text)?.replace(/\D/g, "") ?? null;
  const email = extractEmail(text);
  const scrubbed = email ? text.replace(email, " ") : text;
  for (const m of scrubbed.matchAll(PHONE_CANDIDATE)) {
    const raw = m[0];
    if (order && raw.replace(/\D/g, "") === order) continue;
    const phone = normalizePhone(raw, defaultCountry);
    if (phone) return phone;
  }
  return null;
}
