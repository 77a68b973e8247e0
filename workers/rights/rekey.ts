/**
 * Re-encryption after a key rotation, then retirement of the old keys (issue 20, item 6).
 *
 * `POST /api/settings/encryption/rotate` adds a data key version and records a job
 * (`startRekey`). The scheduled handler (`runRekey`, every five minutes) then walks every
 * object under the workspace's prefix in ATTACHMENTS, then DOCUMENTS, a page at a time,
 * and re-seals each object not yet on the newest version (`resealObject`: conditional on
 * the etag, so a concurrent write or deletion is never clobbered). Bucket and list cursor
 * are saved after every page, so a tick cut short resumes where the last page ended; an
 * object already on the newest version is skipped, so repeating work is harmless.
 *
 * A version is retired (its wrapped key deleted, an audit entry written) only after a
 * whole pass found every object on the newest version, and only if that pass started
 * REKEY_GRACE_MS after the rotation: until then an isolate may still seal with the version
 * it cached (data-keys NEWEST_TTL_MS), or an upload that picked it may still be in flight.
 * A pass that met an object it could not move (written meanwhile under an old version, a
 * broken stream) runs again. Objects that open with none of the workspace's keys (another
 * workspace's bytes copied under this prefix, tampering) are counted, never block: no key
 * could open them anyway. Objects stored before sealing are sealed by the same pass.
 */
import { eq, isNull } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { audit } from "../services/audit.ts";
import { NEWEST_TTL_MS, newestVersion, retireVersionsBelow } from "../services/data-keys.ts";
import { onVersion, resealObject, sealedVersion, type SealedBucketName } from "../services/sealed-bucket.ts";

/** How long after a rotation a pass must start before its result may retire keys. */
export const REKEY_GRACE_MS = 10 * 60_000;
/** Objects visited per scheduled tick, over all workspaces (bounded work per invocation). */
export const REKEY_OBJECTS_PER_TICK = 500;
const PAGE = 100;
const BUCKETS: readonly SealedBucketName[] = ["ATTACHMENTS", "DOCUMENTS"];

if (REKEY_GRACE_MS <= NEWEST_TTL_MS) throw new Error("the rekey grace must outlast the newest-version cache");

type Job = typeof schema.rekeyJobs.$inferSelect;

/** Records (or restarts) the re-encryption of a workspace towards `version`. */
export async function startRekey(env: Env, workspaceId: string, version: number, now: number): Promise<void> {
  const fresh = {
    targetVersion: version,
    rotatedAt: now,
    passStartedAt: null,
    bucket: "ATTACHMENTS" as const,
    cursor: null,
    passClean: true,
    unreadable: 0,
    updatedAt: now,
    finishedAt: null,
  };
  await rawDb(env.DB)
    .insert(schema.rekeyJobs)
    .values({ workspaceId, ...fresh })
    .onConflictDoUpdate({ target: schema.rekeyJobs.workspaceId, set: fresh });
}

/** Whether a finished pass lets the old versions go (pure). */
export function passRetires(job: Pick<Job, "passClean" | "passStartedAt" | "rotatedAt">): boolean {
  return job.passClean && job.passStartedAt !== null && job.passStartedAt >= job.rotatedAt + REKEY_GRACE_MS;
}

export interface RekeyStep {
  visited: number;
  resealed: number;
  /** Versions retired by this step (the pass that ended here was clean). */
  retired: number[];
  finished: boolean;
}

async function save(env: Env, job: Job, now: number): Promise<void> {
  const { workspaceId, ...rest } = job;
  await rawDb(env.DB)
    .update(schema.rekeyJobs)
    .set({ ...rest, updatedAt: now })
    .where(eq(schema.rekeyJobs.workspaceId, workspaceId));
}

