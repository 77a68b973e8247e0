/**
 * Byte-level crypto helpers for webhook verification. WebCrypto only, so the same code
 * runs in workerd, Node and the browser. Signatures are always computed over the raw
 * request bytes: re-serialised JSON differs from what the provider signed.
 */

import { toHex } from "../../lib/encoding.ts";

// One constant-time comparison and one hex encoder for the whole project (workers/lib/encoding.ts).
export { timingSafeEqualBytes as timingSafeEqual, toHex as bytesToHex } from "../../lib/encoding.ts";

const encoder = new TextEncoder();

/** UTF-8 encode a string. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/**
 * Parse hex (either case) into bytes; null when the input is not an even-length hex string,
 * so callers can treat garbage signatures as a plain mismatch.
 */
export function hexToBytes(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Imported HMAC keys, per hash and secret: a webhook burst signs hundreds of bodies a second
 * with the same app secret, and importing the key was a fixed cost of every one. Bounded
 * (an isolate serves a handful of inboxes); the keys are non-extractable.
 */
const KEY_CACHE_MAX = 64;
// Keys, not promises: a promise made in one request must not be awaited by another in workerd.
const keyCache = new Map<string, CryptoKey>();

async function hmacKey(hash: "SHA-256" | "SHA-1", secret: string): Promise<CryptoKey> {
  const id = `${hash}\u0000${secret}`;
  const hit = keyCache.get(id);
  if (hit) return hit;
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash }, false, ["sign"]);
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(id, key);
  return key;
}

/** HMAC of the raw body bytes. */
export async function hmacBytes(hash: "SHA-256" | "SHA-1", secret: string, body: Uint8Array): Promise<Uint8Array> {
  const key = await hmacKey(hash, secret);
  // WebCrypto wants ArrayBuffer-backed views; copying also detaches us from a shared buffer.
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new Uint8Array(body)));
}

async function hmacHex(hash: "SHA-256" | "SHA-1", secret: string, body: Uint8Array): Promise<string> {
  return toHex(await hmacBytes(hash, secret, body));
}

/** Hex HMAC-SHA256 of the raw body bytes. */
export function hmacSha256Hex(secret: string, body: Uint8Array): Promise<string> {
  return hmacHex("SHA-256", secret, body);
}
