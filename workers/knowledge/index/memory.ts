/** In-memory VectorIndex for tests and scripts; the same ranking as the SQLite index. */
import type { VectorIndex, VectorMatch, VectorQuery, VectorRecord } from "../types.ts";
import { topKMatches } from "./cosine.ts";

export interface MemoryVectorIndex extends VectorIndex {
  readonly size: number;
}

/** Creates an empty in-memory index. Records are copied so callers may reuse arrays. */
export function createMemoryIndex(): MemoryVectorIndex {
  const records = new Map<string, VectorRecord>();
  return {
    get size() {
      return records.size;
    },
    async upsert(batch: VectorRecord[]): Promise<void> {
      for (const r of batch)
        records.set(r.id, { ...r, values: Float32Array.from(r.values), metadata: { ...r.metadata } });
    },
    async query(values: Float32Array, query: VectorQuery): Promise<VectorMatch[]> {
      return topKMatches(records.values(), values, query);
    },
    async deleteByIds(ids: string[]): Promise<void> {
      for (const id of ids) records.delete(id);
    },
  };
}
