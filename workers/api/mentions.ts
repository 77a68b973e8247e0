/**
 * /api/mentions: internal notes that @mention the calling operator, newest first, for the
 * dashboard's Mentions list (live mentions also arrive as `notify` frames on the presence
 * socket). Found through the FTS index, confirmed with the room's own mention rule.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { parseMentions } from "../../durable-objects/lib/canned.ts";
import { ensureSearchIndex, noteMentioning } from "../services/search.ts";
import { MentionList } from "../protocol/api.ts";
import { READERS, requireRole } from "./middleware.ts";
import { bearer, newApp, ok, z } from "./openapi.ts";

const listRoute = createRoute({
  method: "get",
  path: "/mentions",
  tags: ["conversations"],
  summary: "Internal notes that mention me (@handle, case-insensitive), newest first",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }) },
  responses: ok(MentionList),
});

export const mentionsApp = newApp().openapi(listRoute, async (c) => {
  const { limit } = c.req.valid("query");
  const tdb = c.var.tdb;
  const me = await tdb.first(schema.operators, eq(schema.operators.id, c.var.auth.operatorId));
  if (!me || me.handle.length < 2) return c.json({ items: [] }, 200);
  await ensureSearchIndex(c.env.DB);
  const m = schema.messages;
  const rows = await tdb.select(
    m,
    and(eq(m.type, "note"), ne(m.senderId, me.id), noteMentioning(tdb.workspaceId, me.handle, sql`${m}.rowid`)),
    { orderBy: [desc(m.createdAt)], limit: limit * 2 },
  );
  const hits = rows.filter((r) => parseMentions(r.content, [{ id: me.id, handle: me.handle }]).includes(me.id));
  const authorIds = [...new Set(hits.map((r) => r.senderId).filter((x): x is string => !!x))];
  const authors = authorIds.length ? await tdb.select(schema.operators, inArray(schema.operators.id, authorIds)) : [];
  const names = new Map(authors.map((a) => [a.id, a.name]));
  return c.json(
    {
      items: hits.slice(0, limit).map((r) => ({
        id: r.id,
        conversationId: r.conversationId,
        authorName: (r.senderId ? names.get(r.senderId) : null) ?? null,
        text: r.content.slice(0, 500),
        createdAt: r.createdAt,
      })),
    },
    200,
  );
});
