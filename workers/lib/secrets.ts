/**
 * Encryption at rest for channel tokens, TOTP seeds and identity secrets: AES-256-GCM
 * with ENCRYPTION_KEY (32 bytes, base64). Output `v1:<iv b64>:<ciphertext b64>`.
 */
import { fromBase64, toBase64 } from "./encoding.ts";

async function importKey(keyB64: string): Promise<CryptoKey> {
  const raw = fromBase64(keyB64);
  if (raw.length !== 32) throw new Error("ENCRYPTION_KEY must be 32 bytes of base64");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function encryptSecret(plain: string, keyB64: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await importKey(keyB64),
    new TextEncoder().encode(plain),
  );
  return `v1:${toBase64(iv)}:${toBase64(new Uint8Array(ct))}`;
}

export async function decryptSecret(enc: string, keyB64: string): Promise<string> {
  const [v, iv, ct] = enc.split(":");
  if (v !== "v1" || !iv || !ct) throw new Error("Unsupported secret format");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv) },
    await importKey(keyB64),
    fromBase64(ct),
  );
  return new TextDecoder().decode(pt);
}

export async function encryptJson(value: Record<string, string>, keyB64: string): Promise<string> {
  return encryptSecret(JSON.stringify(value), keyB64);
}

export async function decryptJson(enc: string | null, keyB64: string): Promise<Record<string, string>> {
  if (!enc) return {};
  const parsed: unknown = JSON.parse(await decryptSecret(enc, keyB64));
  const out: Record<string, string> = {};
  if (parsed && typeof parsed === "object") {
    for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
  }
  return out;
}
