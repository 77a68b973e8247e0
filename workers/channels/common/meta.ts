/**
 * Meta webhook authentication, shared by WhatsApp Cloud API and Messenger: the POST body
 * is signed with the app secret (`X-Hub-Signature-256: sha256=<hex>`), and the endpoint
 * is proven with a GET `hub.challenge` handshake using our own verify token.
 */
import { hexToBytes, hmacBytes, timingSafeEqual, utf8 } from "./crypto.ts";

async function verifyPrefixed(
  prefix: "sha256=" | "sha1=",
  rawBody: Uint8Array,
  header: string | null,
  appSecret: string,
): Promise<boolean> {
  if (!header || appSecret.length === 0) return false;
  const value = header.trim();
  if (!value.toLowerCase().startsWith(prefix)) return false;
  const given = hexToBytes(value.slice(prefix.length));
  if (!given) return false;
  const expected = await hmacBytes(prefix === "sha256=" ? "SHA-256" : "SHA-1", appSecret, rawBody);
  return timingSafeEqual(given, expected);
}

/**
 * Verify `X-Hub-Signature-256` over the raw body bytes, in constant time.
 * Missing/garbled header or empty secret → false.
 */
export function verifyMetaSignature(rawBody: Uint8Array, header: string | null, appSecret: string): Promise<boolean> {
  return verifyPrefixed("sha256=", rawBody, header, appSecret);
}

/**
 * Verify the legacy SHA-1 `X-Hub-Signature` header. Meta still sends it alongside the
 * SHA-256 one; only use it for tooling that cannot see the newer header.
 */
export function verifyMetaSignatureSha1(
  rawBody: Uint8Array,
  header: string | null,
  appSecret: string,
): Promise<boolean> {
  return verifyPrefixed("sha1=", rawBody, header, appSecret);
}

/** Outcome of the GET subscription handshake; the route turns it into a response. */
export type MetaChallengeResult = { ok: true; challenge: string } | { ok: false; status: 403 | 400 };

/**
 * Check `?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. The challenge is echoed
 * back as the plain-text body only when the token matches (constant time); a request
 * missing any parameter is a 400, a wrong mode or token a 403.
 */
export function verifyMetaChallenge(url: URL, verifyToken: string): MetaChallengeResult {
  const mode = url.searchParams.get("hub.mode");
  const token = url.searchParams.get("hub.verify_token");
  const challenge = url.searchParams.get("hub.challenge");
  if (mode === null || token === null || challenge === null) return { ok: false, status: 400 };
  if (mode !== "subscribe" || verifyToken.length === 0) return { ok: false, status: 403 };
  if (!timingSafeEqual(utf8(token), utf8(verifyToken))) return { ok: false, status: 403 };
  return { ok: true, challenge };
}
