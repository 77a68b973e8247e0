/**
 * Demo knowledge: the FAQ Markdown of workers/db/seed/faq (via faq.generated.ts) stored
 * as documents with source "seed" and ingested in-process, so the dev workspace can
 * answer questions right after seeding. Idempotent: a document whose text has not
 * changed and is ready is left alone; a changed one is re-ingested.
 */
import { eq } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { clearDocumentIndex, documentKey, sha256Hex, tenantDb } from "./documents.ts";
import { FAQ_FILES } from "./faq.generated.ts";
import { ingestNow } from "./ingest.ts";
import { putSealed } from "../services/sealed-bucket.ts";

/**
 * Category of each FAQ page. Pages covering several categories (plans, pausing vs
 * skipping vs cancelling) stay workspace-wide: retrieval searches the whole workspace
 * and only boosts the conversation's category.
 */
const FAQ_CATEGORY: Record<string, string | null> = {
  "about-our-boxes.md": "general_question",
  "changing-your-address.md": "change_address",
  "damaged-or-missing-items.md": "damaged_item",
  "payments-and-failed-charges.md": "payment_issue",
  "shipping-and-delivery.md": "shipping_inquiry",
};

export interface SeedKnowledgeResult {
  created: number;
  updated: number;
  unchanged: number;
  failed: string[];
}

/** Stores and ingests the demo FAQ in a workspace. */
export async function seedKnowledge(env: Env, workspaceId: string): Promise<SeedKnowledgeResult> {
  const tdb = tenantDb(env, workspaceId);
  const d = schema.knowledgeDocuments;
  const result: SeedKnowledgeResult = { created: 0, updated: 0, unchanged: 0, failed: [] };
  for (const file of FAQ_FILES) {
    const bytes = new TextEncoder().encode(file.text);
    const hash = await sha256Hex(bytes);
    const id = `kdoc_seed_${workspaceId}_${file.name.replace(/\.md$/, "").replace(/[^a-z0-9]+/gi, "_")}`;
    const existing = await tdb.first(d, eq(d.id, id));
    if (existing !== undefined && existing.contentHash === hash && existing.status === "ready") {
      result.unchanged++;
      continue;
    }
    const r2Key = documentKey(workspaceId, id, file.name);
    await putSealed(env, "DOCUMENTS", workspaceId, r2Key, bytes, { contentType: "text/markdown; charset=utf-8" });
    const fields = {
      size: bytes.length,
      r2Key,
      contentHash: hash,
      category: FAQ_CATEGORY[file.name] ?? null,
      status: "queued" as const,
      progress: 0,
      error: null,
      chunkCount: 0,
      updatedAt: Date.now(),
    };
    if (existing === undefined) {
      await tdb.insert(d, {
        id,
        title: file.name.replace(/\.md$/, ""),
        fileName: file.name,
        kind: "md",
        source: "seed",
        ...fields,
      });
      result.created++;
    } else {
      await clearDocumentIndex(env, tdb, id);
      await tdb.update(d, fields, eq(d.id, id));
      result.updated++;
    }
    const outcomes = await ingestNow(env, workspaceId, id);
    if (outcomes.some((o) => o.status === "failed")) result.failed.push(file.name);
  }
  return result;
}
