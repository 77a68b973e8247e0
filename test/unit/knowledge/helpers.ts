/** Fixture loading and a small in-test knowledge base shared by the knowledge tests. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chunkDocument, chunkEmbeddingText } from "../../../workers/knowledge/chunk.ts";
import type { ChunkInfo } from "../../../workers/knowledge/retrieve.ts";
import type { Embedder, ParsedDocument, VectorIndex, VectorRecord } from "../../../workers/knowledge/types.ts";

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/knowledge/${name}`, import.meta.url))));
}

export function faq(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../workers/db/seed/faq/${name}`, import.meta.url))));
}

/** Chunks and embeds documents into an index; returns the chunk lookup retrieval needs. */
export async function indexDocuments(
  docs: Array<{ id: string; doc: ParsedDocument; category?: string }>,
  embedder: Embedder,
  index: VectorIndex & { upsert(records: Array<VectorRecord & { text?: string }>): Promise<void> },
  workspaceId = "ws_test",
): Promise<(ids: string[]) => Promise<Map<string, ChunkInfo>>> {
  const chunks = new Map<string, ChunkInfo>();
  for (const { id, doc, category } of docs) {
    const docChunks = chunkDocument(doc);
    const texts = docChunks.map((c) => chunkEmbeddingText(c, doc.title));
    const vectors = await embedder.embed(texts);
    await index.upsert(
      docChunks.map((c, i) => {
        const chunkId = `${id}#${c.ordinal}`;
        const info: ChunkInfo = { chunkId, documentId: id, documentTitle: doc.title, heading: c.heading, text: c.text };
        if (c.page !== undefined) info.page = c.page;
        chunks.set(chunkId, info);
        return {
          id: chunkId,
          values: vectors[i] ?? new Float32Array(embedder.dimensions),
          namespace: category ?? "workspace",
          metadata: { workspaceId, documentId: id, chunkId, category: category ?? null },
          text: texts[i] ?? "",
        };
      }),
    );
  }
  return async (ids) =>
    new Map(
      ids.flatMap((id) => {
        const c = chunks.get(id);
        return c === undefined ? [] : [[id, c] as const];
      }),
    );
}
