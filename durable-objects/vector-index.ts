/**
 * LocalVectorIndex: the embedded vector + keyword index, one object per workspace
 * (`idFromName(workspaceId)`). It stays thin: every method is an RPC that forwards to
 * the pure SQLite index in `workers/knowledge/index/sqlite.ts` over `ctx.storage.sql`.
 * In production the vectors live in Vectorize and this object keeps only the FTS5
 * keyword side (records with empty vectors), so BM25 works everywhere.
 */
import { DurableObject } from "cloudflare:workers";
import { placedStub } from "./stubs.ts";
import type { DataLocation } from "./placement.ts";
import { createSqliteIndex, type IndexedRecord, type SqliteVectorIndex } from "../workers/knowledge/index/sqlite.ts";
import type { VectorMatch, VectorQuery } from "../workers/knowledge/types.ts";

export class LocalVectorIndex extends DurableObject<Env> {
  readonly #index: SqliteVectorIndex;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // CREATE IF NOT EXISTS statements: cheap, and done before any RPC can run.
    this.#index = createSqliteIndex(ctx.storage.sql);
  }

  /** Inserts or replaces records (vector, metadata and keyword text) by id. */
  async upsert(records: IndexedRecord[]): Promise<void> {
    await this.#index.upsert(records);
  }

  /** Nearest vectors of the workspace (optionally one namespace), best first. */
  async query(values: Float32Array, query: VectorQuery): Promise<VectorMatch[]> {
    return this.#index.query(values, query);
  }

  /** BM25 keyword search; higher scores are better. */
  async keywordSearch(workspaceId: string, q: string, topK: number, namespace?: string): Promise<VectorMatch[]> {
    return this.#index.keywordSearch(workspaceId, q, topK, namespace);
  }

  /** Removes every record of a document; returns how many there were. */
  async deleteByDocument(workspaceId: string, documentId: string): Promise<number> {
    return this.#index.deleteByDocument(workspaceId, documentId);
  }

  async deleteByIds(ids: string[]): Promise<void> {
    await this.#index.deleteByIds(ids);
  }

  /**
   * Erasure (issue 20): removes the workspace's records whose text contains any needle
   * (a contact's email, phone or message text); returns their ids so the caller can drop
   * the same vectors from Vectorize in production.
   */
  async eraseMatching(workspaceId: string, needles: string[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const n of needles)
      for (const row of this.ctx.storage.sql
        .exec("SELECT id FROM kb_fts WHERE workspace_id = ? AND instr(text, ?) > 0", workspaceId, n)
        .toArray())
        ids.add(String(row.id));
    await this.#index.deleteByIds([...ids]);
    return [...ids];
  }

  /** Records of a workspace, or of one document of it. */
  async count(workspaceId: string, documentId?: string): Promise<number> {
    const rows =
      documentId === undefined
        ? this.ctx.storage.sql
            .exec("SELECT COUNT(*) AS n FROM kb_vectors WHERE workspace_id = ?", workspaceId)
            .toArray()
        : this.ctx.storage.sql
            .exec(
              "SELECT COUNT(*) AS n FROM kb_vectors WHERE workspace_id = ? AND document_id = ?",
              workspaceId,
              documentId,
            )
            .toArray();
    return Number(rows[0]?.n ?? 0);
  }
}

/** The workspace's index object. */
export function vectorIndexStub(
  env: Pick<Env, "VECTOR_INDEX">,
  workspaceId: string,
  location?: DataLocation | null,
): DurableObjectStub<LocalVectorIndex> {
  return placedStub(env.VECTOR_INDEX as DurableObjectNamespace<LocalVectorIndex>, workspaceId, location);
}
