/**
 * The embedded default vector + keyword index, stored in SQLite: a Durable Object's
 * `ctx.storage.sql` in Workers, node:sqlite in Node tests (evals/retrieval/sqlite-exec.ts). Vectors are Float32 BLOBs
 * ranked by brute-force cosine (see cosine.ts); chunk text goes into an FTS5 table for
 * BM25 keyword search. Every row carries workspace and namespace, and every query
 * filters on the workspace.
 *
 * Decoded vectors are kept in memory per (workspace, namespace, dims) between queries and
 * dropped on every write: this index is its storage's only writer (one Durable Object, or
 * one Node process), and reading and decoding every BLOB on every query was the largest
 * single cost of a retrieval (an eval run retrieves for thousands of turns).
 */
import { stem, wordTokens, isStopWord } from "../embed/text.ts";
import type { VectorIndex, VectorMatch, VectorQuery, VectorRecord } from "../types.ts";
import { topKMatches } from "./cosine.ts";

/** The shape of `DurableObjectState.storage.sql` that this module needs. */
export interface SqlExec {
  exec(sql: string, ...params: unknown[]): { toArray(): Record<string, unknown>[] };
}

/** A record plus the chunk text that keyword search should see. */
export type IndexedRecord = VectorRecord & { text?: string };

export interface SqliteVectorIndex extends VectorIndex {
  upsert(records: IndexedRecord[]): Promise<void>;
  /** BM25 keyword search over chunk text; user text is turned into quoted terms. */
  keywordSearch(workspaceId: string, q: string, topK: number, namespace?: string): Promise<VectorMatch[]>;
  deleteByDocument(workspaceId: string, documentId: string): Promise<number>;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS kb_vectors (
     id TEXT PRIMARY KEY,
     workspace_id TEXT NOT NULL,
     namespace TEXT NOT NULL,
     document_id TEXT NOT NULL,
     chunk_id TEXT NOT NULL,
     category TEXT,
     dims INTEGER NOT NULL,
     vec BLOB NOT NULL
   )`,
  "CREATE INDEX IF NOT EXISTS kb_vectors_scope ON kb_vectors (workspace_id, namespace)",
  "CREATE INDEX IF NOT EXISTS kb_vectors_document ON kb_vectors (workspace_id, document_id)",
  // remove_diacritics 2 folds accents the same way the embedder's normaliser does.
  `CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(
     text, id UNINDEXED, workspace_id UNINDEXED, namespace UNINDEXED, document_id UNINDEXED,
     tokenize = 'unicode61 remove_diacritics 2'
   )`,
];

/** Creates the tables if needed and returns the index. Safe to call on every DO start. */
export function createSqliteIndex(sql: SqlExec): SqliteVectorIndex {
  for (const statement of SCHEMA) sql.exec(statement);

  const rowToMatch = (row: Record<string, unknown>, score: number): VectorMatch => ({
    id: String(row.id),
    score,
    metadata: {
      workspaceId: String(row.workspace_id),
      documentId: String(row.document_id),
      chunkId: String(row.chunk_id),
      category: typeof row.category === "string" ? row.category : null,
    },
  });

  const decoded = new Map<string, VectorRecord[]>();
  const vectorsOf = (workspaceId: string, namespace: string | undefined, dims: number): VectorRecord[] => {
    const key = JSON.stringify([workspaceId, namespace ?? null, dims]);
    const cached = decoded.get(key);
    if (cached) return cached;
    const rows =
      namespace === undefined
        ? sql.exec("SELECT * FROM kb_vectors WHERE workspace_id = ? AND dims = ?", workspaceId, dims).toArray()
        : sql
            .exec(
              "SELECT * FROM kb_vectors WHERE workspace_id = ? AND namespace = ? AND dims = ?",
              workspaceId,
              namespace,
              dims,
            )
            .toArray();
    const records = rows.map((row): VectorRecord => ({
      id: String(row.id),
      values: decodeVector(row.vec),
      namespace: String(row.namespace),
      metadata: rowToMatch(row, 0).metadata,
    }));
    decoded.set(key, records);
    return records;
  };

  return {
    async upsert(records: IndexedRecord[]): Promise<void> {
      decoded.clear();
      for (const r of records) {
        sql.exec(
          `INSERT INTO kb_vectors (id, workspace_id, namespace, document_id, chunk_id, category, dims, vec)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET workspace_id = excluded.workspace_id, namespace = excluded.namespace,
             document_id = excluded.document_id, chunk_id = excluded.chunk_id, category = excluded.category,
             dims = excluded.dims, vec = excluded.vec`,
          r.id,
          r.metadata.workspaceId,
          r.namespace,
          r.metadata.documentId,
          r.metadata.chunkId,
          r.metadata.category,
          r.values.length,
          encodeVector(r.values),
        );
        sql.exec("DELETE FROM kb_fts WHERE id = ?", r.id);
        if (r.text !== undefined && r.text !== "") {
          sql.exec(
            "INSERT INTO kb_fts (text, id, workspace_id, namespace, document_id) VALUES (?, ?, ?, ?, ?)",
            r.text,
            r.id,
            r.metadata.workspaceId,
            r.namespace,
            r.metadata.documentId,
          );
        }
      }
    },

    async query(values: Float32Array, query: VectorQuery): Promise<VectorMatch[]> {
      return topKMatches(vectorsOf(query.workspaceId, query.namespace, values.length), values, query);
    },

    async keywordSearch(workspaceId: string, q: string, topK: number, namespace?: string): Promise<VectorMatch[]> {
      const match = toFtsQuery(q);
      if (match === null || topK <= 0) return [];
      const scope = namespace === undefined ? "" : "AND f.namespace = ?";
      const params: unknown[] = [match, workspaceId];
      if (namespace !== undefined) params.push(namespace);
      params.push(topK);
      // bm25() is lower-is-better; it is negated so higher means more relevant everywhere.
      // Only the match's columns: the vector BLOB is not needed here and copying it was most of a search.
      const rows = sql
        .exec(
          `SELECT v.id, v.workspace_id, v.document_id, v.chunk_id, v.category, -bm25(kb_fts) AS rank_score
         FROM kb_fts f JOIN kb_vectors v ON v.id = f.id
         WHERE kb_fts MATCH ? AND f.workspace_id = ? ${scope}
         ORDER BY bm25(kb_fts) LIMIT ?`,
          ...params,
        )
        .toArray();
      return rows.map((row) => rowToMatch(row, Number(row.rank_score)));
    },

    async deleteByIds(ids: string[]): Promise<void> {
      decoded.clear();
      for (const id of ids) {
        sql.exec("DELETE FROM kb_vectors WHERE id = ?", id);
        sql.exec("DELETE FROM kb_fts WHERE id = ?", id);
      }
    },

    async deleteByDocument(workspaceId: string, documentId: string): Promise<number> {
      decoded.clear();
      const ids = sql
        .exec("SELECT id FROM kb_vectors WHERE workspace_id = ? AND document_id = ?", workspaceId, documentId)
        .toArray();
      sql.exec("DELETE FROM kb_vectors WHERE workspace_id = ? AND document_id = ?", workspaceId, documentId);
      sql.exec("DELETE FROM kb_fts WHERE workspace_id = ? AND document_id = ?", workspaceId, documentId);
      return ids.length;
    },
  };
}

/**
 * Turns user text into a safe FTS5 query: only letter/digit words survive, each quoted
 * (so AND, NEAR, quotes, colons and parentheses in user text mean nothing) and joined
 * with OR; words are stemmed and matched as prefixes so "deliveries" finds "delivered".
 * Returns null when nothing searchable is left.
 */
export function toFtsQuery(q: string, maxTerms = 24): string | null {
  const terms = new Set<string>();
  for (const token of wordTokens(q)) {
    if (isStopWord(token)) continue;
    let prefix = stem(token);
    if (prefix.length > 4 && /[ey]$/.test(prefix)) prefix = prefix.slice(0, -1);
    terms.add(prefix.length >= 3 ? `"${prefix}"*` : `"${prefix}"`);
    if (terms.size >= maxTerms) break;
  }
  return terms.size === 0 ? null : [...terms].join(" OR ");
}

/** Float32 little-endian bytes, as an ArrayBuffer (the blob type `storage.sql` binds). */
export function encodeVector(values: Float32Array): ArrayBuffer {
  const copy = Float32Array.from(values);
  return copy.buffer;
}

/** Accepts the blob as ArrayBuffer (Workers) or any Uint8Array view (Node drivers). */
export function decodeVector(blob: unknown): Float32Array {
  if (blob instanceof ArrayBuffer) return new Float32Array(blob.slice(0));
  if (blob instanceof Uint8Array) {
    const bytes = new Uint8Array(blob.byteLength);
    bytes.set(blob);
    return new Float32Array(bytes.buffer);
  }
  return new Float32Array(0);
}
