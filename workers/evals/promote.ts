/**
 * Decide: promote a run's variant to production through the categories' own versioning
 * (each change is a new category version, audited) or refuse with the reasons; roll a
 * promotion back by restoring the versions it replaced (again as new versions, so the
 * history only grows). The refusal rules are pure (`promotionBlockers`).
 */
import { and, eq } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { CATEGORY_KEYS } from "../lib/categories.ts";
import { newId } from "../lib/ids.ts";
import { audit } from "../services/audit.ts";
import type { Variant } from "../protocol/evals.ts";
import type { Comparison } from "./metrics.ts";

/** Why a run may not be promoted (empty = it may). */
export function promotionBlockers(
  run: { status: string; metrics: Record<string, unknown> | null },
  comparison: Comparison | null,
): string[] {
  const out: string[] = [];
  if (run.status !== "done") out.push(`the run is ${run.status}, not done`);
  const red = run.metrics?.redLineViolations;
  if (typeof red === "number" && red > 0) out.push(`${red} case(s) broke a red line`);
  if (comparison) {
    const pass = comparison.metrics.find((m) => m.name === "passRate");
    if (pass && (pass.delta ?? 0) < 0 && (pass.pValue ?? 1) < 0.05)
      out.push(
        `pass rate is significantly lower than the baseline (${((pass.delta ?? 0) * 100).toFixed(1)} points, p=${(pass.pValue ?? 1).toFixed(4)})`,
      );
    for (const c of comparison.perCategory)
      if (c.significantRegression)
        out.push(
          `significant regression in ${c.category} (${(c.delta * 100).toFixed(1)} points, p=${c.pValue.toFixed(4)})`,
        );
  }
  return out;
}

type CategoryRow = typeof schema.categories.$inferSelect;

function snapshotOf(row: CategoryRow): Record<string, unknown> {
  return {
    name: row.name,
    instructions: row.instructions,
    allowedTools: row.allowedTools,
    provider: row.provider,
    model: row.model,
    reasoningLevel: row.reasoningLevel,
    autoSend: row.autoSend,
    retentionOffer: row.retentionOffer,
  };
}

const str = (v: unknown, d: string): string => (typeof v === "string" ? v : d);

/** Writes `next` as the category's new version (row + version history). */
async function writeVersion(
  tdb: TenantDb,
  row: CategoryRow,
  next: Record<string, unknown>,
  operatorId: string,
  note: Record<string, unknown>,
): Promise<number> {
  const cat = schema.categories;
  const cv = schema.categoryVersions;
  // Keep the version being replaced restorable even if it was never snapshotted.
  const had = await tdb.first(cv, and(eq(cv.categoryKey, row.key), eq(cv.version, row.version)));
  if (!had)
    await tdb.insert(cv, {
      id: newId("catv"),
      categoryKey: row.key,
      version: row.version,
      snapshot: snapshotOf(row),
      createdBy: row.updatedBy,
    });
  const version = row.version + 1;
  const reasoning = str(next.reasoningLevel, row.reasoningLevel);
  const autoSend = str(next.autoSend, row.autoSend);
  const values = {
    name: str(next.name, row.name),
    instructions: str(next.instructions, row.instructions),
    allowedTools: Array.isArray(next.allowedTools)
      ? next.allowedTools.filter((t): t is string => typeof t === "string")
      : row.allowedTools,
    provider: str(next.provider, row.provider),
    model: str(next.model, row.model),
    reasoningLevel:
      reasoning === "minimal" || reasoning === "low" || reasoning === "medium" || reasoning === "high"
        ? reasoning
        : row.reasoningLevel,
    autoSend: autoSend === "always" || autoSend === "confident" || autoSend === "never" ? autoSend : row.autoSend,
    retentionOffer:
      next.retentionOffer === null || typeof next.retentionOffer === "string"
        ? next.retentionOffer
        : row.retentionOffer,
  };
  await tdb.update(cat, { ...values, version, updatedAt: Date.now(), updatedBy: operatorId }, eq(cat.id, row.id));
  await tdb.insert(cv, {
    id: newId("catv"),
    categoryKey: row.key,
    version,
    snapshot: { ...values, ...note },
    createdBy: operatorId,
  });
  return version;
}

/** Publishes the variant: pinned category versions and the model choice. Returns what changed. */
export async function publishVariant(
  tdb: TenantDb,
  runId: string,
  variant: Variant,
  operatorId: string,
): Promise<Array<{ key: string; from: number; to: number }>> {
  const cat = schema.categories;
  const cv = schema.categoryVersions;
  const pinned = Object.entries(variant.categoryVersions ?? {}).filter(
    (e): e is [string, number] => e[1] !== undefined,
  );
  const keys = pinned.length ? pinned.map(([k]) => k) : variant.provider || variant.model ? [...CATEGORY_KEYS] : [];
  const changes: Array<{ key: string; from: number; to: number }> = [];
  for (const key of keys) {
    const row = await tdb.first(cat, eq(cat.key, key));
    if (!row) continue;
    const version = pinned.find(([k]) => k === key)?.[1];
    const snap = version ? await tdb.first(cv, and(eq(cv.categoryKey, key), eq(cv.version, version))) : undefined;
    const next: Record<string, unknown> = { ...(snap?.snapshot ?? snapshotOf(row)) };
    if (variant.provider) next.provider = variant.provider;
    if (variant.model) next.model = variant.model;
    if (variant.reasoningLevel) next.reasoningLevel = variant.reasoningLevel;
    const to = await writeVersion(tdb, row, next, operatorId, {
      promotedFromRun: runId,
      ...(version ? { restoredFrom: version } : {}),
    });
    changes.push({ key, from: row.version, to });
  }
  await tdb.update(schema.evalRuns, { promotedAt: Date.now(), promotion: changes }, eq(schema.evalRuns.id, runId));
  await audit(tdb, {
    actorType: "operator",
    actorId: operatorId,
    action: "eval.promote",
    targetType: "eval_run",
    targetId: runId,
    detail: { variant: variant.name, changes },
  });
  return changes;
}

/** Restores the versions a promotion replaced (as new versions). */
export async function rollbackPromotion(
  tdb: TenantDb,
  runId: string,
  changes: Array<{ key: string; from: number; to: number }>,
  operatorId: string,
): Promise<Array<{ key: string; from: number; to: number }>> {
  const cat = schema.categories;
  const cv = schema.categoryVersions;
  const restored: Array<{ key: string; from: number; to: number }> = [];
  for (const ch of changes) {
    const row = await tdb.first(cat, eq(cat.key, ch.key));
    const snap = await tdb.first(cv, and(eq(cv.categoryKey, ch.key), eq(cv.version, ch.from)));
    if (!row || !snap) continue;
    const to = await writeVersion(tdb, row, snap.snapshot, operatorId, { restoredFrom: ch.from, rolledBackRun: runId });
    restored.push({ key: ch.key, from: row.version, to });
  }
  await tdb.update(schema.evalRuns, { promotedAt: null, promotion: null }, eq(schema.evalRuns.id, runId));
  await audit(tdb, {
    actorType: "operator",
    actorId: operatorId,
    action: "eval.rollback",
    targetType: "eval_run",
    targetId: runId,
    detail: { restored },
  });
  return restored;
}
