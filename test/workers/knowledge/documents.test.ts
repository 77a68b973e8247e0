import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { vectorIndexStub } from "../../../durable-objects/vector-index.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
// Vite inlines .pdf assets but not .docx: really-a-docx.pdf is a byte-identical copy of
// shipping-and-delivery.docx (it exists to prove that the kind comes from the bytes).
import docxFixture from "../../fixtures/knowledge/really-a-docx.pdf?inline";
import pdfFixture from "../../fixtures/knowledge/payments-and-failed-charges.pdf?inline";
import htmlFixture from "../../fixtures/knowledge/damaged-or-missing-items.html?raw";
import mdFixture from "../../../workers/db/seed/faq/pause-skip-cancel.md?raw";
import { call, loginAdmin, seedDemo } from "../helpers.ts";
import { captureIngestQueue, dataUrlBytes, drain, getDocument, search, uploadOk } from "./support.ts";

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const CASES = [
  {
    name: "payments-and-failed-charges.pdf",
    bytes: dataUrlBytes(pdfFixture),
    kind: "pdf",
    question: "my card was declined, when will you retry the payment?",
    expect: /retry|retries/i,
  },
  {
    name: "shipping-and-delivery.docx",
    bytes: dataUrlBytes(docxFixture),
    kind: "docx",
    question: "how much does DHL Express cost?",
    expect: /DHL Express/,
  },
  {
    name: "damaged-or-missing-items.html",
    bytes: new TextEncoder().encode(htmlFixture),
    kind: "html",
    question: "a jar arrived broken, how do I report it?",
    expect: /photo/i,
  },
  {
    name: "pause-skip-cancel.md",
    bytes: new TextEncoder().encode(mdFixture),
    kind: "md",
    question: "how do I cancel my subscription?",
    expect: /cancel/i,
  },
] as const;

describe("document ingestion end to end", () => {
  for (const c of CASES) {
    it(`ingests ${c.kind} and retrieves it`, async () => {
      const q = captureIngestQueue();
      const doc = await uploadOk(admin, c.name, c.bytes);
      expect(doc.kind).toBe(c.kind);
      expect(q.pending).toEqual([{ type: "parse", workspaceId: DEMO_WORKSPACE_ID, documentId: doc.id }]);
      expect(await drain(q)).toBeGreaterThanOrEqual(2);

      const { document, chunks } = await getDocument(admin, doc.id);
      expect(document.status).toBe("ready");
      expect(document.progress).toBe(1);
      expect(document.chunkCount).toBe(chunks.length);
      expect(chunks.length).toBeGreaterThan(0);
      expect(await vectorIndexStub(env, DEMO_WORKSPACE_ID).count(DEMO_WORKSPACE_ID, doc.id)).toBe(chunks.length);

      const hits = await search(admin, c.question);
      const top = hits[0];
      expect(top?.documentId).toBe(doc.id);
      expect(top?.text).toMatch(c.expect);
      expect(top?.citation.startsWith(document.title)).toBe(true);
    });
  }

  it("PDF citations carry the page", async () => {
    const hits = await search(admin, "my card was declined, when will you retry the payment?");
    expect(hits[0]?.citation).toMatch(/\(p\. \d+\)$/);
  });

  it("re-uploading a file name replaces the earlier document and its vectors", async () => {
    const q = captureIngestQueue();
    const first = await uploadOk(
      admin,
      "returns.md",
      "# Returns\n\n## Policy\n\nWe accept returns of unopened KUMQUAT jars within 30 days.\n",
    );
    await drain(q);
    expect((await search(admin, "KUMQUAT jars"))[0]?.documentId).toBe(first.id);
    const second = await uploadOk(
      admin,
      "returns.md",
      "# Returns\n\n## Policy\n\nWe accept returns of unopened POMELO jars within 14 days.\n",
    );
    await drain(q);
    expect((await call(`/api/knowledge/documents/${first.id}`, { token: admin })).status).toBe(404);
    expect(await vectorIndexStub(env, DEMO_WORKSPACE_ID).count(DEMO_WORKSPACE_ID, first.id)).toBe(0);
    const hits = await search(admin, "KUMQUAT jars");
    expect(hits.some((h) => h.documentId === first.id)).toBe(false);
    expect((await search(admin, "POMELO jars"))[0]?.documentId).toBe(second.id);
  });

  it("deleting a document removes its chunks and vectors", async () => {
    const q = captureIngestQueue();
    const doc = await uploadOk(
      admin,
      "gift-wrap.md",
      "# Gift wrapping\n\n## Wrapping\n\nEvery GIFTWRAP-77 order ships in a blue ribbon box.\n",
    );
    await drain(q);
    const index = vectorIndexStub(env, DEMO_WORKSPACE_ID);
    const before = await index.count(DEMO_WORKSPACE_ID);
    const own = await index.count(DEMO_WORKSPACE_ID, doc.id);
    expect(own).toBeGreaterThan(0);
    expect((await search(admin, "GIFTWRAP-77 ribbon"))[0]?.documentId).toBe(doc.id);

    const res = await call(`/api/knowledge/documents/${doc.id}`, { method: "DELETE", token: admin });
    expect(res.status).toBe(200);
    expect(await index.count(DEMO_WORKSPACE_ID)).toBe(before - own);
    expect((await search(admin, "GIFTWRAP-77 ribbon")).some((h) => h.documentId === doc.id)).toBe(false);
    expect((await call(`/api/knowledge/documents/${doc.id}`, { token: admin })).status).toBe(404);
  });

  it("reindex rebuilds the chunks and vectors of a document", async () => {
    const q = captureIngestQueue();
    const doc = await uploadOk(admin, "loyalty.md", "# Loyalty\n\n## Points\n\nEvery box earns 10 STAR points.\n");
    await drain(q);
    const before = (await getDocument(admin, doc.id)).chunks.map((c) => c.id);
    const res = await call(`/api/knowledge/documents/${doc.id}/reindex`, { method: "POST", token: admin });
    expect(res.status).toBe(202);
    const queued: { document: { status: string } } = await res.json();
    expect(queued.document.status).toBe("queued");
    expect(await drain(q)).toBe(2);
    const after = await getDocument(admin, doc.id);
    expect(after.document.status).toBe("ready");
    expect(after.chunks.map((c) => c.id)).not.toEqual(before);
    expect(await vectorIndexStub(env, DEMO_WORKSPACE_ID).count(DEMO_WORKSPACE_ID, doc.id)).toBe(after.chunks.length);
  });
});
