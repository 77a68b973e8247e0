/**
 * What every case of an eval batch shares, read once per batch instead of once per turn:
 * the workspace settings, every category row (one query), memoised few-shot and
 * knowledge lookups, and the knowledge chunks retrieval has read (each chunk read from D1
 * once per batch). Handed to the engine through `EngineDeps.preloaded`; the engine code
 * path is the production one, which reads all of these fresh on each turn.
 *
 * Retrieval and few-shot ranking are deterministic for a given knowledge base, so a
 * lookup made twice in a batch (the same customer message in two cases, or the runner's
 * grounding re-check of a case) returns what the second call would have read. The
 * knowledge a batch sees is the one at the batch's start, like a snapshot; a knowledge
 * edit mid-run reaches the next batch.
 */
import type { PreloadedContext } from "../ai/engine.ts";
import { categoryConfig, loadFewShot, loadKnowledge, loadSettings } from "../ai/agent/context.ts";
import { schema, type TenantDb } from "../db/client.ts";
import type { CategoryKey } from "../lib/categories.ts";
import { cachedChunkLookup } from "../knowledge/service.ts";
import { memoAsync } from "../lib/memo.ts";

/** Reads a batch's shared context: 2 D1 queries, whatever the number of cases. */
export async function preloadContext(env: Env, tdb: TenantDb): Promise<PreloadedContext> {
  const [settings, rows] = await Promise.all([loadSettings(tdb), tdb.select(schema.categories)]);
  const byKey = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!byKey.has(r.key)) byKey.set(r.key, r);
  const chunks = cachedChunkLookup(env, tdb.workspaceId);
  return {
    settings,
    // A fresh object per call: the engine and the variant layer may spread and adjust it.
    category: async (key: CategoryKey) => categoryConfig(key, byKey.get(key)),
    fewShot: memoAsync(
      (key: CategoryKey, query: string) => `${key}\u0000${query}`,
      (key, query) => loadFewShot(env, tdb.workspaceId, key, query),
    ),
    knowledge: memoAsync(
      (query: string, key: CategoryKey) => `${key}\u0000${query}`,
      (query, key) => loadKnowledge(env, tdb.workspaceId, query, key, chunks),
    ),
  };
}
