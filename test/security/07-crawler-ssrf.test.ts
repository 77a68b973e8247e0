import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { call, loginAdmin, seedDemo } from "../workers/helpers.ts";
import { captureIngestQueue, drain } from "../workers/knowledge/support.ts";

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => vi.restoreAllMocks());

const sourceCount = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM crawl_sources").first<{ n: number }>())?.n ?? 0;

describe("item 7: the crawler cannot be pointed at internal addresses", () => {
  it("refuses internal start URLs in every encoding, storing nothing", async () => {
    const before = await sourceCount();
    for (const startUrl of [
      "http://169.254.169.254/latest/meta-data/",
      "http://2852039166/",
      "http://0xA9FEA9FE/",
      "http://0251.0376.0251.0376/",
      "http://[::ffff:169.254.169.254]/",
      "http://[fd00::1]/",
      "http://10.0.0.1/",
      "http://192.168.0.1./",
      "http://100.64.0.1/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://intranet/",
      "http://example.com@10.0.0.1/",
      "file:///etc/passwd",
    ]) {
      const res = await call("/api/knowledge/crawl-sources", { method: "POST", token: admin, json: { startUrl } });
      expect(res.status, startUrl).toBe(400);
    }
    expect(await sourceCount()).toBe(before);
  });

  it("re-checks every redirect hop and caps the page size (against a loopback listener)", async () => {
    const port = inject("loopbackPort");
    const base = `http://127.0.0.1:${port}`;
    const created = await call("/api/knowledge/crawl-sources", {
      method: "POST",
      token: admin,
      json: { startUrl: `${base}/`, depth: 1 },
    });
    // Loopback is allowed in development only (the listener stands in for a hostile public site).
    expect(created.status).toBe(201);
    const { id }: { id: string } = await created.json();
    const q = captureIngestQueue();
    expect((await call(`/api/knowledge/crawl-sources/${id}/run`, { method: "POST", token: admin })).status).toBe(200);
    await drain(q);
    const row = await env.DB.prepare("SELECT last_result FROM crawl_sources WHERE id = ?1")
      .bind(id)
      .first<{ last_result: string }>();
    const result: { pages: number; skipped: Array<{ url: string; reason: string }> } = JSON.parse(
      row?.last_result ?? "{}",
    );
    expect(result.pages).toBe(1);
    const reason = (path: string) => result.skipped.find((s) => s.url === `${base}${path}`)?.reason ?? "";
    expect(reason("/to-metadata")).toMatch(/redirect refused: linkLocal/);
    expect(reason("/to-private")).toMatch(/redirect refused: private/);
    expect(reason("/to-decimal")).toMatch(/redirect refused: linkLocal/);
    expect(reason("/to-mapped")).toMatch(/redirect refused: linkLocal/);
    expect(reason("/huge")).toMatch(/larger than/);
    // Only the start page became a document; the 60 MB page was never read whole.
    const docs = await env.DB.prepare(
      "SELECT source_url FROM knowledge_documents WHERE source = 'crawl' AND source_url LIKE ?1",
    )
      .bind(`${base}%`)
      .all<{ source_url: string }>();
    expect(docs.results.map((d) => d.source_url)).toEqual([`${base}/`]);
    const stats: { hugeBytesSent: number } = await (await fetch(`${base}/stats`)).json();
    expect(stats.hugeBytesSent).toBeLessThan(60 * 1024 * 1024);
  });
});
