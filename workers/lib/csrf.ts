/**
 * CSRF policy for cookie-authenticated requests (issue 21, item 13). SameSite=Strict
 * already keeps the cookie off cross-site requests in current browsers; this is the
 * second, browser-independent layer: an unsafe request must carry the custom header
 * (workers/protocol/session.ts), and when the browser says where it comes from
 * (Origin, Sec-Fetch-Site) that must be this deployment. Bearer requests are not
 * subject to it: a browser never attaches an Authorization header on its own.
 */
import { CSRF_HEADER, CSRF_VALUE } from "../protocol/session.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CsrfRefusal {
  reason: "missing_header" | "foreign_origin" | "cross_site";
  message: string;
}

/**
 * Why a cookie-authenticated request must be refused, or null when it may proceed.
 * `allowedOrigins`: the request's own origin and the configured dashboard origin.
 */
export function csrfRefusal(method: string, headers: Headers, allowedOrigins: readonly string[]): CsrfRefusal | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  if (headers.get(CSRF_HEADER)?.trim().toLowerCase() !== CSRF_VALUE)
    return { reason: "missing_header", message: `A browser request that changes data must send ${CSRF_HEADER}` };
  const origin = headers.get("origin");
  // "null" (sandboxed frames, some redirects) is a foreign origin, not an absent one.
  if (origin !== null && !allowedOrigins.includes(origin.toLowerCase()))
    return { reason: "foreign_origin", message: "This request comes from another site" };
  // A sibling subdomain ("same-site") is judged by Origin above; another site never passes.
  if (headers.get("sec-fetch-site") === "cross-site")
    return { reason: "cross_site", message: "This request comes from another site" };
  return null;
}

/** Origins a cookie-authenticated request may come from: this request's own and PUBLIC_URL's. */
export function allowedOrigins(requestUrl: string, publicUrl: string): string[] {
  const own = new URL(requestUrl).origin.toLowerCase();
  const out = [own];
  try {
    if (publicUrl) out.push(new URL(publicUrl).origin.toLowerCase());
  } catch {
    // an unparsable PUBLIC_URL adds nothing
  }
  return out;
}
