/**
 * Knowledge for the support agent: the functions the AI engine calls.
 * - `retrieveForAgent`: hybrid retrieval (vectors + BM25, fused; the conversation's
 *   category boosted) over the workspace's index, passages loaded from D1 with citations.
 * - `fewShotExamples`: approved question → answer pairs of a category, nearest to the
 *   customer's question first. Pending and rejected examples are never used.
 */
import { and, eq, inArray } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { tenantDb } from "./documents.ts";
import { cosineSimilarity } from "./index/cosine.ts";
import { createLocalEmbedder } from "./embed/local.ts";
import { knowledgeIndex } from "./index-client.ts";
import { workspaceLocation } from "../services/data-location.ts";
import { hybridRetrieve, type ChunkInfo, type ChunkLookup } from "./retrieve.ts";
import type { RetrievedPassage } from "./types.ts";

/** Returns the passages that best answer `query`, best first (at most `topK`, default 5). */
export async function retrieveForAgent(
  env: Env,
  workspaceId: string,
  query: string,
  opts: { category?: string | null; topK?: number; lookup?: ChunkLookup } = {},
): Promise<RetrievedPassage[]> {
  const index = knowledgeIndex(env, workspaceId, await workspaceLocation(env, workspaceId));
  const input: Parameters<typeof hybridRetrieve>[0] = {
    embedder: index.embedder,
    index: index.vectors,
    keyword: index.keyword,
    lookup: opts.lookup ?? chunkLookup(env, workspaceId),
    workspaceId,
    category: opts.category ?? null,
    query: query.slice(0, 2000),
  };
  if (opts.topK !== undefined) input.topK = opts.topK;
  return hybridRetrieve(input);
}

/**
 * chunkLookup that keeps what it read (eval batches: the passages of one knowledge base
 * come back case after case). Only ids not seen yet go to D1; an id D1 did not return
 * (deleted chunk or document) is looked up again next time.
 */
export function cachedChunkLookup(env: Env, workspaceId: string): ChunkLookup {
  const inner = chunkLookup(env, workspaceId);
  const seen = new Map<string, ChunkInfo>();
  return async (chunkIds) => {
    const wanted = chunkIds.slice(0, 90);
    const missing = [...new Set(wanted)].filter((id) => !seen.has(id));
    if (missing.length) for (const [id, info] of await inner(missing)) seen.set(id, info);
    const out = new Map<string, ChunkInfo>();
    for (const id of wanted) {
      const info = seen.get(id);
      if (info) out.set(id, info);
    }
    return out;
  };
}

/** Chunks by id from D1, only of this workspace and only of documents that still exist. */
function chunkLookup(env: Env, workspaceId: string): ChunkLookup {
  return async (chunkIds) => {
    const out = new Map<string, ChunkInfo>();
    if (chunkIds.length === 0) return out;
    const tdb = tenantDb(env, workspaceId);
    const k = schema.knowledgeChunks;
    const d = schema.knowledgeDocuments;
    const chunks = await tdb.select(k, inArray(k.id, chunkIds.slice(0, 90)));
    const docIds = [...new Set(chunks.map((c) => c.documentId))];
    const docs = docIds.length === 0 ? [] : await tdb.select(d, inArray(d.id, docIds));
    const titles = new Map(docs.map((doc) => [doc.id, doc.title]));
    for (const c of chunks) {
      const title = titles.get(c.documentId);
      if (title === undefined) continue;
      const info: ChunkInfo = {
        chunkId: c.id,
        documentId: c.documentId,
        documentTitle: title,
        heading: c.heading,
        text: c.text,
      };
      if (c.page !== null) info.page = c.page;
      out.set(c.id, info);
    }
    return out;
  };
}

/** One approved example as the agent's prompt builder wants it. */
export interface FewShotExample {
  id: string;
  question: string;
  answer: string;
  /** Similarity of the example's question to the customer's (0..1). */
  score: number;
}

/** Examples considered per call; a category collects tens, not thousands. */
const MAX_CANDIDATES = 200;

/**
 * Up to `k` approved examples of `category`, most similar question first. Ranked with
 * the local embedder: examples are few and short, so this costs no provider call and
 * stays deterministic.
 */
export async function fewShotExamples(
  env: Env,
  workspaceId: string,
  category: string,
  query: string,
  k = 3,
): Promise<FewShotExample[]> {
  if (k <= 0) return [];
  const f = schema.fewShotExamples;
  const rows = await tenantDb(env, workspaceId).select(f, and(eq(f.category, category), eq(f.status, "approved")), {
    limit: MAX_CANDIDATES,
  });
  if (rows.length === 0) return [];
  const embedder = createLocalEmbedder();
  const [q, ...vectors] = await embedder.embed([query, ...rows.map((r) => r.question)]);
  return rows
    .map((r, i) => ({
      id: r.id,
      question: r.question,
      answer: r.answer,
      score: q === undefined ? 0 : cosineSimilarity(q, vectors[i] ?? new Float32Array(0)),
    }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, k);
}
