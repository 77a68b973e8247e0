/**
 * D1 reads for the room's flow and rule runner: the workspace's active published flows
 * (with their current version's graph), a pinned version's graph, and the enabled rules.
 * Cached per isolate: published versions are immutable (kept until evicted from a small
 * map); the active set and rules for 10 s, so an edit reaches running rooms within that.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { FlowGraph, RuleDefinition } from "../protocol/flows.ts";
import type { StoredRule } from "./rules.ts";
import type { CandidateFlow } from "./triggers.ts";

const TTL_MS = 10_000;
const active = new Map<string, { at: number; flows: CandidateFlow[]; rules: StoredRule[] }>();
const versions = new Map<string, FlowGraph>();
const MAX_VERSIONS = 200;

export function forgetFlowCache(workspaceId: string): void {
  active.delete(workspaceId);
}

/** Active published flows and enabled rules of a workspace. */
export async function loadAutomation(
  env: Env,
  workspaceId: string,
  now = Date.now(),
): Promise<{ flows: CandidateFlow[]; rules: StoredRule[] }> {
  const hit = active.get(workspaceId);
  if (hit && now - hit.at < TTL_MS) return hit;
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const f = schema.flows;
  const v = schema.flowVersions;
  const rows = await tdb.db
    .select({ id: f.id, version: v.version, graph: v.graph })
    .from(f)
    .innerJoin(v, and(eq(v.flowId, f.id), eq(v.version, f.publishedVersion), eq(v.workspaceId, f.workspaceId)))
    .where(and(eq(f.workspaceId, workspaceId), eq(f.active, true), isNotNull(f.publishedVersion)));
  const flows: CandidateFlow[] = [];
  for (const r of rows) {
    const g = FlowGraph.safeParse(r.graph);
    if (g.success) flows.push({ id: r.id, version: r.version, graph: g.data });
  }
  const ruleRows = await tdb.select(schema.automationRules, eq(schema.automationRules.enabled, true));
  const rules: StoredRule[] = [];
  for (const r of ruleRows) {
    const d = RuleDefinition.safeParse(r.definition);
    if (d.success) rules.push({ id: r.id, ...d.data });
  }
  const entry = { at: now, flows, rules };
  active.set(workspaceId, entry);
  return entry;
}

/** The graph of one published version (what a pinned conversation runs), or null if gone. */
export async function loadFlowVersion(
  env: Env,
  workspaceId: string,
  flowId: string,
  version: number,
): Promise<FlowGraph | null> {
  const key = `${workspaceId}/${flowId}/${version}`;
  const cached = versions.get(key);
  if (cached) return cached;
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const v = schema.flowVersions;
  const row = await tdb.first(v, and(eq(v.flowId, flowId), eq(v.version, version)));
  const g = row ? FlowGraph.safeParse(row.graph) : null;
  if (!g?.success) return null;
  if (versions.size >= MAX_VERSIONS) versions.delete(versions.keys().next().value ?? "");
  versions.set(key, g.data);
  return g.data;
}

/** The current published version of a flow (for "start flow" actions and jumps). */
export async function loadPublished(
  env: Env,
  workspaceId: string,
  flowId: string,
): Promise<{ version: number; graph: FlowGraph } | null> {
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const row = await tdb.first(schema.flows, eq(schema.flows.id, flowId));
  if (!row || row.publishedVersion === null) return null;
  const graph = await loadFlowVersion(env, workspaceId, flowId, row.publishedVersion);
  return graph ? { version: row.publishedVersion, graph } : null;
}
