/**
 * Crawl sources at work: which sources are due (the cron asks every five minutes), and
 * one crawl run (a queue message) that turns pages into documents with source "crawl",
 * one document per URL:
 * - a page whose text hash equals its document's hash is left alone (no re-embedding);
 * - a changed page replaces its document's original and is re-ingested;
 * - a new page becomes a new document;
 * - a page that disappeared from the site is left as it is: a page missing from one
 *   crawl is as likely a transient error as a removal, and an admin deletes documents
 *   explicitly when a page is really gone.
 * Within one run, pages with identical text (print views, aliases) are kept once
 * (crawlSite dedupes by content hash).
 */
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { rawDb, schema, type TenantDb } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import { crawlSite, type CrawledPage } from "./crawl.ts";
import { clearDocumentIndex, documentKey, tenantDb } from "./documents.ts";
import { ingestQueue } from "./messages.ts";

/** Pages per run: with robots.txt this stays within the 50 subrequests of one invocation. */
export const MAX_PAGES_PER_CRAWL = 40;

export type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;

export interface CrawlRunResult {
  pages: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: Array<{ url: string; reason: string }>;
}

/**
 * Queues a crawl for every source whose interval has elapsed, across workspaces, and
 * stamps `lastRunAt` first so the next tick does not queue it again. Returns the ids.
 */
export async function enqueueDueCrawls(env: Env, now: number): Promise<string[]> {
  const c = schema.crawlSources;
  const db = rawDb(env.DB);
  // Cross-tenant by design: the scheduler serves every workspace; each message is scoped.
  const due = await db
    .select()
    .from(c)
    .where(or(isNull(c.lastRunAt), lte(sql`${c.lastRunAt} + ${c.intervalMinutes} * 60000`, now)));
  const queued: string[] = [];
  for (const source of due) {
    await db
      .update(c)
      .set({ lastRunAt: now })
      .where(and(eq(c.id, source.id), eq(c.workspaceId, source.workspaceId)));
    await ingestQueue.send(env, { type: "crawl", workspaceId: source.workspaceId, sourceId: source.id });
    queued.push(source.id);
  }
  return queued;
}

/** Crawls one source and queues ingestion of new and changed pages. */
export async function runCrawl(
  env: Env,
  workspaceId: string,
  sourceId: string,
  fetchFn: FetchFn = (url, init) => fetch(url, init),
): Promise<CrawlRunResult | null> {
  const tdb = tenantDb(env, workspaceId);
  const c = schema.crawlSources;
  const source = await tdb.first(c, eq(c.id, sourceId));
  if (source === undefined) return null;

  const html = new Map<string, string>();
  const crawl = await crawlSite({
    startUrl: source.startUrl,
    depth: source.depth,
    include: source.include,
    exclude: source.exclude,
    maxPages: MAX_PAGES_PER_CRAWL,
    fetchFn: capturingFetch(fetchFn, html),
  });

  const result: CrawlRunResult = {
    pages: crawl.pages.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: crawl.skipped,
  };
  for (const page of crawl.pages) {
    const body = html.get(page.url);
    if (body === undefined) continue;
    const change = await storePage(env, tdb, page, body, source.category);
    result[change]++;
  }
  await tdb.update(
    c,
    { lastRunAt: Date.now(), lastResult: { ...result, skipped: result.skipped.slice(0, 20) } },
    eq(c.id, sourceId),
  );
  return result;
}

/**
 * crawlSite sees only the parsed page; the ingest pipeline wants the original HTML in R2
 * like any upload, so the body is kept here. Off-site redirects pass through untouched
 * (crawlSite checks `response.url`, which a re-built Response would lose).
 */
function capturingFetch(fetchFn: FetchFn, bodies: Map<string, string>): FetchFn {
  return async (url, init) => {
    const res = await fetchFn(url, init);
    const offSite = res.url !== "" && new URL(res.url).origin !== new URL(url).origin;
    if (!res.ok || offSite || !(res.headers.get("content-type") ?? "").toLowerCase().includes("text/html")) return res;
    const text = await res.text();
    bodies.set(url, text);
    return new Response(text, { status: res.status, headers: res.headers });
  };
}

async function storePage(
  env: Env,
  tdb: TenantDb,
  page: CrawledPage,
  body: string,
  category: string | null,
): Promise<"created" | "updated" | "unchanged"> {
  const d = schema.knowledgeDocuments;
  const existing = await tdb.first(d, and(eq(d.source, "crawl"), eq(d.sourceUrl, page.url)));
  if (existing !== undefined && existing.contentHash === page.hash && existing.status !== "failed") return "unchanged";

  const bytes = new TextEncoder().encode(body);
  const documentId = existing?.id ?? newId("kdoc");
  const r2Key = documentKey(tdb.workspaceId, documentId, "page.html");
  await env.DOCUMENTS.put(r2Key, bytes, { httpMetadata: { contentType: "text/html; charset=utf-8" } });
  const title = page.title.trim() === "" ? page.url : page.title.trim();
  const fields = {
    title,
    size: bytes.length,
    r2Key,
    category,
    contentHash: page.hash,
    status: "queued" as const,
    progress: 0,
    error: null,
    chunkCount: 0,
    updatedAt: Date.now(),
  };
  if (existing === undefined) {
    await tdb.insert(d, {
      id: documentId,
      fileName: pageFileName(page.url),
      kind: "html",
      source: "crawl",
      sourceUrl: page.url,
      ...fields,
    });
  } else {
    await clearDocumentIndex(env, tdb, documentId);
    await tdb.update(d, fields, eq(d.id, documentId));
  }
  await ingestQueue.send(env, { type: "parse", workspaceId: tdb.workspaceId, documentId });
  return existing === undefined ? "created" : "updated";
}

/** "help.example.com/faq/shipping" — readable in the documents list. */
function pageFileName(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname === "/" ? "" : u.pathname}${u.search}`.slice(0, 200);
}