/** Visits at most `maxObjects` objects of one workspace's job; see the module comment. */
export async function runRekeyStep(env: Env, workspaceId: string, now: number, maxObjects: number): Promise<RekeyStep> {
  const step: RekeyStep = { visited: 0, resealed: 0, retired: [], finished: true };
  const row = await rawDb(env.DB)
    .select()
    .from(schema.rekeyJobs)
    .where(eq(schema.rekeyJobs.workspaceId, workspaceId))
    .get();
  if (!row || row.finishedAt !== null) return step;
  const newest = await newestVersion(env, workspaceId);
  if (!newest) return step;
  let job: Job = { ...row };
  if (newest.version !== job.targetVersion)
    // Rotated again mid-pass: what this pass already saw is on the previous target.
    job = { ...job, targetVersion: newest.version, rotatedAt: newest.createdAt, passClean: false };
  if (job.passStartedAt === null)
    job = { ...job, passStartedAt: now, bucket: "ATTACHMENTS", cursor: null, passClean: true, unreadable: 0 };
  step.finished = false;

  while (step.visited < maxObjects) {
    const bucket = job.bucket;
    const page = await env[bucket].list({
      prefix: `${workspaceId}/`,
      limit: Math.min(PAGE, maxObjects - step.visited),
      include: ["customMetadata"],
      ...(job.cursor ? { cursor: job.cursor } : {}),
    });
    for (const o of page.objects) {
      step.visited++;
      if (onVersion(o.customMetadata, job.targetVersion)) continue;
      const outcome = await resealObject(env, bucket, workspaceId, o.key, job.targetVersion);
      if (outcome === "resealed") {
        step.resealed++;
        job.resealed++;
      } else if (outcome === "unreadable") job.unreadable++;
      else if (outcome === "failed") job.passClean = false;
      else if (outcome === "changed") {
        // Written or deleted since the read: fine if the new bytes are on the target, or gone.
        const head = await env[bucket].head(o.key);
        if (head && !onVersion(head.customMetadata, job.targetVersion)) job.passClean = false;
      }
    }
    if (page.truncated) {
      job.cursor = page.cursor;
    } else {
      const next = BUCKETS[BUCKETS.indexOf(bucket) + 1];
      job.cursor = null;
      if (next) job.bucket = next;
      else return { ...step, ...(await endPass(env, job, now)) };
    }
    await save(env, job, now);
  }
  return step;
}

/** A pass has visited everything: retire and finish, or schedule another pass. */
async function endPass(env: Env, job: Job, now: number): Promise<Pick<RekeyStep, "retired" | "finished">> {
  if (!passRetires(job)) {
    await save(env, { ...job, passStartedAt: null, bucket: "ATTACHMENTS", cursor: null }, now);
    return { retired: [], finished: false };
  }
  const retired = await retireVersionsBelow(env, job.workspaceId, job.targetVersion, now);
  await save(env, { ...job, finishedAt: now }, now);
  if (retired.length > 0)
    await audit(new TenantDb(rawDb(env.DB), job.workspaceId), {
      actorType: "system",
      actorId: null,
      action: "encryption.retire",
      targetType: "workspace",
      targetId: job.workspaceId,
      detail: {
        versions: retired,
        activeVersion: job.targetVersion,
        resealed: job.resealed,
        unreadable: job.unreadable,
      },
    });
  return { retired, finished: true };
}

/** Scheduled job: works off every unfinished re-encryption within one tick's budget. */
export async function runRekey(env: Env, now: number): Promise<void> {
  const jobs = await rawDb(env.DB)
    .select({ workspaceId: schema.rekeyJobs.workspaceId })
    .from(schema.rekeyJobs)
    .where(isNull(schema.rekeyJobs.finishedAt))
    .all();
  let budget = REKEY_OBJECTS_PER_TICK;
  for (const j of jobs) {
    if (budget <= 0) break;
    budget -= (await runRekeyStep(env, j.workspaceId, now, budget)).visited;
  }
}

export interface VersionCounts {
  /** Objects per key version; 0 = stored before sealing. */
  byVersion: Map<number, number>;
  /** Objects whose metadata names no format this platform writes. */
  unknown: number;
  /** False when the count stopped at `maxPerBucket`. */
  complete: boolean;
}

/** Counts the workspace's objects per key version from the listings' metadata (no object is read). */
export async function countByVersion(env: Env, workspaceId: string, maxPerBucket = 10_000): Promise<VersionCounts> {
  const counts: VersionCounts = { byVersion: new Map(), unknown: 0, complete: true };
  for (const bucket of BUCKETS) {
    let cursor: string | undefined;
    let seen = 0;
    do {
      const page = await env[bucket].list({
        prefix: `${workspaceId}/`,
        include: ["customMetadata"],
        ...(cursor ? { cursor } : {}),
      });
      for (const o of page.objects) {
        const v = sealedVersion(o.customMetadata);
        if (v) counts.byVersion.set(v.version, (counts.byVersion.get(v.version) ?? 0) + 1);
        else counts.unknown++;
      }
      seen += page.objects.length;
      cursor = page.truncated ? page.cursor : undefined;
      if (cursor && seen >= maxPerBucket) {
        counts.complete = false;
        cursor = undefined;
      }
    } while (cursor);
  }
  return counts;
}

/** The current job of a workspace, for the settings page. */
export async function rekeyJob(env: Env, workspaceId: string): Promise<Job | null> {
  return (
    (await rawDb(env.DB).select().from(schema.rekeyJobs).where(eq(schema.rekeyJobs.workspaceId, workspaceId)).get()) ??
    null
  );
}
