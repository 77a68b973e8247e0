/**
 * What the room runs (in the background, `waitUntil`) once a conversation is resolved and
 * D1 has it: with a model provider configured, the LLM extractor proposes facts from the
 * customer's messages (llm-extract.ts); without one, nothing more happens (the rule
 * extractor already ran on each message). Every run leaves one audit entry with its
 * outcome and counts, never the model's text.
 */
import { envString } from "../../commerce/connector.ts";
import { memoryTargets } from "../../ai/providers/registry.ts";
import type { ProviderTarget } from "../../ai/providers/resilient.ts";
import type { TenantDb } from "../../db/client.ts";
import { readSettings } from "../../protocol/settings.ts";
import { audit } from "../../services/audit.ts";
import { LLM_EXTRACT_TIMEOUT_MS, llmExtract, type SourceMessage } from "./llm-extract.ts";
import { listMemories, proposeMemories } from "./store.ts";

/** MEMORY_EXTRACT_TIMEOUT_MS (1–60 s) for deployments whose model is slow or must give up sooner. */
export function extractTimeoutMs(env: Env): number {
  const n = Number(envString(env, "MEMORY_EXTRACT_TIMEOUT_MS"));
  return Number.isFinite(n) && n >= 1000 ? Math.min(n, 60_000) : LLM_EXTRACT_TIMEOUT_MS;
}

export async function extractAfterResolution(
  env: Env,
  tdb: TenantDb,
  input: { contactId: string; conversationId: string; customerMessages: SourceMessage[] },
  targets: ProviderTarget[] = memoryTargets(env),
): Promise<number> {
  if (targets.length === 0 || input.customerMessages.length === 0) return 0;
  const existing = await listMemories(tdb, input.contactId);
  const res = await llmExtract(targets, input.customerMessages, existing, { timeoutMs: extractTimeoutMs(env) });
  let proposed = 0;
  if (res.candidates.length) {
    const ws = await tdb.workspace();
    proposed = await proposeMemories(tdb, {
      contactId: input.contactId,
      conversationId: input.conversationId,
      messageId: null,
      candidates: res.candidates,
      origin: "llm",
      autoApprove: readSettings(ws?.settings).memory.autoApprove,
    });
  }
  await audit(tdb, {
    actorType: "system",
    actorId: null,
    action: "memory.extract",
    targetType: "conversation",
    targetId: input.conversationId,
    detail: {
      outcome: res.outcome,
      proposed,
      ...(res.outcome === "ok" ? { provider: res.provider, model: res.model } : {}),
      ...(res.outcome === "failed" && res.error ? { error: res.error } : {}),
    },
  });
  return proposed;
}
