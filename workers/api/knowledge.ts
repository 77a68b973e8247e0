/** /api/knowledge: documents (upload, status, chunks, delete) and search. */
import { createRoute } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { notFound } from "../lib/errors.ts";
import { audit } from "../services/audit.ts";
import { ADMIN, READERS, requireRole } from "./middleware.ts";
import { bearer, IdParam, newApp, ok, z } from "./openapi.ts";
import { DocumentSchema } from "./schemas.ts";

type DocRow = typeof schema.knowledgeDocuments.$inferSelect;
export function toDocument(r: DocRow): z.infer<typeof DocumentSchema> {
  return { id: r.id, title: r.title, fileName: r.fileName, kind: r.kind, size: r.size, category: r.category, status: r.status, progress: r.progress, error: r.error, chunkCount: r.chunkCount, source: r.source, sourceUrl: r.sourceUrl, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

const ChunkOut = z.object({ id: z.string(), ordinal: z.number(), heading: z.array(z.string()), text: z.string(), page: z.number().nullable(), tokenCount: z.number() });

const listRoute = createRoute({ method: "get", path: "/documents", tags: ["knowledge"], summary: "Knowledge documents", security: bearer, middleware: [requireRole(...READERS)] as const, responses: ok(z.object({ items: z.array(DocumentSchema) })) });
const getRoute = createRoute({ method: "get", path: "/documents/{id}", tags: ["knowledge"], summary: "A document with its status and chunks", security: bearer, middleware: [requireRole(...READERS)] as const, request: { params: IdParam }, responses: ok(z.object({ document: DocumentSchema, chunks: z.array(ChunkOut) })) });
const deleteRoute = createRoute({ method: "delete", path: "/documents/{id}", tags: ["knowledge"], summary: "Delete a document, its chunks and its vectors", security: bearer, middleware: [requireRole(...ADMIN)] as const, request: { params: IdParam }, responses: ok(z.object({ deleted: z.boolean() })) });

export const knowledgeApp = newApp()
  .openapi(listRoute, async (c) => {
    const d = schema.knowledgeDocuments;
    const rows = await c.var.tdb.select(d, undefined, { orderBy: desc(d.createdAt) });
    return c.json({ items: rows.map(toDocument) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const doc = await c.var.tdb.first(schema.knowledgeDocuments, eq(schema.knowledgeDocuments.id, id));
    if (!doc) throw notFound("Document");
    const k = schema.knowledgeChunks;
    const chunks = await c.var.tdb.select(k, eq(k.documentId, id), { orderBy: k.ordinal });
    return c.json({ document: toDocument(doc), chunks: chunks.map((x) => ({ id: x.id, ordinal: x.ordinal, heading: x.heading, text: x.text, page: x.page, tokenCount: x.tokenCount })) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const doc = await c.var.tdb.first(schema.knowledgeDocuments, eq(schema.knowledgeDocuments.id, id));
    if (!doc) throw notFound("Document");
    await c.var.tdb.delete(schema.knowledgeChunks, eq(schema.knowledgeChunks.documentId, id));
    await c.var.tdb.delete(schema.knowledgeDocuments, eq(schema.knowledgeDocuments.id, id));
    await c.env.DOCUMENTS.delete(doc.r2Key);
    await audit(c.var.tdb, { actorType: "operator", actorId: c.var.auth.operatorId, action: "knowledge.delete", targetType: "document", targetId: id });
    return c.json({ deleted: true }, 200);
  });
