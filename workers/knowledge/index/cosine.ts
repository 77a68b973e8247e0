/**
 * Brute-force nearest neighbours, shared by the in-memory and the SQLite-backed index.
 * Linear in the number of vectors of one workspace: fine for the thousands of chunks a
 * support knowledge base has; Vectorize takes over beyond that.
 */
import type { VectorMatch, VectorQuery, VectorRecord } from "../types.ts";

/** Cosine similarity; 0 when either vector is all zeros or the sizes differ. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Top-k records by cosine similarity after the workspace/namespace filter; ties by id. */
export function topKMatches(records: Iterable<VectorRecord>, values: Float32Array, query: VectorQuery): VectorMatch[] {
  const scored: VectorMatch[] = [];
  for (const r of records) {
    if (r.metadata.workspaceId !== query.workspaceId) continue;
    if (query.namespace !== undefined && r.namespace !== query.namespace) continue;
    scored.push({ id: r.id, score: cosineSimilarity(values, r.values), metadata: r.metadata });
  }
  scored.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return scored.slice(0, Math.max(0, query.topK));
}
