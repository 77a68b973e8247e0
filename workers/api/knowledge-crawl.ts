/**
 * /api/knowledge/crawl-sources (admin): sites crawled into the knowledge base. The cron
 * queues a crawl when a source's interval has elapsed; "run" queues one now. Deleting a
 * source stops future crawls; the documents it produced stay until deleted one by one.
 */
import { createRoute } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { ingestQueue } from "../knowledge/messages.ts";
import { newId } from "../lib/ids.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { checkOutboundUrl } from "../lib/outbound-url.ts";
import { audit } from "../services/audit.ts";
import { checkCategory } from "./knowledge-common.ts";
import { ADMIN, requireRole } from "./middleware.ts";
import { bearer, created, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const Pattern = z.string().trim().min(1).max(200).regex(/^[/*]/, "patterns match URL paths and start with / or *");

const CrawlSourceIn = z.object({
  startUrl: z.url({ protocol: /^https?$/ }).max(2000),
  depth: z.number().int().min(0).max(5).default(2),
  include: z.array(Pattern).max(20).default([]),
  exclude: z.array(Pattern).max(20).default([]),
  category: z.string().max(64).nullable().optional(),
  /** Not more often than the cron runs (every five minutes); at most monthly. */
  intervalMinutes: z.number().int().min(5).max(43_200).default(1440),
});

const CrawlSourceOut = z
  .object({
    id: z.string(),
    startUrl: z.string(),
    depth: z.number(),
    include: z.array(z.string()),
    exclude: z.array(z.string()),
    category: z.string().nullable(),
    intervalMinutes: z.number(),
    lastRunAt: z.number().nullable(),
    lastResult: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.number(),
  })
  .openapi("CrawlSource");

type Row = typeof schema.crawlSources.$inferSelect;
function toSource(r: Row): z.infer<typeof CrawlSourceOut> {
  return {
    id: r.id,
    startUrl: r.startUrl,
    depth: r.depth,
    include: r.include,
    exclude: r.exclude,
    category: r.category,
    intervalMinutes: r.intervalMinutes,
    lastRunAt: r.lastRunAt,
    lastResult: r.lastResult,
    createdAt: r.createdAt,
  };
}

const createSourceRoute = createRoute({
  method: "post",
  path: "/",
  tags: ["knowledge"],
  summary: "Add a site to crawl",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: jsonBody(CrawlSourceIn),
  responses: created(CrawlSourceOut),
});
const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["knowledge"],
  summary: "Crawl sources with their last result",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  responses: ok(z.object({ items: z.array(CrawlSourceOut) })),
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["knowledge"],
  summary: "Stop crawling a site (its documents stay)",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(z.object({ deleted: z.boolean() })),
});
const runRoute = createRoute({
  method: "post",
  path: "/{id}/run",
  tags: ["knowledge"],
  summary: "Crawl a site now",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(z.object({ queued: z.boolean() })),
});

export const crawlSourcesApp = newApp()
  .openapi(createSourceRoute, async (c) => {
    const body = c.req.valid("json");
    const target = checkOutboundUrl(body.startUrl, { allowLoopback: c.var.config.development });
    if (!target.ok) throw badRequest(`This address cannot be crawled: ${target.reason}`);
    const category = await checkCategory(c.var.tdb, body.category);
    const id = newId("crawl");
    await c.var.tdb.insert(schema.crawlSources, {
      id,
      startUrl: body.startUrl,
      depth: body.depth,
      include: body.include,
      exclude: body.exclude,
      category,
      intervalMinutes: body.intervalMinutes,
    });
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "knowledge.crawl_source.create",
      targetType: "crawl_source",
      targetId: id,
      detail: { startUrl: body.startUrl },
    });
    const row = await c.var.tdb.first(schema.crawlSources, eq(schema.crawlSources.id, id));
    if (!row) throw notFound("Crawl source");
    return c.json(toSource(row), 201);
  })
  .openapi(listRoute, async (c) => {
    const s = schema.crawlSources;
    const rows = await c.var.tdb.select(s, undefined, { orderBy: desc(s.createdAt) });
    return c.json({ items: rows.map(toSource) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const s = schema.crawlSources;
    if (!(await c.var.tdb.first(s, eq(s.id, id)))) throw notFound("Crawl source");
    await c.var.tdb.delete(s, eq(s.id, id));
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "knowledge.crawl_source.delete",
      targetType: "crawl_source",
      targetId: id,
    });
    return c.json({ deleted: true }, 200);
  })
  .openapi(runRoute, async (c) => {
    const { id } = c.req.valid("param");
    const s = schema.crawlSources;
    if (!(await c.var.tdb.first(s, eq(s.id, id)))) throw notFound("Crawl source");
    await ingestQueue.send(c.env, { type: "crawl", workspaceId: c.var.auth.workspaceId, sourceId: id });
    return c.json({ queued: true }, 200);
  });
