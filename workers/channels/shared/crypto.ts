/**
 * Byte-level crypto helpers for webhook verification. WebCrypto only, so the same code
 * runs in workerd, Node and the browser. Signatures are always computed over the raw
 * request bytes: re-serialised JSON differs from what the provider signed.
 */

const encoder = new TextEncoder();

/** UTF-8 encode a string. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Lowercase hex of a byte array. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
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
 * Constant-time comparison. The loop always runs over the longer input and the length
 * difference is folded into the result, so timing reveals neither where the first
 * differing byte is nor (beyond the max length) how long the expected value is.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const len = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < len; i++) {
    // Out-of-range reads yield undefined → 0; the length xor above already marks the mismatch.
    diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  }
  return diff === 0;
}

async function hmacHex(hash: "SHA-256" | "SHA-1", secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash }, false, ["sign"]);
  // WebCrypto wants ArrayBuffer-backed views; copying also detaches us from a shared buffer.
  const sig = await crypto.subtle.sign("HMAC", key, new Uint8Array(body));
  return bytesToHex(new Uint8Array(sig));
}

/** Hex HMAC-SHA256 of the raw body bytes. */
export function hmacSha256Hex(secret: string, body: Uint8Array): Promise<string> {
  return hmacHex("SHA-256", secret, body);
}

/** Hex HMAC-SHA1: only for Meta's legacy `X-Hub-Signature` header. */
export function hmacSha1Hex(secret: string, body: Uint8Array): Promise<string> {
  return hmacHex("SHA-1", secret, body);
}
