/**
 * /api/knowledge: documents (upload, status, chunks, reindex, delete), search, and the
 * crawl-sources and few-shot-examples sub-apps. Uploads are stored in R2 and queued;
 * the ingest consumer (workers/queues/ingest.ts) does the parsing and embedding.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import {
  cleanFileName,
  deleteDocument,
  documentKey,
  MAX_DOCUMENT_BYTES,
  requeueDocument,
  sha256Hex,
} from "../knowledge/documents.ts";
import { ingestQueue } from "../knowledge/messages.ts";
import { retrieveForAgent } from "../knowledge/service.ts";
import { isSizeFailure } from "../knowledge/parse/limits.ts";
import { sniffDocumentKind } from "../knowledge/sniff.ts";
import { newId } from "../lib/ids.ts";
import { ApiError, badRequest, notFound } from "../lib/errors.ts";
import { audit } from "../services/audit.ts";
import { checkCategory } from "./knowledge-common.ts";
import { crawlSourcesApp } from "./knowledge-crawl.ts";
import { examplesApp } from "./knowledge-examples.ts";
import { ADMIN, READERS, requireRole } from "./middleware.ts";
import { FORM_OVERHEAD_BYTES, readMultipartForm } from "./form.ts";
import { bearer, ErrorSchema, IdParam, newApp, ok, z } from "./openapi.ts";
import { putSealed } from "../services/sealed-bucket.ts";
import {
  DeletedSchema,
  DocumentAcceptedSchema,
  DocumentDetailSchema,
  DocumentSchema,
  KnowledgeSearchSchema,
} from "./schemas.ts";

type DocRow = typeof schema.knowledgeDocuments.$inferSelect;
export function toDocument(r: DocRow): z.infer<typeof DocumentSchema> {
  return {
    id: r.id,
    title: r.title,
    fileName: r.fileName,
    kind: r.kind,
    size: r.size,
    category: r.category,
    status: r.status,
    progress: r.progress,
    error: r.error,
    chunkCount: r.chunkCount,
    source: r.source,
    sourceUrl: r.sourceUrl,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** 202 with a body, plus the usual errors (uploads add 413 and 415). */
function accepted<T extends z.ZodType>(schemaOut: T) {
  const error = (description: string) => ({ content: { "application/json": { schema: ErrorSchema } }, description });
  return {
    202: { content: { "application/json": { schema: schemaOut } }, description: "Accepted: queued for ingestion" },
    400: error("Invalid request"),
    401: error("Not authenticated"),
    403: error("Not allowed"),
    404: error("Not found"),
    413: error("File larger than 20 MB"),
    415: error("Not a PDF, DOCX, HTML, Markdown or text document"),
  } as const;
}

const listRoute = createRoute({
  method: "get",
  path: "/documents",
  tags: ["knowledge"],
  summary: "Knowledge documents",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  responses: ok(z.object({ items: z.array(DocumentSchema) })),
});
const getRoute = createRoute({
  method: "get",
  path: "/documents/{id}",
  tags: ["knowledge"],
  summary: "A document with its status, progress and chunks",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { params: IdParam },
  responses: ok(DocumentDetailSchema),
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/documents/{id}",
  tags: ["knowledge"],
  summary: "Delete a document, its chunks, its vectors and its original",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(DeletedSchema),
});
const uploadRoute = createRoute({
  method: "post",
  path: "/documents",
  tags: ["knowledge"],
  summary:
    "Upload a document (multipart/form-data: `file`, optional `category` key; ≤ 20 MB; PDF, DOCX, HTML, Markdown or text, recognised from the bytes). Re-uploading a file name replaces the earlier document.",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  responses: accepted(DocumentAcceptedSchema),
});
const reindexRoute = createRoute({
  method: "post",
  path: "/documents/{id}/reindex",
  tags: ["knowledge"],
  summary: "Parse, chunk and embed a document again",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: accepted(DocumentAcceptedSchema),
});
const searchRoute = createRoute({
  method: "get",
  path: "/search",
  tags: ["knowledge"],
  summary: "Hybrid search (vectors + keywords) with citations, as the AI agent sees it",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(2000),
      category: z.string().max(64).optional(),
      topK: z.coerce.number().int().min(1).max(20).default(5),
    }),
  },
  responses: ok(KnowledgeSearchSchema),
});

async function ownDocument(tdb: TenantDb, id: string): Promise<DocRow> {
  const doc = await tdb.first(schema.knowledgeDocuments, eq(schema.knowledgeDocuments.id, id));
  if (!doc) throw notFound("Document");
  return doc;
}

