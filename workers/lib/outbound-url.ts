/**
 * One policy for every request this platform makes to a URL that someone else chose: the
 * site crawler, Messenger media downloads, and (later) HTTP flow nodes and outgoing
 * webhooks. Without it a workspace admin, a customer or a compromised site can make the
 * server fetch 127.0.0.1, the cloud metadata service or the office network.
 *
 * `checkOutboundUrl` refuses non-HTTP(S) URLs, credentials in URLs, internal host names
 * (localhost, *.internal, metadata.google.internal, single-label names…) and every IP
 * range except public unicast (ipaddr.js classifies: loopback, private, link-local,
 * CGNAT, multicast, reserved, IPv6 ULA/link-local, and the IPv4-embedding forms mapped,
 * NAT64, 6to4 and Teredo). Address encodings are resolved first by the WHATWG URL parser
 * (decimal `2130706433`, hex `0x7f.1`, octal `0177.0.0.1`, short `127.1`, trailing dots,
 * `[::ffff:127.0.0.1]`), so the check always sees the address that would be connected to.
 *
 * `safeFetch` follows redirects by hand (each hop checked again), stops after
 * `maxRedirects`, aborts after `timeoutMs`, and streams the body with a byte cap.
 *
 * Host names are not resolved here (Workers have no DNS API): on Cloudflare, outbound
 * requests leave from Cloudflare's network and cannot reach a private network behind it.
 * `allowLoopback` exists for `wrangler dev` and tests only (loopback listeners), never
 * private ranges.
 */
import ipaddr from "ipaddr.js";

export class OutboundUrlError extends Error {
  override readonly name = "OutboundUrlError";
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

export type OutboundCheck = { ok: true; url: URL } | { ok: false; reason: string };

const BLOCKED_NAMES = new Set([
  "localhost",
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "kubernetes.default",
]);
const BLOCKED_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet"];

function isLoopbackName(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost");
}

/** Why an IP address literal may not be fetched, or null when it may. */
function addressProblem(literal: string, allowLoopback: boolean): string | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(literal);
  } catch {
    return "unparseable address";
  }
  if (addr instanceof ipaddr.IPv6 && addr.isIPv4MappedAddress()) addr = addr.toIPv4Address();
  const range = addr.range();
  if (range === "unicast") return null;
  if (range === "loopback" && allowLoopback) return null;
  return `${range} address ${addr.toString()}`;
}

/** Whether `url` may be fetched under the outbound policy; the parsed URL when it may. */
export function checkOutboundUrl(url: string, opts: { allowLoopback: boolean }): OutboundCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return { ok: false, reason: `scheme ${parsed.protocol} is not allowed (http and https only)` };
  if (parsed.username !== "" || parsed.password !== "")
    return { ok: false, reason: "URLs with credentials are not allowed" };
  const host = parsed.hostname.toLowerCase().replace(/\.+$/, "");
  if (host === "") return { ok: false, reason: "no host" };
  if (host.startsWith("[") && host.endsWith("]")) {
    const problem = addressProblem(host.slice(1, -1), opts.allowLoopback);
    return problem === null ? { ok: true, url: parsed } : { ok: false, reason: `refused: ${problem}` };
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
    const problem = addressProblem(host, opts.allowLoopback);
    return problem === null ? { ok: true, url: parsed } : { ok: false, reason: `refused: ${problem}` };
  }
  if (isLoopbackName(host)) {
    return opts.allowLoopback ? { ok: true, url: parsed } : { ok: false, reason: `refused: internal host ${host}` };
  }
  if (BLOCKED_NAMES.has(host) || BLOCKED_SUFFIXES.some((s) => host.endsWith(s)))
    return { ok: false, reason: `refused: internal host ${host}` };
  if (!host.includes(".")) return { ok: false, reason: `refused: single-label host ${host}` };
  // The URL parser turns every numeric host into a dotted quad; anything left that still
  // parses as an address (an odd engine) is checked as one rather than trusted as a name.
  if (ipaddr.isValid(host)) {
    const problem = addressProblem(host, opts.allowLoopback);
    if (problem !== null) return { ok: false, reason: `refused: ${problem}` };
  }
  return { ok: true, url: parsed };
}

export interface SafeFetchOptions {
  allowLoopback: boolean;
  maxBytes: number;
  /** Redirect hops followed (default 5); each hop is checked like the first URL. */
  maxRedirects?: number;
  /** Whole request including the body (default 15 s). */
  timeoutMs?: number;
  /** Refuse redirects that leave the first URL's origin (the crawler). */
  sameOriginRedirects?: boolean;
  /** The fetch to use (tests inject one); defaults to the global fetch at call time. */
  fetchFn?: (input: string, init?: RequestInit) => Promise<Response>;
}

export interface SafeFetchResult {
  status: number;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
  finalUrl: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches `url` under the outbound policy. Throws OutboundUrlError for a refused URL or
 * hop, too many redirects, a body over `maxBytes`, or the timeout; network errors of the
 * fetch itself propagate as they are.
 */
export async function safeFetch(url: string, init: RequestInit, opts: SafeFetchOptions): Promise<SafeFetchResult> {
  const maxRedirects = opts.maxRedirects ?? 5;
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 15_000);
  const doFetch = opts.fetchFn ?? ((u: string, i?: RequestInit) => fetch(u, i));
  let current = url;
  let method = (init.method ?? "GET").toUpperCase();
  let body = init.body;
  let origin: string | null = null;
  for (let hop = 0; ; hop++) {
    const check = checkOutboundUrl(current, { allowLoopback: opts.allowLoopback });
    if (!check.ok) throw new OutboundUrlError(hop === 0 ? check.reason : `redirect ${check.reason}`);
    origin ??= check.url.origin;
    if (opts.sameOriginRedirects && check.url.origin !== origin) throw new OutboundUrlError("redirected off-site");
    let res: Response;
    try {
      res = await doFetch(check.url.href, { ...init, method, body, redirect: "manual", signal });
    } catch (err) {
      if (signal.aborted) throw new OutboundUrlError("timed out");
      throw err;
    }
    if (REDIRECTS.has(res.status)) {
      await res.body?.cancel();
      const location = res.headers.get("location");
      if (location === null) throw new OutboundUrlError(`HTTP ${res.status} without a Location`);
      if (hop >= maxRedirects) throw new OutboundUrlError(`more than ${maxRedirects} redirects`);
      current = new URL(location, check.url).href;
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
      continue;
    }
    const declared = Number(res.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      await res.body?.cancel();
      throw new OutboundUrlError(`response larger than ${opts.maxBytes} bytes`);
    }
    try {
      return {
        status: res.status,
        headers: res.headers,
        body: await readCapped(res, opts.maxBytes),
        finalUrl: current,
      };
    } catch (err) {
      if (signal.aborted && !(err instanceof OutboundUrlError)) throw new OutboundUrlError("timed out");
      throw err;
    }
  }
}

/** Reads a body, giving up as soon as it passes `maxBytes` (never buffers more). */
async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (res.body === null) return new Uint8Array(0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new OutboundUrlError(`response larger than ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
