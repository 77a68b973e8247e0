/**
 * Splits message text into plain runs and links, for the widget and the dashboard:
 * web addresses and parcel tracking numbers become links (a tracking number opens the
 * carrier's tracking page, the same URL the shop tools give). Returns segments, never
 * HTML, so the renderers keep escaping text as usual and only http(s) links are made.
 */
import { trackingUrl } from "../commerce/types.ts";

export type Segment = { text: string; href?: string };

/**
 * URLs; UPU S10 numbers (RR123456789IL: Israel Post and other posts); DHL Express "JD…"
 * and UPS "1Z…" numbers, as the demo store and real carriers issue them.
 */
const TOKEN = /\bhttps?:\/\/[^\s<>"'`]+|\b[A-Z]{2}\d{9}[A-Z]{2}\b|\bJD\d{9,18}\b|\b1Z[0-9A-Z]{9,16}\b/g;

function carrierOf(n: string): string {
  if (n.startsWith("JD")) return "DHL";
  if (n.startsWith("1Z")) return "UPS";
  if (n.endsWith("IL")) return "Israel Post";
  return "post";
}

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    let token = m[0];
    const start = m.index;
    if (/^https?:/i.test(token)) {
      // Sentence punctuation after a URL belongs to the sentence: "see https://x.test/a."
      token = token.replace(/[.,;:!?)\]}]+$/, "");
      if (!/^https?:\/\/[^/\s]/.test(token)) continue;
    }
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push({ text: token, href: /^https?:/i.test(token) ? token : trackingUrl(carrierOf(token), token) });
    last = start + token.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
