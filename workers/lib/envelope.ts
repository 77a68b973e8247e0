/**
 * Envelope encryption for objects at rest (issue 20, item 6): each workspace has data keys
 * (random AES-256-GCM, one per version), stored wrapped by the deployment's master key
 * (ENCRYPTION_KEY, the secret that already protects channel tokens: lib/secrets.ts). An
 * object is sealed with the workspace's newest data key, a fresh 96-bit IV, and its R2
 * key as additional data, so a sealed object copied under another key (or another
 * workspace's prefix) no longer opens. Pure WebCrypto: no bindings, keys never logged.
 *
 * Wire format of a sealed object: 12-byte IV ‖ ciphertext ‖ 16-byte GCM tag.
 */
import { decryptSecret, encryptSecret } from "./secrets.ts";
import { fromBase64, toBase64 } from "./encoding.ts";

const IV_BYTES = 12;
/** The version marker in an object's custom metadata: `enc` = this, `kv` = the data key version. */
export const ENVELOPE_VERSION = "aes256gcm.v1";

/** A new random data key, wrapped by the master key (what the database stores). */
export async function newWrappedDataKey(masterKeyB64: string): Promise<string> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  return encryptSecret(toBase64(raw), masterKeyB64);
}

/** The usable data key from its wrapped form (non-extractable). */
export async function unwrapDataKey(wrapped: string, masterKeyB64: string): Promise<CryptoKey> {
  const raw = fromBase64(await decryptSecret(wrapped, masterKeyB64));
  if (raw.length !== 32) throw new Error("data key has the wrong length");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function seal(key: CryptoKey, plain: Uint8Array, objectKey: string): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(objectKey) },
      key,
      // A copy on a plain ArrayBuffer (callers may hand a view of a shared or larger buffer).
      new Uint8Array(plain),
    ),
  );
  const out = new Uint8Array(IV_BYTES + ct.length);
  out.set(iv, 0);
  out.set(ct, IV_BYTES);
  return out;
}

/** The plaintext, or throws when the key, the object key or the bytes do not match (GCM authentication). */
export async function open(key: CryptoKey, sealed: Uint8Array, objectKey: string): Promise<Uint8Array<ArrayBuffer>> {
  if (sealed.length < IV_BYTES + 16) throw new Error("sealed object too short");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: sealed.slice(0, IV_BYTES), additionalData: new TextEncoder().encode(objectKey) },
    key,
    sealed.slice(IV_BYTES),
  );
  return new Uint8Array(pt);
}

/** Plaintext size of a stored object from its head: sealed objects are 28 bytes longer and record it. */
export function plainSize(head: { size: number; customMetadata?: Record<string, string> | undefined }): number {
  const s = Number(head.customMetadata?.size);
  return head.customMetadata?.enc !== undefined && Number.isInteger(s) ? s : head.size;
}
