/**
 * Document lifecycle shared by the API, the queue consumer, the crawler and the seed:
 * where originals live in R2, how a document's chunks and vectors are removed together,
 * and how a document is (re)queued for ingestion. Keeping these in one module is what
 * guarantees that no path deletes chunks but forgets the vectors.
 */
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { knowledgeIndex } from "./index-client.ts";
import { workspaceLocation } from "../services/data-location.ts";
import { ingestQueue } from "./messages.ts";

export type DocumentRow = typeof schema.knowledgeDocuments.$inferSelect;

/** Uploads larger than this are refused before parsing (and before reading them fully). */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** The workspace's database handle for code that runs outside a request. */
export function tenantDb(env: Pick<Env, "DB">, workspaceId: string): TenantDb {
  return new TenantDb(rawDb(env.DB), workspaceId);
}

/** `<workspaceId>/documents/<docId>/<name>`: everything of a workspace under one prefix. */
export function documentKey(workspaceId: string, documentId: string, name: string): string {
  return `${workspaceId}/documents/${documentId}/${name}`;
}

/**
 * A file name safe to show and to use as the last R2 key segment: no directories, no
 * control characters, at most 200 characters.
 */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(-200);
  return clean === "" || clean === "." || clean === ".." ? "document" : clean;
}

/** SHA-256 hex of raw bytes (upload dedupe and change detection). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", Uint8Array.from(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Removes a document's vectors and chunks (the row and the original stay). */
export async function clearDocumentIndex(env: Env, tdb: TenantDb, documentId: string): Promise<void> {
  const k = schema.knowledgeChunks;
  const chunkIds = (await tdb.select(k, eq(k.documentId, documentId))).map((c) => c.id);
  await knowledgeIndex(env, tdb.workspaceId, await workspaceLocation(env, tdb.workspaceId)).deleteDocument(
    documentId,
    chunkIds,
  );
  await tdb.delete(k, eq(k.documentId, documentId));
}

/** Deletes a document completely: vectors, chunks, the original in R2 and the row. */
export async function deleteDocument(env: Env, tdb: TenantDb, doc: DocumentRow): Promise<void> {
  await clearDocumentIndex(env, tdb, doc.id);
  await tdb.delete(schema.knowledgeDocuments, eq(schema.knowledgeDocuments.id, doc.id));
  await env.DOCUMENTS.delete(doc.r2Key);
}

/** Clears the index of a document, marks it queued and sends the first ingest message. */
export async function requeueDocument(env: Env, tdb: TenantDb, documentId: string): Promise<void> {
  await clearDocumentIndex(env, tdb, documentId);
  await tdb.update(
    schema.knowledgeDocuments,
    { status: "queued", progress: 0, error: null, chunkCount: 0, updatedAt: Date.now() },
    eq(schema.knowledgeDocuments.id, documentId),
  );
  await ingestQueue.send(env, { type: "parse", workspaceId: tdb.workspaceId, documentId });
}