function tooLarge(): ApiError {
  return new ApiError(413, "payload_too_large", `Documents are limited to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`);
}

export const knowledgeApp = newApp()
  .openapi(listRoute, async (c) => {
    const d = schema.knowledgeDocuments;
    const rows = await c.var.tdb.select(d, undefined, { orderBy: desc(d.createdAt) });
    return c.json({ items: rows.map(toDocument) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const doc = await ownDocument(c.var.tdb, id);
    const k = schema.knowledgeChunks;
    const chunks = await c.var.tdb.select(k, eq(k.documentId, id), { orderBy: k.ordinal });
    return c.json(
      {
        document: toDocument(doc),
        chunks: chunks.map((x) => ({
          id: x.id,
          ordinal: x.ordinal,
          heading: x.heading,
          text: x.text,
          page: x.page,
          tokenCount: x.tokenCount,
        })),
      },
      200,
    );
  })
  .openapi(uploadRoute, async (c) => {
    if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
      throw new ApiError(415, "unsupported_media_type", 'Send the document as multipart/form-data in the field "file"');
    }
    const form = await readMultipartForm(c.req.raw, {
      maxBytes: MAX_DOCUMENT_BYTES + FORM_OVERHEAD_BYTES,
      tooLarge: tooLarge().message,
      notForm: "The multipart body could not be read",
    });
    const file = form.get("file");
    if (!(file instanceof File)) throw badRequest('A document is required in the field "file"');
    if (file.size > MAX_DOCUMENT_BYTES) throw tooLarge();
    if (file.size === 0) throw badRequest("The file is empty");
    const rawCategory = form.get("category");
    const category = await checkCategory(c.var.tdb, typeof rawCategory === "string" ? rawCategory.trim() : null);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const name = cleanFileName(file.name);
    const kind = sniffDocumentKind(bytes, name, file.type);
    if (kind === null)
      throw new ApiError(
        415,
        "unsupported_media_type",
        "This file is not a PDF, DOCX, HTML, Markdown or plain-text document",
      );

    const tdb = c.var.tdb;
    const d = schema.knowledgeDocuments;
    for (const old of await tdb.select(d, and(eq(d.source, "upload"), eq(d.fileName, name))))
      await deleteDocument(c.env, tdb, old);

    const id = newId("kdoc");
    const r2Key = documentKey(tdb.workspaceId, id, name);
    await putSealed(c.env, "DOCUMENTS", tdb.workspaceId, r2Key, bytes, {
      contentType: file.type || "application/octet-stream",
    });
    await tdb.insert(d, {
      id,
      title: name.replace(/\.[A-Za-z0-9]{1,8}$/, ""),
      fileName: name,
      kind,
      size: bytes.length,
      r2Key,
      category,
      status: "queued",
      contentHash: await sha256Hex(bytes),
      source: "upload",
    });
    await ingestQueue.send(c.env, { type: "parse", workspaceId: tdb.workspaceId, documentId: id });
    await audit(tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "knowledge.upload",
      targetType: "document",
      targetId: id,
      detail: { fileName: name, kind, size: bytes.length },
    });
    return c.json({ document: toDocument(await ownDocument(tdb, id)) }, 202);
  })
  .openapi(reindexRoute, async (c) => {
    const { id } = c.req.valid("param");
    const existing = await ownDocument(c.var.tdb, id);
    // A decompression bomb stays failed: parsing it again would only burn the same budget.
    if (existing.status === "failed" && isSizeFailure(existing.error))
      throw new ApiError(409, "too_large", `This document cannot be indexed (${existing.error ?? "too large"})`);
    await requeueDocument(c.env, c.var.tdb, id);
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "knowledge.reindex",
      targetType: "document",
      targetId: id,
    });
    return c.json({ document: toDocument(await ownDocument(c.var.tdb, id)) }, 202);
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const doc = await ownDocument(c.var.tdb, id);
    await deleteDocument(c.env, c.var.tdb, doc);
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "knowledge.delete",
      targetType: "document",
      targetId: id,
    });
    return c.json({ deleted: true }, 200);
  })
  .openapi(searchRoute, async (c) => {
    const { q, category, topK } = c.req.valid("query");
    const items = await retrieveForAgent(c.env, c.var.auth.workspaceId, q, { category: category ?? null, topK });
    return c.json({ items }, 200);
  })
  .route("/crawl-sources", crawlSourcesApp)
  .route("/examples", examplesApp);
