/**
 * Issue 20, item 6: every object the platform writes to R2 is sealed. For each writer
 * (knowledge upload, crawl, seed, Eval Lab CSV upload in both forms and the demo CSV;
 * learning approvals are checked in test/workers/learnings) the raw bucket bytes do not
 * hold a known phrase, and the feature still works end to end through the readers
 * (ingestion, eval import). Objects written before sealing still read; a 20 MB document
 * (the upload limit) and a multi-chunk CSV stream through.
 */
import { env } from "cloudflare:workers";
import { eq, like } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { runCrawl } from "../../../workers/knowledge/crawl-job.ts";
import { FAQ_FILES } from "../../../workers/knowledge/faq.generated.ts";
import { seedKnowledge } from "../../../workers/knowledge/seed.ts";
import { CHUNK_BYTES } from "../../../workers/lib/envelope.ts";
import { openSealed, putSealed, readSealed } from "../../../workers/services/sealed-bucket.ts";
import { call, loginAdmin, seedDemo } from "../helpers.ts";
import { captureIngestQueue, drain, getDocument, search, uploadOk } from "../knowledge/support.ts";

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Compares big buffers by digest (a deep equal of 20 M elements exhausts the test runner's heap). */
async function digest(bytes: Uint8Array | undefined): Promise<string> {
  if (!bytes) return "missing";
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes))).join(",");
}

/** Whether `needle` occurs anywhere in `hay`. */
function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

async function rawObject(bucket: "ATTACHMENTS" | "DOCUMENTS", key: string) {
  const obj = await env[bucket].get(key);
  if (!obj) throw new Error(`no object ${key}`);
  return { bytes: new Uint8Array(await obj.arrayBuffer()), custom: obj.customMetadata ?? {} };
}

async function documentRow(id: string) {
  const row = await rawDb(env.DB)
    .select()
    .from(schema.knowledgeDocuments)
    .where(eq(schema.knowledgeDocuments.id, id))
    .get();
  if (!row) throw new Error(`no document ${id}`);
  return row;
}

