/**
 * The caller's network address, for rate limits and lockouts.
 *
 * Only `CF-Connecting-IP` is trusted: Cloudflare sets it on every request that reaches a
 * Worker and overwrites any value the client sent, so it cannot be forged from outside.
 * `X-Forwarded-For`, `X-Real-IP` and friends are client-controlled and never read. Locally
 * (`wrangler dev`, tests) the header may be absent; every such request then shares one
 * bucket, "local", which is fine on a developer's machine.
 */
export function clientAddress(headers: Headers): string {
  const ip = headers.get("cf-connecting-ip")?.trim();
  return ip && ip.length <= 64 ? ip.toLowerCase() : "local";
}
