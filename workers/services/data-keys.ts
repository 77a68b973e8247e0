/**
 * A workspace's data keys (issue 20, item 6): versions, the newest one, the unwrapped key of
 * a version (cached per isolate), adding a version (rotation) and retiring old ones once the
 * re-encryption job has moved every object off them. The keys themselves never leave this
 * module unwrapped, and never leave the database otherwise.
 */
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { rawDb, schema } from "../db/client.ts";
import { getConfig } from "../lib/config.ts";
import { newWrappedDataKey, unwrapDataKey } from "../lib/envelope.ts";

/** Unwrapped keys per isolate (workspace:version). Bounded; a key never changes once written. */
const keys = new Map<string, CryptoKey>();
/** The newest version per workspace, re-read after this long (a rotation elsewhere is picked up). */
const newest = new Map<string, { at: number; version: number }>();
/** How stale an isolate's idea of the newest version may be; the rekey job waits longer than this. */
export const NEWEST_TTL_MS = 30_000;

/** The usable key of a version, or null when the workspace has no such version (never had, or retired). */
export async function keyOf(env: Env, workspaceId: string, version: number): Promise<CryptoKey | null> {
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
  const key = await unwrapDataKey(row.wrapped, getConfig(env).decryptionKeys);
  if (keys.size > 5_000) keys.clear();
  keys.set(id, key);
  return key;
}

/** The newest version in the database (no cache), or null when the workspace has none yet. */
export async function newestVersion(
  env: Env,
  workspaceId: string,
): Promise<{ version: number; createdAt: number } | null> {
  const t = schema.workspaceDataKeys;
  const top = await rawDb(env.DB)
    .select({ version: t.version, createdAt: t.createdAt })
    .from(t)
    .where(eq(t.workspaceId, workspaceId))
    .orderBy(desc(t.version))
    .limit(1)
    .get();
  return top ?? null;
}

/** Adds the next key version (the first one when there is none); returns it. */
export async function addDataKey(env: Env, workspaceId: string, createdBy: string | null): Promise<number> {
  const t = schema.workspaceDataKeys;
  const db = rawDb(env.DB);
  for (let attempt = 0; attempt < 5; attempt++) {
    // Retired versions are gone from the keys table but their numbers are never reused.
    const [top, retired] = await Promise.all([
      newestVersion(env, workspaceId),
      db
        .select({ version: schema.dataKeyRetirements.version })
        .from(schema.dataKeyRetirements)
        .where(eq(schema.dataKeyRetirements.workspaceId, workspaceId))
        .orderBy(desc(schema.dataKeyRetirements.version))
        .limit(1)
        .get(),
    ]);
    const version = Math.max(top?.version ?? 0, retired?.version ?? 0) + 1;
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

/** The newest key version of a workspace (cached NEWEST_TTL_MS), creating version 1 on first use. */
export async function currentVersion(env: Env, workspaceId: string, fresh = false): Promise<number> {
  const hit = newest.get(workspaceId);
  if (!fresh && hit && Date.now() - hit.at < NEWEST_TTL_MS) return hit.version;
  const version = (await newestVersion(env, workspaceId))?.version ?? (await addDataKey(env, workspaceId, null));
  newest.set(workspaceId, { at: Date.now(), version });
  return version;
}

/** The key new objects are sealed with. A cached version retired meanwhile is re-read, never used. */
export async function sealingKey(env: Env, workspaceId: string): Promise<{ version: number; key: CryptoKey }> {
  let version = await currentVersion(env, workspaceId);
  let key = await keyOf(env, workspaceId, version);
  if (!key) {
    version = await currentVersion(env, workspaceId, true);
    key = await keyOf(env, workspaceId, version);
  }
  if (!key) throw new Error("data key missing");
  return { version, key };
}

export interface KeyVersionRow {
  version: number;
  createdAt: number;
  retiredAt: number | null;
}

/** Every version the workspace has had, oldest first; no key material. */
export async function keyVersions(env: Env, workspaceId: string): Promise<KeyVersionRow[]> {
  const db = rawDb(env.DB);
  const k = schema.workspaceDataKeys;
  const r = schema.dataKeyRetirements;
  const [live, retired] = await Promise.all([
    db.select({ version: k.version, createdAt: k.createdAt }).from(k).where(eq(k.workspaceId, workspaceId)).all(),
    db
      .select({ version: r.version, createdAt: r.createdAt, retiredAt: r.retiredAt })
      .from(r)
      .where(eq(r.workspaceId, workspaceId))
      .all(),
  ]);
  return [...live.map((v) => ({ ...v, retiredAt: null })), ...retired].sort((a, b) => a.version - b.version);
}

/**
 * Deletes the wrapped keys of every version below `below` (the caller has checked that no
 * object uses them) and records their retirement; returns the versions retired.
 */
export async function retireVersionsBelow(
  env: Env,
  workspaceId: string,
  below: number,
  now: number,
): Promise<number[]> {
  const db = rawDb(env.DB);
  const k = schema.workspaceDataKeys;
  const old = await db
    .select({ version: k.version, createdAt: k.createdAt })
    .from(k)
    .where(and(eq(k.workspaceId, workspaceId), lt(k.version, below)))
    .all();
  if (old.length === 0) return [];
  const versions = old.map((o) => o.version);
  await db.batch([
    db
      .insert(schema.dataKeyRetirements)
      .values(old.map((o) => ({ workspaceId, version: o.version, createdAt: o.createdAt, retiredAt: now })))
      .onConflictDoNothing(),
    db.delete(k).where(and(eq(k.workspaceId, workspaceId), inArray(k.version, versions))),
  ]);
  for (const v of versions) keys.delete(`${workspaceId}:${v}`);
  return versions;
}