describe("knowledge documents are sealed", () => {
  it("an upload is not plaintext in R2, and is still chunked and retrievable", async () => {
    const phrase = "The OSPREY-2291 voucher is valid on every second Tuesday";
    const q = captureIngestQueue();
    const doc = await uploadOk(admin, "vouchers.md", `# Vouchers\n\n## Osprey\n\n${phrase}.\n`);
    const row = await documentRow(doc.id);
    const raw = await rawObject("DOCUMENTS", row.r2Key);
    expect(raw.custom.enc).toBe("aes256gcm.chunked.v1");
    expect(contains(raw.bytes, utf8("OSPREY-2291"))).toBe(false);
    expect(contains(raw.bytes, utf8("Vouchers"))).toBe(false);

    await drain(q);
    const { document, chunks } = await getDocument(admin, doc.id);
    expect(document.status).toBe("ready");
    expect(chunks.map((c) => c.text).join(" ")).toContain("OSPREY-2291");
    const hits = await search(admin, "OSPREY-2291 voucher");
    expect(hits[0]?.documentId).toBe(doc.id);
  });

  it("a crawled page is not plaintext in R2, and is still ingested", async () => {
    const created = await call("/api/knowledge/crawl-sources", {
      method: "POST",
      token: admin,
      json: { startUrl: "https://help.sealed.test/", depth: 0 },
    });
    expect(created.status).toBe(201);
    const source: { id: string } = await created.json();
    const html =
      "<!doctype html><html><head><title>Pelican</title></head><body><h1>Pelican</h1><h2>Pickup</h2><p>Parcels for PELICAN-5150 wait at the north gate.</p></body></html>";
    const q = captureIngestQueue();
    const result = await runCrawl(env, DEMO_WORKSPACE_ID, source.id, async (url) =>
      new URL(url).pathname === "/"
        ? new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } })
        : new Response("not found", { status: 404 }),
    );
    expect(result?.created).toBe(1);
    const d = schema.knowledgeDocuments;
    const row = await rawDb(env.DB).select().from(d).where(eq(d.sourceUrl, "https://help.sealed.test/")).get();
    if (!row) throw new Error("crawled document missing");
    const raw = await rawObject("DOCUMENTS", row.r2Key);
    expect(raw.custom.enc).toBe("aes256gcm.chunked.v1");
    expect(contains(raw.bytes, utf8("PELICAN-5150"))).toBe(false);
    await drain(q);
    const { document, chunks } = await getDocument(admin, row.id);
    expect(document.status).toBe("ready");
    expect(chunks.map((c) => c.text).join(" ")).toContain("PELICAN-5150");
  });

  it("the seeded FAQ is not plaintext in R2, and is ingested", async () => {
    const ws = "ws_sealed_seed";
    const res = await seedKnowledge(env, ws);
    expect(res.failed).toEqual([]);
    expect(res.created).toBe(FAQ_FILES.length);
    const d = schema.knowledgeDocuments;
    const rows = await rawDb(env.DB)
      .select()
      .from(d)
      .where(like(d.id, `kdoc_seed_${ws}_%`))
      .all();
    expect(rows).toHaveLength(FAQ_FILES.length);
    for (const row of rows) {
      expect(row.status).toBe("ready");
      const file = FAQ_FILES.find((f) => row.r2Key.endsWith(`/${f.name}`));
      if (!file) throw new Error(`unexpected ${row.r2Key}`);
      const raw = await rawObject("DOCUMENTS", row.r2Key);
      expect(raw.custom.enc).toBe("aes256gcm.chunked.v1");
      expect(contains(raw.bytes, utf8(file.text.slice(0, 24)))).toBe(false);
      expect(new TextDecoder().decode((await readSealed(env, "DOCUMENTS", ws, row.r2Key))?.bytes)).toBe(file.text);
    }
  });

  it("a document stored before sealing (no enc metadata) is still ingested", async () => {
    const id = "kdoc_legacy_plain";
    const r2Key = `${DEMO_WORKSPACE_ID}/documents/${id}/legacy.md`;
    const text = "# Legacy\n\n## Heron\n\nThe HERON-7 code opens the side door.\n";
    await env.DOCUMENTS.put(r2Key, text, { httpMetadata: { contentType: "text/markdown" } });
    await rawDb(env.DB).insert(schema.knowledgeDocuments).values({
      id,
      workspaceId: DEMO_WORKSPACE_ID,
      title: "Legacy",
      fileName: "legacy.md",
      kind: "md",
      size: text.length,
      r2Key,
      status: "queued",
      contentHash: "legacy",
      source: "upload",
    });
    const q = captureIngestQueue();
    q.pending.push({ type: "parse", workspaceId: DEMO_WORKSPACE_ID, documentId: id });
    await drain(q);
    const { document, chunks } = await getDocument(admin, id);
    expect(document.status).toBe("ready");
    expect(chunks.map((c) => c.text).join(" ")).toContain("HERON-7");
  });

  it("a 20 MB upload (the limit) is sealed in several chunks and opens intact", async () => {
    const line = "Albatross shipping note: boxes leave on the 12th.\n";
    const size = 20 * 1024 * 1024;
    const body = new Uint8Array(size);
    const unit = utf8(line);
    for (let i = 0; i < size; i++) body[i] = unit[i % unit.length] ?? 0x20;
    const q = captureIngestQueue();
    const doc = await uploadOk(admin, "albatross.txt", body);
    expect(q.pending).toHaveLength(1);
    const row = await documentRow(doc.id);
    const head = await env.DOCUMENTS.head(row.r2Key);
    expect(head?.customMetadata?.size).toBe(String(size));
    expect(head?.size).toBe(size + 28 * Math.ceil(size / CHUNK_BYTES));
    const raw = await rawObject("DOCUMENTS", row.r2Key);
    expect(contains(raw.bytes.subarray(0, 4096), utf8("Albatross"))).toBe(false);
    const opened = await readSealed(env, "DOCUMENTS", DEMO_WORKSPACE_ID, row.r2Key);
    expect(opened?.bytes.length).toBe(size);
    expect(await digest(opened?.bytes)).toBe(await digest(body));
  });
});

