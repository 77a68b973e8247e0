/**
 * The ingestion pipeline as resumable steps. `parse` turns the original in R2 into
 * chunks in D1; each `embed` step embeds one slice of at most EMBED_SLICE chunks and
 * names the next slice with a cursor (the next ordinal). The queue consumer runs one
 * step per message; `ingestNow` runs the whole chain in-process for small documents
 * (the demo FAQ). Every step re-reads the document row and does nothing when the row
 * is gone or in another state, so duplicate or stale messages are harmless.
 */
import { and, asc, eq, gte } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import { chunkDocument, chunkEmbeddingText } from "./chunk.ts";
import { clearDocumentIndex, tenantDb } from "./documents.ts";
import { DocumentParseError } from "./errors.ts";
import { knowledgeIndex } from "./index-client.ts";
import { workspaceLocation } from "../services/data-location.ts";
import type { IngestMessage } from "./messages.ts";
import { parseDocument } from "./parse/index.ts";
import type { Chunk } from "./types.ts";
import { readSealed } from "../services/sealed-bucket.ts";

/**
 * Chunks embedded per message: one Workers AI call (≤ 100 texts) and one index upsert,
 * far below the CPU, subrequest and payload limits of one queue invocation.
 */
export const EMBED_SLICE = 64;
/** Share of the progress bar given to parsing; embedding fills the rest. */
const PARSE_SHARE = 0.1;

/** What one step did, for the consumer's log and for tests. */
export interface StepOutcome {
  step: IngestMessage["type"];
  status: "done" | "failed" | "skipped";
  /** Chunks stored (parse) or embedded (embed) by this step. */
  chunks: number;
  /** The message that continues the chain, if any. */
  next: IngestMessage | null;
  reason?: string;
}

type StepMessage = Extract<IngestMessage, { type: "parse" | "embed" }>;

/** Runs one parse or embed step. Throws only for transient errors worth a retry. */
export async function runIngestStep(env: Env, message: StepMessage): Promise<StepOutcome> {
  const tdb = tenantDb(env, message.workspaceId);
  return message.type === "parse"
    ? parseStep(env, tdb, message.documentId)
    : embedStep(env, tdb, message.documentId, message.cursor);
}

/** Marks a document failed with a reason an admin can act on. */
export async function markFailed(tdb: TenantDb, documentId: string, reason: string): Promise<void> {
  const d = schema.knowledgeDocuments;
  await tdb.update(d, { status: "failed", error: reason.slice(0, 500), updatedAt: Date.now() }, eq(d.id, documentId));
}

async function parseStep(env: Env, tdb: TenantDb, documentId: string): Promise<StepOutcome> {
  const d = schema.knowledgeDocuments;
  const skipped = (reason: string): StepOutcome => ({
    step: "parse",
    status: "skipped",
    chunks: 0,
    next: null,
    reason,
  });
  const doc = await tdb.first(d, eq(d.id, documentId));
  if (doc === undefined) return skipped("document deleted");
  // "parsing" is allowed: it is what a retried parse step finds.
  if (doc.status !== "queued" && doc.status !== "parsing") return skipped(`document is ${doc.status}`);
  await tdb.update(d, { status: "parsing", progress: 0, error: null, updatedAt: Date.now() }, eq(d.id, documentId));

  const failed = async (reason: string): Promise<StepOutcome> => {
    await markFailed(tdb, documentId, reason);
    return { step: "parse", status: "failed", chunks: 0, next: null, reason };
  };
  const object = await readSealed(env, "DOCUMENTS", tdb.workspaceId, doc.r2Key);
  if (object === null) return failed("the original file is missing from storage or does not open");
  const bytes = object.bytes;
  let chunks: Chunk[];
  let title: string;
  try {
    const parsed = await parseDocument(doc.kind, bytes);
    chunks = chunkDocument(parsed);
    title = parsed.title.trim() === "" || parsed.title === "Untitled" ? doc.title : parsed.title.trim();
  } catch (err) {
    if (err instanceof DocumentParseError) return failed(err.reason);
    throw err;
  }
  if (chunks.length === 0) return failed("no text found in the document");

  // A retried step may have stored part of the chunks already: start clean.
  await clearDocumentIndex(env, tdb, documentId);
  await tdb.insert(
    schema.knowledgeChunks,
    chunks.map((c) => ({
      id: newId("kch"),
      documentId,
      ordinal: c.ordinal,
      heading: c.heading,
      text: c.text,
      page: c.page ?? null,
      tokenCount: c.tokenCount,
      category: doc.category,
    })),
  );
  await tdb.update(
    d,
    { status: "embedding", title, chunkCount: chunks.length, progress: PARSE_SHARE, updatedAt: Date.now() },
    eq(d.id, documentId),
  );
  return {
    step: "parse",
    status: "done",
    chunks: chunks.length,
    next: { type: "embed", workspaceId: tdb.workspaceId, documentId, cursor: 0 },
  };
}

