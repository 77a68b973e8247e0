/**
 * Envelope encryption for objects at rest (issue 20, item 6): each workspace has data keys
 * (random AES-256-GCM, one per version), stored wrapped by the deployment's master key
 * (ENCRYPTION_KEY, the secret that already protects channel tokens: lib/secrets.ts). An
 * object is sealed with the workspace's newest data key, a fresh 96-bit IV, and its R2
 * key as additional data, so a sealed object copied under another key (or another
 * workspace's prefix) no longer opens. Pure WebCrypto: no bindings, keys never logged.
 *
 * Two wire formats (the object's `enc` metadata names which):
 * - `aes256gcm.v1` (read only now): 12-byte IV ‖ ciphertext ‖ 16-byte GCM tag, the whole
 *   object in one GCM call. Objects written so are still opened; the re-encryption job
 *   rewrites them in the chunked format.
 * - `aes256gcm.chunked.v1` (every write): the plaintext in CHUNK_BYTES pieces (at least one,
 *   possibly empty), each sealed as IV ‖ ciphertext ‖ tag with a fresh random IV and, as
 *   additional data, the object key ‖ the chunk's index (u32) ‖ a final-chunk flag. A chunk
 *   moved, dropped, repeated or a stream cut at a chunk boundary no longer opens. Chunking is
 *   what lets a 100 MB Eval Lab upload stream through a Worker's 128 MB: one GCM call per
 *   object would hold the plaintext and the ciphertext in memory at once.
 * Hand-written on WebCrypto because the libraries with a streaming AEAD (Tink, age) bring
 * their own key formats and ciphers; this is the STREAM construction on AES-GCM, ~80 lines.
 */
import { decryptSecret, encryptSecret } from "./secrets.ts";
import { fromBase64, toBase64 } from "./encoding.ts";

const IV_BYTES = 12;
/** The version marker in an object's custom metadata: `enc` = this, `kv` = the data key version. */
export const ENVELOPE_VERSION = "aes256gcm.chunked.v1";
/** The single-call format of the first sealed attachments: opened, never written. */
export const ENVELOPE_V1 = "aes256gcm.v1";
/** Plaintext bytes per chunk: bounds the memory of a streamed seal or open. */
export const CHUNK_BYTES = 1024 * 1024;
const TAG_BYTES = 16;
const OVERHEAD = IV_BYTES + TAG_BYTES;

/** A new random data key, wrapped by the master key (what the database stores). */
export async function newWrappedDataKey(masterKeyB64: string): Promise<string> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  return encryptSecret(toBase64(raw), masterKeyB64);
}

/** The usable data key from its wrapped form (non-extractable); `masterKeys`: the current key, then the previous one. */
export async function unwrapDataKey(wrapped: string, masterKeys: string | readonly string[]): Promise<CryptoKey> {
  const raw = fromBase64(await decryptSecret(wrapped, masterKeys));
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

/** Stored size of a chunked object of `plainBytes`: every chunk adds its IV and tag. */
export function sealedLength(plainBytes: number): number {
  return plainBytes + Math.max(1, Math.ceil(plainBytes / CHUNK_BYTES)) * OVERHEAD;
}

function chunkAad(objectKey: string, index: number, final: boolean): Uint8Array<ArrayBuffer> {
  const name = new TextEncoder().encode(objectKey);
  const aad = new Uint8Array(name.length + 5);
  aad.set(name, 0);
  new DataView(aad.buffer).setUint32(name.length, index);
  aad[name.length + 4] = final ? 1 : 0;
  return aad;
}

async function sealChunk(
  key: CryptoKey,
  plain: Uint8Array,
  objectKey: string,
  index: number,
  final: boolean,
): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: chunkAad(objectKey, index, final) },
      key,
      new Uint8Array(plain),
    ),
  );
  const out = new Uint8Array(IV_BYTES + ct.length);
  out.set(iv, 0);
  out.set(ct, IV_BYTES);
  return out;
}

async function openChunk(
  key: CryptoKey,
  sealed: Uint8Array,
  objectKey: string,
  index: number,
  final: boolean,
): Promise<Uint8Array<ArrayBuffer>> {
  if (sealed.length < OVERHEAD) throw new Error("sealed chunk too short");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: sealed.slice(0, IV_BYTES), additionalData: chunkAad(objectKey, index, final) },
    key,
    sealed.slice(IV_BYTES),
  );
  return new Uint8Array(pt);
}

/** Seals bytes already in memory in the chunked format (one buffer of `sealedLength`). */
export async function sealChunked(key: CryptoKey, plain: Uint8Array, objectKey: string): Promise<Uint8Array> {
  const out = new Uint8Array(sealedLength(plain.length));
  let at = 0;
  let index = 0;
  for (let start = 0; ; start += CHUNK_BYTES, index++) {
    const end = Math.min(plain.length, start + CHUNK_BYTES);
    const final = end >= plain.length;
    const c = await sealChunk(key, plain.subarray(start, end), objectKey, index, final);
    out.set(c, at);
    at += c.length;
    if (final) return out;
  }
}

/** Collects a stream's pieces into fixed-size runs without copying more than one run at a time. */
class Runs {
  private parts: Uint8Array[] = [];
  length = 0;
  push(p: Uint8Array): void {
    if (p.length === 0) return;
    this.parts.push(p);
    this.length += p.length;
  }
  /** The first `n` bytes (n <= length), removed. */
  take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = this.parts[0];
      if (!head) break;
      const need = n - at;
      if (head.length <= need) {
        out.set(head, at);
        at += head.length;
        this.parts.shift();
      } else {
        out.set(head.subarray(0, need), at);
        this.parts[0] = head.subarray(need);
        at += need;
      }
    }
    this.length -= n;
    return out;
  }
}

/**
 * A transform from plaintext to the chunked format. A chunk is only sealed once the next
 * byte (or the end) is seen, so the last one carries the final flag.
 */
export function sealStream(key: CryptoKey, objectKey: string): TransformStream<Uint8Array, Uint8Array> {
  const runs = new Runs();
  let index = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(piece, ctl) {
      runs.push(piece);
      while (runs.length > CHUNK_BYTES)
        ctl.enqueue(await sealChunk(key, runs.take(CHUNK_BYTES), objectKey, index++, false));
    },
    async flush(ctl) {
      ctl.enqueue(await sealChunk(key, runs.take(runs.length), objectKey, index, true));
    },
  });
}

/**
 * A transform from the chunked format to plaintext. Each chunk is authenticated before any
 * of its bytes go out; a wrong key, a reordered, tampered or truncated object errors the stream.
 */
export function openStream(key: CryptoKey, objectKey: string): TransformStream<Uint8Array, Uint8Array> {
  const runs = new Runs();
  const full = CHUNK_BYTES + OVERHEAD;
  let index = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(piece, ctl) {
      runs.push(piece);
      while (runs.length > full) ctl.enqueue(await openChunk(key, runs.take(full), objectKey, index++, false));
    },
    async flush(ctl) {
      ctl.enqueue(await openChunk(key, runs.take(runs.length), objectKey, index, true));
    },
  });
}

/** Opens a chunked object already in memory. */
export async function openChunked(
  key: CryptoKey,
  sealed: Uint8Array,
  objectKey: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const full = CHUNK_BYTES + OVERHEAD;
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let start = 0, index = 0; ; start += full, index++) {
    const final = start + full >= sealed.length;
    const p = await openChunk(
      key,
      sealed.subarray(start, Math.min(sealed.length, start + full)),
      objectKey,
      index,
      final,
    );
    parts.push(p);
    size += p.length;
    if (final) break;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
