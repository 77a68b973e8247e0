/**
 * Encryption at rest for channel tokens, TOTP seeds and identity secrets: AES-256-GCM
 * with ENCRYPTION_KEY (32 bytes, base64). Output `v1:<iv b64>:<ciphertext b64>`.
 *
 * Rotating ENCRYPTION_KEY: deploy the new key as ENCRYPTION_KEY and the old one as
 * ENCRYPTION_KEY_PREVIOUS. Decryption tries the keys of the config's keyring in order (GCM
 * authentication tells which one sealed a value); `rewrapSecret` moves a value to the
 * current key (the scheduled `rights/rewrap.ts` does it for every stored secret).
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

/** The plaintext, with the one key or the first key of a keyring (current first) that opens it. */
export async function decryptSecret(enc: string, keys: string | readonly string[]): Promise<string> {
  const [v, iv, ct] = enc.split(":");
  if (v !== "v1" || !iv || !ct) throw new Error("Unsupported secret format");
  let failure: unknown = new Error("no decryption key");
  for (const keyB64 of typeof keys === "string" ? [keys] : keys) {
    try {
      const pt = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(iv) },
        await importKey(keyB64),
        fromBase64(ct),
      );
      return new TextDecoder().decode(pt);
    } catch (err) {
      failure = err;
    }
  }
  throw failure;
}

/**
 * The value sealed again with `current`, or null when it already opens with `current`
 * (nothing to do). Throws when neither key opens it.
 */
export async function rewrapSecret(enc: string, current: string, previous: string): Promise<string | null> {
  try {
    await decryptSecret(enc, current);
    return null;
  } catch {
    return encryptSecret(await decryptSecret(enc, previous), current);
  }
}

export async function encryptJson(value: Record<string, string>, keyB64: string): Promise<string> {
  return encryptSecret(JSON.stringify(value), keyB64);
}

export async function decryptJson(
  enc: string | null,
  keys: string | readonly string[],
): Promise<Record<string, string>> {
  if (!enc) return {};
  const parsed: unknown = JSON.parse(await decryptSecret(enc, keys));
  const out: Record<string, string> = {};
  if (parsed && typeof parsed === "object") {
    for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
  }
  return out;
}