async function embedStep(env: Env, tdb: TenantDb, documentId: string, cursor: number): Promise<StepOutcome> {
  const d = schema.knowledgeDocuments;
  const k = schema.knowledgeChunks;
  const doc = await tdb.first(d, eq(d.id, documentId));
  if (doc === undefined) return { step: "embed", status: "skipped", chunks: 0, next: null, reason: "document deleted" };
  if (doc.status !== "embedding")
    return { step: "embed", status: "skipped", chunks: 0, next: null, reason: `document is ${doc.status}` };

  const rows = await tdb.select(k, and(eq(k.documentId, documentId), gte(k.ordinal, cursor)), {
    orderBy: asc(k.ordinal),
    limit: EMBED_SLICE,
  });
  const index = knowledgeIndex(env, tdb.workspaceId, await workspaceLocation(env, tdb.workspaceId));
  if (rows.length > 0) {
    const vectors = await index.embedder.embed(rows.map((r) => chunkEmbeddingText(toChunk(r), doc.title)));
    await index.upsert(
      rows.map((r, i) => ({
        id: r.id,
        values: vectors[i] ?? new Float32Array(0),
        namespace: doc.category ?? "workspace",
        metadata: { workspaceId: tdb.workspaceId, documentId, chunkId: r.id, category: doc.category },
        // Headings are searchable words too ("Express delivery" may not recur in the text).
        text: [...r.heading, r.text].join("\n"),
      })),
    );
  }
  const last = rows[rows.length - 1];
  const done = last === undefined ? doc.chunkCount : last.ordinal + 1;
  const finished = rows.length < EMBED_SLICE || done >= doc.chunkCount;
  const progress = finished ? 1 : PARSE_SHARE + (1 - PARSE_SHARE) * (done / Math.max(1, doc.chunkCount));
  await tdb.update(
    d,
    { status: finished ? "ready" : "embedding", progress, updatedAt: Date.now() },
    eq(d.id, documentId),
  );
  return {
    step: "embed",
    status: "done",
    chunks: rows.length,
    next: finished ? null : { type: "embed", workspaceId: tdb.workspaceId, documentId, cursor: done },
  };
}

function toChunk(r: typeof schema.knowledgeChunks.$inferSelect): Chunk {
  const chunk: Chunk = { ordinal: r.ordinal, text: r.text, heading: r.heading, tokenCount: r.tokenCount };
  if (r.page !== null) chunk.page = r.page;
  return chunk;
}

/**
 * Runs a document's whole chain in this invocation. Only for small documents whose
 * size is known (the seed FAQ); uploads and crawled pages go through the queue.
 */
export async function ingestNow(env: Env, workspaceId: string, documentId: string): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  let message: StepMessage | null = { type: "parse", workspaceId, documentId };
  while (message !== null) {
    const outcome = await runIngestStep(env, message);
    outcomes.push(outcome);
    message = outcome.next !== null && outcome.next.type !== "crawl" ? outcome.next : null;
  }
  return outcomes;
}
