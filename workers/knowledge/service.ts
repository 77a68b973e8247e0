/**
 * Knowledge retrieval for the support agent: the one function the AI engine calls.
 * (Interim implementation: keyword match over D1 chunks; the hybrid vector + FTS5 index
 * replaces it.)
 */
import { eq, isNull, or } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import type { RetrievedPassage } from "./types.ts";

export async function retrieveForAgent(env: Env, workspaceId: string, query: string, opts: { category?: string | null; topK?: number } = {}): Promise<RetrievedPassage[]> {
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const k = schema.knowledgeChunks;
  const rows = await tdb.select(k, opts.category ? or(eq(k.category, opts.category), isNull(k.category)) : undefined, { limit: 500 });
  const terms = query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 2);
  const docs = new Map((await tdb.select(schema.knowledgeDocuments)).map((d) => [d.id, d.title]));
  return rows
    .map((r) => ({ r, score: terms.reduce((s, t) => s + (r.text.toLowerCase().includes(t) ? 1 : 0), 0) / Math.max(1, terms.length) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, opts.topK ?? 5)
    .map(({ r, score }) => ({ chunkId: r.id, documentId: r.documentId, documentTitle: docs.get(r.documentId) ?? "", heading: r.heading, text: r.text, score, citation: [docs.get(r.documentId) ?? "", ...r.heading.slice(-1)].filter(Boolean).join(" › ") }));
}
