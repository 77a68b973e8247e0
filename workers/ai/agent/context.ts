/**
 * Loads what the support agent is assembled from for one category: the category row
 * (instructions, tools, provider, model, reasoning, auto-send, retention offer) read
 * fresh from D1 every turn, approved few-shot examples, retrieved knowledge, and the
 * workspace's AI mode.
 */
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../../db/client.ts";
import { DEMO_CATEGORIES } from "../../db/seed/categories.ts";
import type { CategoryKey } from "../../lib/categories.ts";
import { fewShotExamples, retrieveForAgent } from "../../knowledge/service.ts";
import type { RetrievedPassage } from "../../knowledge/types.ts";
import type { ChunkLookup } from "../../knowledge/retrieve.ts";
import { readSettings, type WorkspaceSettings } from "../../protocol/settings.ts";

export interface CategoryConfig {
  key: CategoryKey;
  name: string;
  instructions: string;
  allowedTools: string[];
  provider: string;
  model: string;
  reasoningLevel: "minimal" | "low" | "medium" | "high";
  autoSend: "always" | "confident" | "never";
  retentionOffer: string | null;
}

/** The category row, or the seed default when a workspace has not configured it. */
export async function loadCategory(tdb: TenantDb, key: CategoryKey): Promise<CategoryConfig> {
  return categoryConfig(key, await tdb.first(schema.categories, eq(schema.categories.key, key)));
}

/** A category's configuration from its row (undefined: not configured, the seed default). */
export function categoryConfig(
  key: CategoryKey,
  row: typeof schema.categories.$inferSelect | undefined,
): CategoryConfig {
  if (row)
    return {
      key,
      name: row.name,
      instructions: row.instructions,
      allowedTools: row.allowedTools,
      provider: row.provider,
      model: row.model,
      reasoningLevel: row.reasoningLevel,
      autoSend: row.autoSend,
      retentionOffer: row.retentionOffer,
    };
  const seed = DEMO_CATEGORIES.find((c) => c.key === key) ?? DEMO_CATEGORIES[DEMO_CATEGORIES.length - 1];
  return {
    key,
    name: seed?.name ?? key,
    instructions: seed?.instructions ?? "",
    allowedTools: seed?.allowedTools ?? ["escalate_to_human"],
    provider: "local",
    model: seed?.model ?? "fast",
    reasoningLevel: seed?.reasoningLevel ?? "low",
    autoSend: seed?.autoSend ?? "never",
    retentionOffer: seed?.retentionOffer ?? null,
  };
}

/** Approved examples of the category nearest to the question (layer 3 of the prompt); none on failure. */
export async function loadFewShot(
  env: Env,
  workspaceId: string,
  key: CategoryKey,
  query: string,
  limit = 3,
): Promise<Array<{ question: string; answer: string }>> {
  try {
    return (await fewShotExamples(env, workspaceId, key, query, limit)).map((r) => ({
      question: r.question,
      answer: r.answer,
    }));
  } catch (err) {
    console.error("few-shot lookup failed", err instanceof Error ? err.message : "unknown");
    return [];
  }
}

/** Knowledge for the category; retrieval failures degrade to no passages, never a failed turn. */
export async function loadKnowledge(
  env: Env,
  workspaceId: string,
  query: string,
  key: CategoryKey,
  lookup?: ChunkLookup,
): Promise<RetrievedPassage[]> {
  try {
    return await retrieveForAgent(env, workspaceId, query, { category: key, topK: 8, ...(lookup ? { lookup } : {}) });
  } catch (err) {
    console.error("knowledge retrieval failed", err instanceof Error ? err.message : "unknown");
    return [];
  }
}

export async function loadSettings(tdb: TenantDb): Promise<{ settings: WorkspaceSettings; name: string }> {
  const ws = await tdb.workspace();
  return { settings: readSettings(ws?.settings), name: ws?.name ?? "Support" };
}

/** autopilot or copilot for a category under the workspace's AI mode. */
export function aiModeFor(settings: WorkspaceSettings, key: CategoryKey): "autopilot" | "copilot" {
  if (settings.aiMode === "autopilot") return "autopilot";
  if (settings.aiMode === "copilot") return "copilot";
  return settings.autopilotCategories.includes(key) ? "autopilot" : "copilot";
}

export function tenantDb(env: Env, workspaceId: string): TenantDb {
  return new TenantDb(rawDb(env.DB), workspaceId);
}
