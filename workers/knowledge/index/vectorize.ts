/**
 * VectorIndex over a Cloudflare Vectorize binding (production). Typed structurally after
 * the documented VectorizeIndex API so a fake speaking the same shapes can stand in for
 * it in tests. The index needs a metadata index on `workspaceId`
 * (`wrangler vectorize create-metadata-index <name> --property-name=workspaceId --type=string`),
 * otherwise the workspace filter matches nothing.
 */
import { z } from "zod";
import type { VectorIndex, VectorMatch, VectorQuery, VectorRecord } from "../types.ts";

type VectorizeMetadata = Record<string, string | number | boolean | string[]>;

/** The subset of `VectorizeIndex` this adapter uses. */
export interface VectorizeLike {
  upsert(
    vectors: Array<{ id: string; values: number[] | Float32Array; namespace?: string; metadata?: VectorizeMetadata }>,
  ): Promise<unknown>;
  query(
    vector: number[] | Float32Array,
    options: {
      topK?: number;
      namespace?: string;
      /** Equality filters on indexed metadata (the only kind this adapter sends). */
      filter?: Record<string, string>;
      returnValues?: boolean;
      returnMetadata?: boolean | "all" | "indexed" | "none";
    },
  ): Promise<{
    matches: Array<{ id: string; score: number; metadata?: Record<string, unknown> | undefined }>;
    count?: number;
  }>;
  deleteByIds(ids: string[]): Promise<unknown>;
}

/** Vectorize limits: 1000 vectors per upsert call, topK ≤ 20 when returning all metadata. */
const UPSERT_BATCH = 1000;
const DELETE_BATCH = 1000;
const MAX_TOP_K_WITH_METADATA = 20;

const MetadataSchema = z.object({
  workspaceId: z.string(),
  documentId: z.string(),
  chunkId: z.string(),
  category: z.string().optional(),
});

/** Wraps a Vectorize binding as a VectorIndex. */
export function createVectorizeIndex(binding: VectorizeLike): VectorIndex {
  return {
    async upsert(records: VectorRecord[]): Promise<void> {
      for (let i = 0; i < records.length; i += UPSERT_BATCH) {
        await binding.upsert(
          records.slice(i, i + UPSERT_BATCH).map((r) => {
            // Vectorize metadata cannot hold null: an absent category means "none".
            const metadata: VectorizeMetadata = {
              workspaceId: r.metadata.workspaceId,
              documentId: r.metadata.documentId,
              chunkId: r.metadata.chunkId,
            };
            if (r.metadata.category !== null) metadata.category = r.metadata.category;
            return { id: r.id, values: Array.from(r.values), namespace: r.namespace, metadata };
          }),
        );
      }
    },
    async query(values: Float32Array, query: VectorQuery): Promise<VectorMatch[]> {
      const options: Parameters<VectorizeLike["query"]>[1] = {
        topK: Math.min(Math.max(1, query.topK), MAX_TOP_K_WITH_METADATA),
        filter: { workspaceId: query.workspaceId },
        returnMetadata: "all",
      };
      if (query.namespace !== undefined) options.namespace = query.namespace;
      const result = await binding.query(Array.from(values), options);
      const matches: VectorMatch[] = [];
      for (const m of result.matches) {
        const meta = MetadataSchema.safeParse(m.metadata);
        // Belt and braces: never return another workspace's vector even if the filter is missing.
        if (!meta.success || meta.data.workspaceId !== query.workspaceId) continue;
        matches.push({ id: m.id, score: m.score, metadata: { ...meta.data, category: meta.data.category ?? null } });
      }
      return matches;
    },
    async deleteByIds(ids: string[]): Promise<void> {
      for (let i = 0; i < ids.length; i += DELETE_BATCH) await binding.deleteByIds(ids.slice(i, i + DELETE_BATCH));
    },
  };
}
