/**
 * The attachments bucket, encrypted (issue 20, item 6). Every writer of customer files
 * (widget uploads, channel media, email parts) puts through `putAttachment`; every reader
 * (the signed-link file route, which the export archive's links use too) gets through
 * `getAttachment`. Objects carry `enc` (format), `kv` (the data key version) and `size`
 * (plaintext bytes) in their custom metadata; objects without `enc` were written before
 * encryption and are returned as stored (migration path).
 *
 * The workspace is always the caller's (the verified token's, or the inbox's), never read
 * from the object: another workspace's object does not open with this workspace's keys.
 */
import { and, desc, eq } from "drizzle-orm";
import { rawDb, schema } from "../db/client.ts";
import { getConfig } from "../lib/config.ts";
import { ENVELOPE_VERSION, newWrappedDataKey, open, seal, unwrapDataKey } from "../lib/envelope.ts";

/** Unwrapped keys per isolate (workspace:version). Bounded; a key never changes once written. */
const keys = new Map<string, CryptoKey>();
/** The newest version per workspace, re-read after this long (a rotation elsewhere is picked up). */
const newest = new Map<string, { at: number; version: number }>();
const NEWEST_TTL_MS = 30_000;

type KeyEnv = Env;

async function keyOf(env: KeyEnv, workspaceId: string, version: number): Promise<CryptoKey | null> {
  const id = `${workspaceId}:${version}`;
  const cached = keys.get(id);
  if (cached) return cached;
  const t = schema.workspaceDataKeys;
  const row = await rawDb(env.DB)
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.version, version)))
    .get();
  if (!row) return null;
  const key = await unwrapDataKey(row.wrapped, getConfig(env).encryptionKey);
  if (keys.size > 5_000) keys.clear();
  keys.set(id, key);
  return key;
}

/** Adds the next key version (the first one when there is none); returns it. */
export async function addDataKey(env: KeyEnv, workspaceId: string, createdBy: string | null): Promise<number> {
  const t = schema.workspaceDataKeys;
  const db = rawDb(env.DB);
  for (let attempt = 0; attempt < 5; attempt++) {
    const top = await db
      .select({ version: t.version })
      .from(t)
      .where(eq(t.workspaceId, workspaceId))
      .orderBy(desc(t.version))
      .limit(1)
      .get();
    const version = (top?.version ?? 0) + 1;
    const wrapped = await newWrappedDataKey(getConfig(env).encryptionKey);
    const inserted = await db
      .insert(t)
      .values({ workspaceId, version, wrapped, createdBy })
      .onConflictDoNothing()
      .returning({ version: t.version });
    // A concurrent writer took this version: read again and take the next.
    if (inserted[0]) {
      newest.set(workspaceId, { at: Date.now(), version });
      return version;
    }
  }
  throw new Error("could not add a data key version");
}

/** The newest key version of a workspace, creating version 1 on first use. */
async function currentVersion(env: KeyEnv, workspaceId: string): Promise<number> {
  const hit = newest.get(workspaceId);
  if (hit && Date.now() - hit.at < NEWEST_TTL_MS) return hit.version;
  const t = schema.workspaceDataKeys;
  const top = await rawDb(env.DB)
    .select({ version: t.version })
    .from(t)
    .where(eq(t.workspaceId, workspaceId))
    .orderBy(desc(t.version))
    .limit(1)
    .get();
  const version = top?.version ?? (await addDataKey(env, workspaceId, null));
  newest.set(workspaceId, { at: Date.now(), version });
  return version;
}

export interface AttachmentPut {
  contentType: string;
  custom?: Record<string, string>;
}

/** Seals `bytes` with the workspace's newest data key and stores them under `key`. */
export async function putAttachment(
  env: Env,
  workspaceId: string,
  key: string,
  bytes: Uint8Array,
  meta: AttachmentPut,
): Promise<void> {
  const version = await currentVersion(env, workspaceId);
  const dataKey = await keyOf(env, workspaceId, version);
  if (!dataKey) throw new Error("data key missing");
  await env.ATTACHMENTS.put(key, await seal(dataKey, bytes, key), {
    httpMetadata: { contentType: meta.contentType },
    customMetadata: { ...meta.custom, enc: ENVELOPE_VERSION, kv: String(version), size: String(bytes.length) },
  });
}

export interface StoredFile {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  custom: Record<string, string>;
}

/**
 * The plaintext of `key` for `workspaceId`, or null when there is no such object or it
 * does not open with this workspace's keys (another workspace's object, tampered bytes).
 */
export async function getAttachment(env: Env, workspaceId: string, key: string): Promise<StoredFile | null> {
  const obj = await env.ATTACHMENTS.get(key);
  if (!obj) return null;
  const custom = { ...obj.customMetadata };
  const contentType = obj.httpMetadata?.contentType ?? "application/octet-stream";
  const raw = new Uint8Array(await obj.arrayBuffer());
  if (custom.enc === undefined) return { bytes: raw, contentType, custom };
  const version = Number(custom.kv);
  if (custom.enc !== ENVELOPE_VERSION || !Number.isInteger(version) || version < 1) return null;
  const dataKey = await keyOf(env, workspaceId, version);
  if (!dataKey) return null;
  try {
    return { bytes: await open(dataKey, raw, key), contentType, custom };
  } catch {
    return null;
  }
}
