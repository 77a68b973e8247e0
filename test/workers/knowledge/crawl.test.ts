import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { handleScheduled } from "../../../workers/scheduled.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../helpers.ts";
import { captureIngestQueue, drain, search, type DocumentOut } from "./support.ts";

const ORIGIN = "https://help.example.test";
const page = (title: string, body: string): string =>
  `<!doctype html><html><head><title>${title}</title></head><body><nav><a href="/">Home</a></nav>${body}</body></html>`;

/** A small help centre: robots hides /private, /copy duplicates /faq, /internal is excluded by the source. */
function site(): Record<string, string> {
  return {
    "/robots.txt": "User-agent: *\nDisallow: /private\n",
    "/": page(
      "Help centre",
      `<h1>Help</h1><p>Start here.</p><a href="/faq">FAQ</a> <a href="/copy">Copy</a> <a href="/private/secret">Secret</a> <a href="/internal/notes">Notes</a> <a href="/returns">Returns</a>`,
    ),
    "/faq": page(
      "FAQ",
      "<h1>FAQ</h1><h2>Shipping</h2><p>Boxes leave our warehouse in Haifa between the 10th and the 18th of every month.</p>",
    ),
    "/copy": page(
      "FAQ copy",
      "<h1>FAQ</h1><h2>Shipping</h2><p>Boxes leave our warehouse in Haifa between the 10th and the 18th of every month.</p>",
    ),
    "/returns": page(
      "Returns",
      "<h1>Returns</h1><h2>Returning a box</h2><p>Unopened boxes can be returned within 30 days for a full refund.</p>",
    ),
    "/private/secret": page("Secret", "<p>Internal only.</p>"),
    "/internal/notes": page("Notes", "<p>Staff notes.</p>"),
  };
}

let pages = site();
const fetched: string[] = [];

function fakeSite(): void {
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    fetched.push(url.pathname);
    const body = url.origin === ORIGIN ? pages[url.pathname] : undefined;
    // A fresh Response per call: workerd refuses to share one across requests.
    if (body === undefined) return new Response("not found", { status: 404 });
    return new Response(body, {
      headers: { "content-type": url.pathname.endsWith(".txt") ? "text/plain" : "text/html; charset=utf-8" },
    });
  });
}

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function crawlDocuments(): Promise<Array<DocumentOut & { sourceUrl: string | null }>> {
  const body: { items: Array<DocumentOut & { sourceUrl: string | null }> } = await (
    await call("/api/knowledge/documents", { token: admin })
  ).json();
  return body.items.filter((d) => d.source === "crawl");
}

interface SourceOut {
  id: string;
  lastRunAt: number | null;
  lastResult: { pages?: number; created?: number; updated?: number; unchanged?: number } | null;
}

async function runNow(id: string): Promise<SourceOut> {
  const q = captureIngestQueue();
  fakeSite();
  const res = await call(`/api/knowledge/crawl-sources/${id}/run`, { method: "POST", token: admin });
  expect(res.status).toBe(200);
  expect(q.pending).toEqual([{ type: "crawl", workspaceId: DEMO_WORKSPACE_ID, sourceId: id }]);
  await drain(q);
  const list: { items: SourceOut[] } = await (await call("/api/knowledge/crawl-sources", { token: admin })).json();
  const source = list.items.find((s) => s.id === id);
  if (source === undefined) throw new Error("source vanished");
  return source;
}