describe("Eval Lab CSVs are sealed while they wait for the import", () => {
  /** Keeps the uploaded CSVs (the import deletes them) so the test can look at the raw bytes. */
  function keepUploads(): string[] {
    const kept: string[] = [];
    vi.spyOn(env.DOCUMENTS, "delete").mockImplementation(async (keys) => {
      kept.push(...(Array.isArray(keys) ? keys : [keys]));
    });
    return kept;
  }

  async function expectSealedCsv(keys: string[], phrase: string): Promise<void> {
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key.startsWith(`${DEMO_WORKSPACE_ID}/evals/`)).toBe(true);
      const raw = await rawObject("DOCUMENTS", key);
      expect(raw.custom.enc).toBe("aes256gcm.chunked.v1");
      expect(contains(raw.bytes, utf8(phrase))).toBe(false);
    }
  }

  async function caseMessages(setId: string): Promise<string[]> {
    const res = await call(`/api/evals/test-sets/${setId}/cases`, { token: admin });
    expect(res.status).toBe(200);
    const body: { items: Array<{ message: string }> } = await res.json();
    return body.items.map((c) => c.message);
  }

  it("a multipart upload is sealed and imports", async () => {
    const kept = keepUploads();
    const form = new FormData();
    form.set("file", new File(["id,message\n1,My order KESTREL-881 never arrived\n"], "t.csv", { type: "text/csv" }));
    form.set("name", "sealed multipart");
    const res = await call("/api/evals/test-sets", { method: "POST", body: form, token: admin });
    expect(res.status).toBe(201);
    const body: { id: string; rows: number } = await res.json();
    expect(body.rows).toBe(1);
    expect(await caseMessages(body.id)).toEqual(["My order KESTREL-881 never arrived"]);
    await expectSealedCsv(kept, "KESTREL-881");
  });

  it("a raw text/csv body of several chunks streams through the seal and imports every row", async () => {
    const kept = keepUploads();
    const filler = "x".repeat(2_500);
    const rows = 1_200;
    let csv = "id,message\n";
    for (let i = 1; i <= rows; i++) csv += `${i},Parcel WREN-${i} is late ${filler}\n`;
    const bytes = utf8(csv);
    expect(bytes.length).toBeGreaterThan(2 * CHUNK_BYTES);
    const res = await call("/api/evals/test-sets?name=streamed", {
      method: "POST",
      body: bytes,
      token: admin,
      headers: { "content-type": "text/csv", "content-length": String(bytes.length) },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const body: { id: string; rows: number } = await res.json();
    expect(body.rows).toBe(rows);
    await expectSealedCsv(kept, "Parcel WREN-");
    const head = await env.DOCUMENTS.head(kept[0] ?? "");
    expect(head?.customMetadata?.size).toBe(String(bytes.length));
  });

  it("the demo CSV is sealed and imports", async () => {
    const kept = keepUploads();
    const res = await call("/api/evals/test-sets/demo", { method: "POST", token: admin, json: { rows: 20 } });
    expect(res.status).toBe(201);
    const body: { id: string; rows: number } = await res.json();
    expect(body.rows).toBe(20);
    const messages = await caseMessages(body.id);
    expect(messages).toHaveLength(20);
    const sample = messages[0] ?? "";
    expect(sample.length).toBeGreaterThan(12);
    await expectSealedCsv(kept, sample.slice(0, 12));
  });
});

describe("the sealed bucket", () => {
  it("streams a multi-chunk object back and refuses it for another workspace", async () => {
    const key = `${DEMO_WORKSPACE_ID}/documents/kdoc_stream/big.bin`;
    const plain = new Uint8Array(CHUNK_BYTES * 2 + 17).map((_, i) => (i * 7) % 251);
    await putSealed(env, "DOCUMENTS", DEMO_WORKSPACE_ID, key, plain, { contentType: "application/octet-stream" });
    const opened = await openSealed(env, "DOCUMENTS", DEMO_WORKSPACE_ID, key);
    expect(opened?.size).toBe(plain.length);
    expect(await digest(new Uint8Array(await new Response(opened?.body).arrayBuffer()))).toBe(await digest(plain));
    expect(await readSealed(env, "DOCUMENTS", "ws_sealed_other", key)).toBeNull();
  });
});
