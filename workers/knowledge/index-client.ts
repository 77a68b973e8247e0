/**
 * One knowledge index per workspace behind one interface, whichever backend is bound:
 * - production (`env.VECTORIZE` and `env.AI` bound): Workers AI bge-m3 embeddings and
 *   Vectorize vectors; the workspace's LocalVectorIndex keeps only the FTS5 keyword side
 *   (records with empty vectors), because Vectorize has no keyword search;
 * - everywhere else: the local hashing embedder, vectors and keywords in the workspace's
 *   LocalVectorIndex Durable Object.
 * Vector ids are chunk ids, so deleting by the chunk ids stored in D1 works on both.
 */
import { vectorIndexStub } from "../../durable-objects/vector-index.ts";
import type { DataLocation } from "../protocol/settings.ts";
import { createLocalEmbedder } from "./embed/local.ts";
import { createWorkersAiEmbedder, type AiRunner } from "./embed/workers-ai.ts";
import { createVectorizeIndex, type VectorizeLike } from "./index/vectorize.ts";
import type { IndexedRecord } from "./index/sqlite.ts";
import type { KeywordSearch } from "./retrieve.ts";
import type { Embedder, VectorIndex, VectorMatch, VectorQuery } from "./types.ts";

export interface KnowledgeIndex {
  readonly backend: "local" | "vectorize";
  readonly embedder: Embedder;
  /** The vector side, as hybridRetrieve wants it. */
  readonly vectors: VectorIndex;
  /** BM25 over chunk text, scoped to the workspace. */
  readonly keyword: KeywordSearch;
  /** Stores vectors and keyword text; records must belong to this workspace. */
  upsert(records: IndexedRecord[]): Promise<void>;
  /** Removes a document's vectors; `chunkIds` are needed by backends that cannot filter by document. */
  deleteDocument(documentId: string, chunkIds: string[]): Promise<void>;
  /** Indexed records of the workspace, or of one document. */
  count(documentId?: string): Promise<number>;
}

/** Bindings this module reads; production adds VECTORIZE and AI. */
export interface IndexEnv {
  VECTOR_INDEX: Env["VECTOR_INDEX"];
  VECTORIZE?: VectorizeLike | undefined;
  AI?: AiRunner | undefined;
}

/** Chooses the backend from the bindings present. */
export function knowledgeIndex(env: IndexEnv, workspaceId: string, location?: DataLocation | null): KnowledgeIndex {
  // The workspace's data location (workers/services/data-location.ts): its index object lives there.
  const local = vectorIndexStub(env, workspaceId, location);
  const keyword: KeywordSearch = (ws, q, topK, namespace) => local.keywordSearch(ws, q, topK, namespace);
  const count = (documentId?: string): Promise<number> => local.count(workspaceId, documentId);

  if (env.VECTORIZE !== undefined && env.AI !== undefined) {
    const vectors = createVectorizeIndex(env.VECTORIZE);
    return {
      backend: "vectorize",
      embedder: createWorkersAiEmbedder(env.AI),
      vectors,
      keyword,
      count,
      async upsert(records) {
        await vectors.upsert(records);
        await local.upsert(records.map((r) => ({ ...r, values: new Float32Array(0) })));
      },
      async deleteDocument(documentId, chunkIds) {
        await vectors.deleteByIds(chunkIds);
        await local.deleteByDocument(workspaceId, documentId);
      },
    };
  }

  return {
    backend: "local",
    embedder: createLocalEmbedder(),
    vectors: {
      upsert: (records) => local.upsert(records),
      query: (values: Float32Array, query: VectorQuery): Promise<VectorMatch[]> => local.query(values, query),
      deleteByIds: (ids) => local.deleteByIds(ids),
    },
    keyword,
    count,
    upsert: (records) => local.upsert(records),
    async deleteDocument(documentId) {
      await local.deleteByDocument(workspaceId, documentId);
    },
  };
}
