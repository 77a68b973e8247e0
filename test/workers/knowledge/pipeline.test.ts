import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { vectorIndexStub } from "../../../durable-objects/vector-index.ts";
import { createWorkspace, DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { EMBED_SLICE } from "../../../workers/knowledge/ingest.ts";
import { getConfig } from "../../../workers/lib/config.ts";
import handbookFixture from "../../fixtures/knowledge/handbook-200-pages.pdf?inline";
import corruptPdf from "../../fixtures/knowledge/corrupt.pdf?inline";
import encryptedPdf from "../../fixtures/knowledge/encrypted.pdf?inline";
import scannedPdf from "../../fixtures/knowledge/scanned-no-text.pdf?inline";
import { call, login, loginAdmin, loginAnalyst, loginOperator, seedDemo } from "../helpers.ts";
import { captureIngestQueue, dataUrlBytes, deliver, drain, getDocument, search, upload, uploadOk } from "./support.ts";

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("large documents", () => {
  it("ingests the 200-page PDF through several queue messages, each within the slice budget", async () => {
    const q = captureIngestQueue();
    const doc = await uploadOk(admin, "handbook-200-pages.pdf", dataUrlBytes(handbookFixture));
    const parse = q.pending.shift();
    expect((await deliver(parse)).retryMessages).toEqual([]);
    if (parse !== undefined) q.processed.push(parse);
    const messages = 1 + (await drain(q));

    const { document, chunks } = await getDocument(admin, doc.id);
    expect(document.status).toBe("ready");
    expect(chunks.length).toBeGreaterThan(EMBED_SLICE);
    // One parse message, then one embed message per slice of at most EMBED_SLICE chunks.
    const embeds = q.processed.filter((m) => m.type === "embed").map((m) => (m.type === "embed" ? m.cursor : -1));
    expect(q.processed[0]?.type).toBe("parse");
    expect(messages).toBe(1 + embeds.length);
    expect(embeds.length).toBe(Math.ceil(chunks.length / EMBED_SLICE));
    const bounds = [...embeds, chunks.length];
    for (let i = 1; i < bounds.length; i++)
      expect((bounds[i] ?? 0) - (bounds[i - 1] ?? 0)).toBeLessThanOrEqual(EMBED_SLICE);
    expect(await vectorIndexStub(env, DEMO_WORKSPACE_ID).count(DEMO_WORKSPACE_ID, doc.id)).toBe(chunks.length);

    const hits = await search(admin, "What is the code ZEBRA-4471?");
    expect(hits[0]?.documentId).toBe(doc.id);
    expect(hits[0]?.text).toContain("ZEBRA-4471");
    expect(hits[0]?.citation).toMatch(/\(p\. 150\)$/);
  });
});

describe("unreadable documents", () => {
  const CASES = [
    { name: "corrupt.pdf", bytes: corruptPdf, reason: /^corrupt PDF/ },
    { name: "encrypted.pdf", bytes: encryptedPdf, reason: /^encrypted PDF/ },
    { name: "scanned-no-text.pdf", bytes: scannedPdf, reason: /^scanned PDF with no text layer$/ },
  ];
  for (const c of CASES) {
    it(`${c.name} ends failed with the parser's reason, acked without retry`, async () => {
      const q = captureIngestQueue();
      const doc = await uploadOk(admin, c.name, dataUrlBytes(c.bytes));
      expect(await drain(q)).toBe(1);
      const { document, chunks } = await getDocument(admin, doc.id);
      expect(document.status).toBe("failed");
      expect(document.error).toMatch(c.reason);
      expect(chunks).toEqual([]);
    });
  }

  it("retries transient errors and gives up on the last attempt with a reason", async () => {
    const q = captureIngestQueue();
    const doc = await uploadOk(admin, "transient.md", "# Transient\n\n## Body\n\nSome text.\n");
    const message = q.pending.shift();
    vi.spyOn(env.DOCUMENTS, "get").mockRejectedValue(new Error("R2 unavailable"));
    const first = await deliver(message, 1);
    expect(first.retryMessages.map((m) => m.msgId)).toHaveLength(1);
    expect(first.explicitAcks).toEqual([]);
    expect((await getDocument(admin, doc.id)).document.status).toBe("parsing");

    const last = await deliver(message, 3);
    expect(last.retryMessages).toEqual([]);
    expect(last.explicitAcks).toHaveLength(1);
    const { document } = await getDocument(admin, doc.id);
    expect(document.status).toBe("failed");
    expect(document.error).toBe("ingestion failed after 3 attempts: R2 unavailable");
  });

  it("drops malformed messages and stale ones without touching anything", async () => {
    const bad = await deliver({ type: "parse" });
    expect(bad.explicitAcks).toHaveLength(1);
    const stale = await deliver({ type: "embed", workspaceId: DEMO_WORKSPACE_ID, documentId: "kdoc_gone", cursor: 0 });
    expect(stale.explicitAcks).toHaveLength(1);
    expect(stale.retryMessages).toEqual([]);
  });
});

describe("bad uploads store nothing", () => {
  async function snapshot() {
    const docs: { items: unknown[] } = await (await call("/api/knowledge/documents", { token: admin })).json();
    const objects = await env.DOCUMENTS.list({ prefix: `${DEMO_WORKSPACE_ID}/documents/` });
    return { docs: docs.items.length, objects: objects.objects.length };
  }

  it("refuses missing files, wrong types, oversized files, unknown categories and non-admins", async () => {
    const q = captureIngestQueue();
    const before = await snapshot();
    const md = "# Note\n\nText.\n";
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
    ]);

    const noFile = new FormData();
    noFile.set("category", "shipping_inquiry");
    expect((await call("/api/knowledge/documents", { method: "POST", token: admin, body: noFile })).status).toBe(400);
    expect((await call("/api/knowledge/documents", { method: "POST", token: admin, json: { file: md } })).status).toBe(
      415,
    );
    const wrongType = await upload(admin, "picture.pdf", png);
    expect(wrongType.status).toBe(415);
    const wrongBody: { error: { code: string } } = await wrongType.json();
    expect(wrongBody.error.code).toBe("unsupported_media_type");
    expect((await upload(admin, "empty.md", "")).status).toBe(400);
    expect((await upload(admin, "note.md", md, { category: "not_a_category" })).status).toBe(400);
    const big = new Uint8Array(20 * 1024 * 1024 + 1).fill(0x61);
    const tooBig = await upload(admin, "big.txt", big);
    expect(tooBig.status).toBe(413);
    expect((await upload(await loginOperator(), "note.md", md)).status).toBe(403);
    expect((await upload(await loginAnalyst(), "note.md", md)).status).toBe(403);
    expect((await call("/api/knowledge/documents", { method: "POST", body: new FormData() })).status).toBe(401);

    expect(await snapshot()).toEqual(before);
    expect(q.pending).toEqual([]);
  });

  it("stores an accepted upload in R2 under the workspace and document", async () => {
    const q = captureIngestQueue();
    const doc = await uploadOk(admin, "../../etc/faq.md", "# FAQ\n\nHello.\n", { category: "general_question" });
    const object = await env.DOCUMENTS.head(`${DEMO_WORKSPACE_ID}/documents/${doc.id}/faq.md`);
    // Sealed (issue 20, item 6): 14 plaintext bytes, stored with one chunk's IV and tag.
    expect(object?.customMetadata?.size).toBe("14");
    expect(object?.customMetadata?.enc).toBe("aes256gcm.chunked.v1");
    expect(object?.size).toBe(14 + 28);
    expect(q.pending).toHaveLength(1);
    await drain(q);
    const { document } = await getDocument(admin, doc.id);
    expect(document.status).toBe("ready");
  });
});