describe("crawl sources", () => {
  let sourceId = "";

  it("validates and guards the API", async () => {
    const operator = await loginOperator();
    expect(
      (
        await call("/api/knowledge/crawl-sources", {
          method: "POST",
          token: operator,
          json: { startUrl: `${ORIGIN}/` },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call("/api/knowledge/crawl-sources", {
          method: "POST",
          token: admin,
          json: { startUrl: "ftp://help.example.test/" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call("/api/knowledge/crawl-sources", {
          method: "POST",
          token: admin,
          json: { startUrl: `${ORIGIN}/`, category: "nope" },
        })
      ).status,
    ).toBe(400);
    const res = await call("/api/knowledge/crawl-sources", {
      method: "POST",
      token: admin,
      json: {
        startUrl: `${ORIGIN}/`,
        depth: 1,
        exclude: ["/internal/**"],
        category: "shipping_inquiry",
        intervalMinutes: 60,
      },
    });
    expect(res.status).toBe(201);
    const created: { id: string; depth: number; exclude: string[]; lastRunAt: number | null } = await res.json();
    expect(created).toMatchObject({ depth: 1, exclude: ["/internal/**"], lastRunAt: null });
    sourceId = created.id;
  });

  it("crawls the site: robots and exclusions respected, duplicates kept once, pages searchable", async () => {
    fetched.length = 0;
    const source = await runNow(sourceId);
    expect(source.lastResult).toMatchObject({ pages: 3, created: 3, updated: 0, unchanged: 0 });
    expect(fetched).not.toContain("/private/secret");
    expect(fetched).not.toContain("/internal/notes");

    const docs = await crawlDocuments();
    expect(docs.map((d) => d.sourceUrl).sort()).toEqual([`${ORIGIN}/`, `${ORIGIN}/faq`, `${ORIGIN}/returns`]);
    expect(docs.every((d) => d.status === "ready" && d.kind === "html")).toBe(true);
    const hits = await search(admin, "when do boxes leave the warehouse in Haifa?");
    expect(hits[0]?.text).toContain("Haifa");
    expect(docs.find((d) => d.id === hits[0]?.documentId)?.sourceUrl).toBe(`${ORIGIN}/faq`);
  });

  it("re-crawls: unchanged pages are skipped, changed pages re-indexed, removed pages kept", async () => {
    const again = await runNow(sourceId);
    expect(again.lastResult).toMatchObject({ pages: 3, created: 0, updated: 0, unchanged: 3 });

    pages = site();
    pages["/faq"] = page(
      "FAQ",
      "<h1>FAQ</h1><h2>Shipping</h2><p>Boxes now leave our new warehouse in Eilat between the 12th and the 20th.</p>",
    );
    pages["/copy"] = pages["/faq"];
    delete pages["/returns"];
    const changed = await runNow(sourceId);
    expect(changed.lastResult).toMatchObject({ pages: 2, created: 0, updated: 1, unchanged: 1 });

    const hits = await search(admin, "warehouse in Eilat");
    expect(hits[0]?.text).toContain("Eilat");
    const all = await search(admin, "boxes leave the warehouse");
    expect(all.some((h) => h.text.includes("Haifa"))).toBe(false);
    const docs = await crawlDocuments();
    expect(docs.map((d) => d.sourceUrl)).toContain(`${ORIGIN}/returns`);
    pages = site();
  });

  it("the cron queues due sources only, once per interval", async () => {
    const c = schema.crawlSources;
    const db = rawDb(env.DB);
    await db
      .insert(c)
      .values({ id: "crawl_never_run", workspaceId: DEMO_WORKSPACE_ID, startUrl: `${ORIGIN}/`, intervalMinutes: 60 });
    const now = Date.now();
    await db
      .update(c)
      .set({ lastRunAt: now - 10 * 60_000 })
      .where(eq(c.id, sourceId));

    const q = captureIngestQueue();
    await handleScheduled(
      createScheduledController({ scheduledTime: now, cron: "*/5 * * * *" }),
      env,
      createExecutionContext(),
    );
    expect(q.pending).toEqual([{ type: "crawl", workspaceId: DEMO_WORKSPACE_ID, sourceId: "crawl_never_run" }]);

    // The next tick does not queue it again; an hour later it is due again.
    q.pending.length = 0;
    await handleScheduled(
      createScheduledController({ scheduledTime: now + 5 * 60_000, cron: "*/5 * * * *" }),
      env,
      createExecutionContext(),
    );
    expect(q.pending).toEqual([]);
    await handleScheduled(
      createScheduledController({ scheduledTime: now + 61 * 60_000, cron: "*/5 * * * *" }),
      env,
      createExecutionContext(),
    );
    expect(q.pending.map((m) => (m.type === "crawl" ? m.sourceId : "")).sort()).toEqual(
      ["crawl_never_run", sourceId].sort(),
    );
  });

  it("deleting a source keeps its documents", async () => {
    const before = (await crawlDocuments()).length;
    expect((await call(`/api/knowledge/crawl-sources/${sourceId}`, { method: "DELETE", token: admin })).status).toBe(
      200,
    );
    expect((await call(`/api/knowledge/crawl-sources/${sourceId}/run`, { method: "POST", token: admin })).status).toBe(
      404,
    );
    expect((await crawlDocuments()).length).toBe(before);
  });
});
