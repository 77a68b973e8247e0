/**
 * Retention (issue 20): per-workspace policies that delete, after N days,
 *  - resolved conversations (last activity older than `conversationDays`): the room's log,
 *    the D1 rows keyed to the conversation (messages, actions, traces, codes) and its files;
 *  - files in R2 uploaded more than `attachmentDays` ago;
 *  - AI traces older than `traceDays`.
 * `planRetention` is the one definition of "what is due": the dry run reports its counts and
 * the scheduled run deletes exactly the plan it computes, so the two cannot disagree about
 * the same data at the same time. Open, pending and snoozed conversations are never deleted.
 */
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { roomOf } from "../services/data-location.ts";
import { inSlices, slices } from "./subject.ts";

const DAY_MS = 24 * 3600_000;
/** The scheduled job revisits a workspace at most this often. */
export const RETENTION_EVERY_MS = 3600_000;
/**
 * Conversations deleted per workspace per cron tick (each costs a room RPC). A bigger
 * backlog is worked off on the following five-minute ticks: the run is only marked done
 * (lastRunAt) once a batch comes back short. The dry run counts the whole backlog.
 */
const RETENTION_BATCH = 200;

export interface RetentionPolicy {
  conversationDays: number | null;
  attachmentDays: number | null;
  traceDays: number | null;
}

export interface RetentionCounts {
  conversations: number;
  messages: number;
  attachments: number;
  traces: number;
}

interface Plan {
  conversationIds: string[];
  messages: number;
  attachmentKeys: string[];
  traceCutoff: number | null;
  traces: number;
}

const lastActivity = sql<number>`coalesce(${schema.conversations.lastMessageAt}, ${schema.conversations.createdAt})`;

export async function planRetention(
  env: Pick<Env, "ATTACHMENTS">,
  tdb: TenantDb,
  policy: RetentionPolicy,
  now: number,
  maxConversations?: number,
): Promise<Plan> {
  const c = schema.conversations;
  const plan: Plan = { conversationIds: [], messages: 0, attachmentKeys: [], traceCutoff: null, traces: 0 };
  if (policy.conversationDays !== null) {
    const rows = await tdb.db
      .select({ id: c.id })
      .from(c)
      .where(tdb.scope(c, and(eq(c.status, "resolved"), lt(lastActivity, now - policy.conversationDays * DAY_MS))))
      .orderBy(lastActivity)
      .limit(maxConversations ?? -1)
      .all();
    plan.conversationIds = rows.map((r) => r.id);
    const counted = await inSlices(plan.conversationIds, async (part) => {
      const r = await tdb.db
        .select({ n: sql<number>`count(*)` })
        .from(schema.messages)
        .where(tdb.scope(schema.messages, inArray(schema.messages.conversationId, part)))
        .get();
      return [r?.n ?? 0];
    });
    plan.messages = counted.reduce((a, b) => a + b, 0);
  }
  // One listing of the workspace's files: a file is due by its upload time, or because its conversation goes.
  const gone = new Set(plan.conversationIds);
  const fileCutoff = policy.attachmentDays === null ? null : now - policy.attachmentDays * DAY_MS;
  if (gone.size > 0 || fileCutoff !== null) {
    let cursor: string | undefined;
    do {
      const page = await env.ATTACHMENTS.list({ prefix: `${tdb.workspaceId}/`, cursor });
      for (const o of page.objects) {
        const conv = o.key.split("/")[1] ?? "";
        if (gone.has(conv) || (fileCutoff !== null && o.uploaded.getTime() < fileCutoff))
          plan.attachmentKeys.push(o.key);
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
  if (policy.traceDays !== null) {
    plan.traceCutoff = now - policy.traceDays * DAY_MS;
    const t = schema.aiTraces;
    const r = await tdb.db
      .select({ n: sql<number>`count(*)` })
      .from(t)
      .where(tdb.scope(t, lt(t.createdAt, plan.traceCutoff)))
      .get();
    plan.traces = r?.n ?? 0;
  }
  return plan;
}

export function planCounts(plan: Plan): RetentionCounts {
  return {
    conversations: plan.conversationIds.length,
    messages: plan.messages,
    attachments: plan.attachmentKeys.length,
    traces: plan.traces,
  };
}

/** Deletes what the plan lists; returns the counts actually removed. */
export async function applyRetention(env: Env, tdb: TenantDb, plan: Plan): Promise<RetentionCounts> {
  const removed: RetentionCounts = { conversations: 0, messages: 0, attachments: 0, traces: 0 };
  for (const part of slices(plan.attachmentKeys, 500)) {
    await env.ATTACHMENTS.delete(part);
    removed.attachments += part.length;
  }
  for (const id of plan.conversationIds) await (await roomOf(env, tdb.workspaceId, id)).erase();
  const t = schema;
  for (const part of slices(plan.conversationIds)) {
    removed.messages +=
      (await tdb.delete(t.messages, inArray(t.messages.conversationId, part)).run()).meta.changes ?? 0;
    await tdb.delete(t.actions, inArray(t.actions.conversationId, part)).run();
    await tdb.delete(t.aiTraces, inArray(t.aiTraces.conversationId, part)).run();
    await tdb.delete(t.verificationCodes, inArray(t.verificationCodes.conversationId, part)).run();
    removed.conversations +=
      (await tdb.delete(t.conversations, inArray(t.conversations.id, part)).run()).meta.changes ?? 0;
  }
  if (plan.traceCutoff !== null)
    removed.traces +=
      (await tdb.delete(t.aiTraces, lt(t.aiTraces.createdAt, plan.traceCutoff)).run()).meta.changes ?? 0;
  return removed;
}

export async function readPolicy(
  tdb: TenantDb,
): Promise<RetentionPolicy & { lastRunAt: number | null; lastResult: Record<string, number> | null }> {
  const row = await tdb.first(schema.retentionPolicies);
  return {
    conversationDays: row?.conversationDays ?? null,
    attachmentDays: row?.attachmentDays ?? null,
    traceDays: row?.traceDays ?? null,
    lastRunAt: row?.lastRunAt ?? null,
    lastResult: row?.lastResult ?? null,
  };
}

/** Scheduled job: every workspace with a policy, at most once per RETENTION_EVERY_MS. */
export async function runRetention(env: Env, now: number): Promise<void> {
  const db = rawDb(env.DB);
  const policies = await db.select().from(schema.retentionPolicies).all();
  for (const p of policies) {
    if (p.lastRunAt !== null && now - p.lastRunAt < RETENTION_EVERY_MS) continue;
    const tdb = new TenantDb(db, p.workspaceId);
    const plan = await planRetention(env, tdb, p, now, RETENTION_BATCH);
    const removed = await applyRetention(env, tdb, plan);
    // A full batch may have left more behind: keep lastRunAt so the next tick continues.
    const done = plan.conversationIds.length < RETENTION_BATCH;
    await tdb.update(
      schema.retentionPolicies,
      { lastRunAt: done ? now : p.lastRunAt, lastResult: { ...removed } },
      eq(schema.retentionPolicies.workspaceId, p.workspaceId),
    );
  }
}
