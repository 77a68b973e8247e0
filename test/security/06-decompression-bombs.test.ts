import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import bombDocx from "../fixtures/knowledge/bomb.docx?inline";
import lyingDocx from "../fixtures/knowledge/bomb-lying.docx?inline";
import bombPdf from "../fixtures/knowledge/bomb.pdf?inline";
import { call, loginAdmin, seedDemo } from "../workers/helpers.ts";
import { captureIngestQueue, dataUrlBytes, drain, upload } from "../workers/knowledge/support.ts";

// Fixtures: scripts/make-bomb-fixtures.mjs (300 MB DOCX part, the same lying about its size, 200 MB PDF stream).

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => vi.restoreAllMocks());

async function documentRow(id: string) {
  return env.DB.prepare("SELECT status, error, chunk_count FROM knowledge_documents WHERE id = ?1")
    .bind(id)
    .first<{ status: string; error: string | null; chunk_count: number }>();
}

async function chunkCount(id: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM knowledge_chunks WHERE document_id = ?1")
    .bind(id)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("item 6: decompression bombs fail the document instead of stalling the server", () => {
  for (const [name, dataUrl] of [
    ["bomb.docx", bombDocx],
    ["bomb-lying.docx", lyingDocx],
    ["bomb.pdf", bombPdf],
  ] as const) {
    it(`${name}: failed for size with a clear reason, nothing indexed, never parsed again`, async () => {
      const q = captureIngestQueue();
      const res = await upload(admin, name, dataUrlBytes(dataUrl));
      expect(res.status).toBe(202);
      const { document }: { document: { id: string } } = await res.json();
      await drain(q);
      const row = await documentRow(document.id);
      expect(row?.status).toBe("failed");
      expect(row?.error).toMatch(/^too large: /);
      expect(await chunkCount(document.id)).toBe(0);

      const again = await call(`/api/knowledge/documents/${document.id}/reindex`, { method: "POST", token: admin });
      expect(again.status).toBe(409);
      expect(q.pending).toEqual([]);
      expect((await documentRow(document.id))?.status).toBe("failed");
    });
  }
});
