/**
 * The one way the platform reads and writes R2 (issue 20, item 6): every object in
 * ATTACHMENTS and DOCUMENTS is sealed with its workspace's newest data key
 * (`lib/envelope.ts`, chunked format) and opened with the version its metadata names.
 * Objects carry `enc` (format), `kv` (data key version) and `size` (plaintext bytes) in
 * their custom metadata. Objects without `enc` were written before sealing and are returned
 * as stored (migration path; the rekey job seals them on its next pass).
 *
 * The workspace is always the caller's (the verified token's, the document row's, the
 * inbox's), never read from the object: another workspace's object does not open here.
 * Callers never touch raw bytes: `putSealed` / `openSealed` / `readSealed` / `resealObject`.
 */
import {
  ENVELOPE_V1,
  ENVELOPE_VERSION,
  open,
  openChunked,
  openStream,
  sealChunked,
  sealedLength,
  sealStream,
} from "../lib/envelope.ts";
import { keyOf, sealingKey } from "./data-keys.ts";

export type SealedBucketName = "ATTACHMENTS" | "DOCUMENTS";

export interface SealedPut {
  contentType: string;
  custom?: Record<string, string>;
}

/** Plaintext to store: bytes in memory, or a stream whose exact length is known (a request body, a File). */
export type PlainBody = Uint8Array | { stream: ReadableStream<Uint8Array>; length: number };

/** Objects up to this size are re-sealed in memory; bigger ones (Eval Lab CSVs) stream. */
const BUFFERED_RESEAL_BYTES = 24 * 1024 * 1024;

const RESERVED = new Set(["enc", "kv", "size"]);
function callerMeta(custom: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(custom ?? {})) if (!RESERVED.has(k)) out[k] = v;
  return out;
}

function sealedBody(
  key: CryptoKey,
  objectKey: string,
  body: PlainBody,
): Promise<Uint8Array> | ReadableStream<Uint8Array> {
  if (body instanceof Uint8Array) return sealChunked(key, body, objectKey);
  // R2 needs the length up front: FixedLengthStream states it, and errors if the source lies.
  return body.stream
    .pipeThrough(sealStream(key, objectKey))
    .pipeThrough(new FixedLengthStream(sealedLength(body.length)));
}

/** Seals `body` with the workspace's newest data key and stores it under `key`. */
export async function putSealed(
  env: Env,
  bucket: SealedBucketName,
  workspaceId: string,
  key: string,
  body: PlainBody,
  meta: SealedPut,
): Promise<void> {
  const { version, key: dataKey } = await sealingKey(env, workspaceId);
  await env[bucket].put(key, await sealedBody(dataKey, key, body), {
    httpMetadata: { contentType: meta.contentType },
    customMetadata: {
      ...callerMeta(meta.custom),
      enc: ENVELOPE_VERSION,
      kv: String(version),
      size: String(body.length),
    },
  });
}

/** Which key version an object's metadata names: 0 for an object stored before sealing, null when unknown. */
export function sealedVersion(custom: Record<string, string> | undefined): { enc: string; version: number } | null {
  if (custom?.enc === undefined) return { enc: "", version: 0 };
  const version = Number(custom.kv);
  if ((custom.enc !== ENVELOPE_VERSION && custom.enc !== ENVELOPE_V1) || !Number.isInteger(version) || version < 1)
    return null;
  return { enc: custom.enc, version };
}

export interface OpenedObject {
  /** The plaintext; for a sealed object each chunk is authenticated before it is passed on. */
  body: ReadableStream<Uint8Array>;
  size: number;
  contentType: string;
  custom: Record<string, string>;
}

/**
 * The plaintext stream of `key` for `workspaceId`, or null when there is no such object or
 * its key version is not one of this workspace's. Bytes that fail authentication (another
 * workspace's object, tampering) error the stream; `readSealed` turns that into null.
 */
export async function openSealed(
  env: Env,
  bucket: SealedBucketName,
  workspaceId: string,
  key: string,
): Promise<OpenedObject | null> {
  const obj = await env[bucket].get(key);
  if (!obj) return null;
  const custom = { ...obj.customMetadata };
  const contentType = obj.httpMetadata?.contentType ?? "application/octet-stream";
  const v = sealedVersion(custom);
  if (!v) return null;
  if (v.version === 0) return { body: obj.body, size: obj.size, contentType, custom };
  const dataKey = await keyOf(env, workspaceId, v.version);
  if (!dataKey) return null;
  const size = Number(custom.size);
  if (v.enc === ENVELOPE_V1) {
    try {
      const bytes = await open(dataKey, new Uint8Array(await obj.arrayBuffer()), key);
      return { body: new Blob([bytes]).stream(), size: bytes.length, contentType, custom };
    } catch {
      return null;
    }
  }
  return { body: obj.body.pipeThrough(openStream(dataKey, key)), size, contentType, custom };
}

