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
import { getConfig } from "../lib/config.ts";
import { newId } from "../lib/ids.ts";
import { OutboundUrlError, safeFetch, type SafeFetchResult } from "../lib/outbound-url.ts";
import { crawlSite, type CrawledPage } from "./crawl.ts";
import { clearDocumentIndex, documentKey, tenantDb } from "./documents.ts";
import { ingestQueue } from "./messages.ts";
import { putSealed } from "../services/sealed-bucket.ts";

/** A help page is a few hundred KB; 5 MB leaves room and keeps a 150 MB "page" out of memory. */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;
const PAGE_TIMEOUT_MS = 20_000;

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
    fetchFn: capturingFetch(fetchFn, html, getConfig(env).development),
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
 * like any upload, so the body is kept here. Every request goes through the outbound
 * policy (workers/lib/outbound-url.ts): internal targets are refused before any request,
 * redirects are followed by hand and must stay on the site, and a page is read up to
 * MAX_PAGE_BYTES only. A refusal reaches crawlSite as a fetch error, listed in `skipped`.
 */
function capturingFetch(fetchFn: FetchFn, bodies: Map<string, string>, allowLoopback: boolean): FetchFn {
  return async (url, init) => {
    let got: SafeFetchResult;
    try {
      got = await safeFetch(url, init ?? {}, {
        allowLoopback,
        maxBytes: MAX_PAGE_BYTES,
        sameOriginRedirects: true,
        timeoutMs: PAGE_TIMEOUT_MS,
        fetchFn,
      });
    } catch (err) {
      if (err instanceof OutboundUrlError) throw new Error(err.reason, { cause: err });
      throw err;
    }
    const ok = got.status >= 200 && got.status < 300;
    if (ok && (got.headers.get("content-type") ?? "").toLowerCase().includes("text/html"))
      bodies.set(url, new TextDecoder().decode(got.body));
    const bodyless = got.status === 204 || got.status === 205 || got.status === 304;
    return new Response(bodyless ? null : got.body, { status: got.status, headers: got.headers });
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
  await putSealed(env, "DOCUMENTS", tdb.workspaceId, r2Key, bytes, { contentType: "text/html; charset=utf-8" });
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
