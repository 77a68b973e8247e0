/**
 * Outbound URL policy for requests the platform makes on a customer's behalf (flow HTTP
 * nodes, outgoing webhooks): http(s) only, no credentials in the URL, no private,
 * link-local, metadata or loopback targets, redirects re-checked hop by hop, a size cap
 * and a timeout. Loopback is allowed only when the caller says so (development, so local
 * receivers work). DNS names that resolve to private addresses cannot be caught here
 * (Workers has no resolver API); Cloudflare's egress does not route to private ranges.
 *
 * A minimal version written by the flows work; the security work owns this module's
 * final form and keeps this API.
 */

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function isLoopbackHost(host: string): boolean {
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]") return true;
  const v4 = ipv4(host);
  return v4 !== null && v4[0] === 127;
}

function isPrivateHost(host: string): boolean {
  if (host.endsWith(".internal") || host.endsWith(".local") || host === "metadata.google.internal") return true;
  const v4 = ipv4(host);
  if (v4) {
    const [a = 0, b = 0] = v4;
    return (
      a === 0 ||
      a === 10 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  if (host.startsWith("[")) {
    const h = host.slice(1, -1).toLowerCase();
    if (h === "::" || h.startsWith("fc") || h.startsWith("fd") || h.startsWith("fe8") || h.startsWith("fe9"))
      return true;
    if (h.startsWith("fea") || h.startsWith("feb")) return true;
    // IPv4-mapped (::ffff:10.0.0.1 or ::ffff:a00:1): refuse all, nobody needs them outbound.
    if (h.startsWith("::ffff:")) return true;
  }
  return false;
}

/** Whether the platform may send a request to `url`. */
export function checkOutboundUrl(url: string, opts: { allowLoopback: boolean }): UrlCheck {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, reason: "Not a valid URL" };
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return { ok: false, reason: "Only http and https URLs" };
  if (u.username || u.password) return { ok: false, reason: "Credentials in the URL are not allowed" };
  const host = u.hostname.toLowerCase();
  if (isLoopbackHost(host))
    return opts.allowLoopback ? { ok: true, url: u } : { ok: false, reason: "Loopback targets are not allowed" };
  if (isPrivateHost(host)) return { ok: false, reason: "Private or link-local targets are not allowed" };
  return { ok: true, url: u };
}

export class OutboundUrlError extends Error {
  override readonly name = "OutboundUrlError";
}

/**
 * Fetches `url` under the policy: every redirect hop is checked, the body is read up to
 * `maxBytes` (more is an error), the whole exchange is bounded by `timeoutMs`.
 * @throws OutboundUrlError on a refused URL, too many redirects or an oversized body; the
 * fetch's own error (network, timeout) otherwise.
 */
export async function safeFetch(
  url: string,
  init: RequestInit,
  opts: { allowLoopback: boolean; maxBytes: number; maxRedirects?: number; timeoutMs?: number },
): Promise<{ status: number; headers: Headers; body: Uint8Array; finalUrl: string }> {
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  let current = url;
  for (let hop = 0; hop <= (opts.maxRedirects ?? 3); hop++) {
    const check = checkOutboundUrl(current, { allowLoopback: opts.allowLoopback });
    if (!check.ok) throw new OutboundUrlError(check.reason);
    const res = await fetch(check.url.toString(), { ...init, redirect: "manual", signal });
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      current = new URL(location, check.url).toString();
      continue;
    }
    const body = await readCapped(res, opts.maxBytes);
    return { status: res.status, headers: res.headers, body, finalUrl: check.url.toString() };
  }
  throw new OutboundUrlError("Too many redirects");
}

async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new OutboundUrlError(`Response larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}