export interface StoredFile {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  custom: Record<string, string>;
}

/** The whole plaintext in memory, or null when missing or it does not open with this workspace's keys. */
export async function readSealed(
  env: Env,
  bucket: SealedBucketName,
  workspaceId: string,
  key: string,
): Promise<StoredFile | null> {
  const obj = await env[bucket].get(key);
  if (!obj) return null;
  const custom = { ...obj.customMetadata };
  const contentType = obj.httpMetadata?.contentType ?? "application/octet-stream";
  const opened = await openBytes(env, workspaceId, key, custom, new Uint8Array(await obj.arrayBuffer()));
  return opened.ok ? { bytes: opened.bytes, contentType, custom } : null;
}

type Opened = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false };

async function openBytes(
  env: Env,
  workspaceId: string,
  key: string,
  custom: Record<string, string>,
  raw: Uint8Array<ArrayBuffer>,
): Promise<Opened> {
  const v = sealedVersion(custom);
  if (!v) return { ok: false };
  if (v.version === 0) return { ok: true, bytes: raw };
  const dataKey = await keyOf(env, workspaceId, v.version);
  if (!dataKey) return { ok: false };
  try {
    const bytes = v.enc === ENVELOPE_V1 ? await open(dataKey, raw, key) : await openChunked(dataKey, raw, key);
    return { ok: true, bytes };
  } catch {
    // GCM authentication failed: not this workspace's object, or tampered.
    return { ok: false };
  }
}

/**
 * What re-sealing did: `current` (already on the target), `resealed`, `changed` (written
 * or deleted meanwhile: left alone), `unreadable` (opens with none of the workspace's keys),
 * `missing`, `failed` (a streamed re-seal broke off: retried on the next pass).
 */
export type ResealOutcome = "current" | "resealed" | "changed" | "unreadable" | "missing" | "failed";

/** Whether an object's metadata says it is sealed in the current format with `version`. */
export function onVersion(custom: Record<string, string> | undefined, version: number): boolean {
  const v = sealedVersion(custom);
  return v !== null && v.enc === ENVELOPE_VERSION && v.version === version;
}

/**
 * Re-seals one object with `target` (the workspace's newest version). The write is
 * conditional on the etag read, so a concurrent new write or a deletion (erasure,
 * retention) is never clobbered or resurrected.
 */
export async function resealObject(
  env: Env,
  bucket: SealedBucketName,
  workspaceId: string,
  key: string,
  target: number,
): Promise<ResealOutcome> {
  const targetKey = await keyOf(env, workspaceId, target);
  if (!targetKey) throw new Error("target data key missing");
  const obj = await env[bucket].get(key);
  if (!obj) return "missing";
  const custom = { ...obj.customMetadata };
  if (onVersion(custom, target)) return "current";
  const put = async (body: Uint8Array | ReadableStream<Uint8Array>, size: number): Promise<ResealOutcome> => {
    const stored = await env[bucket].put(key, body, {
      onlyIf: { etagMatches: obj.etag },
      httpMetadata: obj.httpMetadata ?? {},
      customMetadata: { ...callerMeta(custom), enc: ENVELOPE_VERSION, kv: String(target), size: String(size) },
    });
    return stored ? "resealed" : "changed";
  };
  const v = sealedVersion(custom);
  if (!v) return "unreadable";
  const plainBytes = v.version === 0 ? obj.size : Number(custom.size);
  if (v.enc === ENVELOPE_VERSION && obj.size > BUFFERED_RESEAL_BYTES && Number.isInteger(plainBytes)) {
    const source = await keyOf(env, workspaceId, v.version);
    if (!source) return "unreadable";
    try {
      const plain = obj.body.pipeThrough(openStream(source, key));
      return await put(
        plain.pipeThrough(sealStream(targetKey, key)).pipeThrough(new FixedLengthStream(sealedLength(plainBytes))),
        plainBytes,
      );
    } catch {
      return "failed";
    }
  }
  if (v.version === 0 && obj.size > BUFFERED_RESEAL_BYTES) {
    return put(
      obj.body.pipeThrough(sealStream(targetKey, key)).pipeThrough(new FixedLengthStream(sealedLength(obj.size))),
      obj.size,
    );
  }
  const opened = await openBytes(env, workspaceId, key, custom, new Uint8Array(await obj.arrayBuffer()));
  if (!opened.ok) return "unreadable";
  return put(await sealChunked(targetKey, opened.bytes, key), opened.bytes.length);
}