describe("workspace isolation of search", () => {
  it("a workspace never sees another workspace's passages", async () => {
    await createWorkspace(
      env,
      {
        id: "ws_kb_b",
        name: "Other KB",
        slug: "other-kb",
        widgetKey: "other-kb-widget",
        operators: [
          {
            id: "op_kb_b",
            email: "admin@kb-b.test",
            password: "kb-b-admin-password",
            name: "B",
            handle: "kbb",
            role: "admin",
          },
        ],
      },
      getConfig(env).encryptionKey,
    );
    const tokenB = await login("admin@kb-b.test", "kb-b-admin-password");
    const q = captureIngestQueue();
    const docB = await uploadOk(
      tokenB,
      "secret.md",
      "# Secret\n\n## Vault\n\nThe PLATYPUS-9 vault code is only for workspace B.\n",
    );
    await drain(q);

    expect((await search(tokenB, "PLATYPUS-9 vault code"))[0]?.documentId).toBe(docB.id);
    const fromA = await search(admin, "PLATYPUS-9 vault code");
    expect(fromA.some((h) => h.documentId === docB.id || h.text.includes("PLATYPUS"))).toBe(false);
    expect((await call(`/api/knowledge/documents/${docB.id}`, { token: admin })).status).toBe(404);
    expect((await call(`/api/knowledge/documents/${docB.id}`, { method: "DELETE", token: admin })).status).toBe(404);
    expect(await vectorIndexStub(env, "ws_kb_b").count("ws_kb_b", docB.id)).toBeGreaterThan(0);
    expect(await vectorIndexStub(env, DEMO_WORKSPACE_ID).count("ws_kb_b")).toBe(0);
  });
});
