/**
 * /api/conversations: the inbox over REST for integrations and the dashboard.
 * Live changes (messages, assignment, status) go through the ConversationRoom; these
 * routes read the D1 mirror and forward operator commands to the room.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, gt, like, lt, or, type SQL } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { notFound } from "../lib/errors.ts";
import { decodeCursor, encodeCursor } from "./pagination.ts";
import { READERS, requireRole } from "./middleware.ts";
import { bearer, CursorQuery, IdParam, newApp, ok, z } from "./openapi.ts";
import { ConversationSchema, ListOf, MessageSchema } from "./schemas.ts";

type ConvRow = typeof schema.conversations.$inferSelect;
type MsgRow = typeof schema.messages.$inferSelect;

export function toConversation(r: ConvRow): z.infer<typeof ConversationSchema> {
  return {
    id: r.id, inboxId: r.inboxId, contactId: r.contactId, channel: r.channel, status: r.status, owner: r.owner,
    assigneeId: r.assigneeId, teamId: r.teamId, priority: r.priority, tags: r.tags, category: r.category,
    secondaryCategories: r.secondaryCategories, language: r.language, subject: r.subject, lastMessageAt: r.lastMessageAt,
    lastMessagePreview: r.lastMessagePreview, lastSeq: r.lastSeq, firstResponseDueAt: r.firstResponseDueAt,
    resolutionDueAt: r.resolutionDueAt, firstRespondedAt: r.firstRespondedAt, resolvedAt: r.resolvedAt,
    snoozedUntil: r.snoozedUntil, csatScore: r.csatScore, csatComment: r.csatComment, npsScore: r.npsScore, createdAt: r.createdAt,
  };
}

export function toMessage(r: MsgRow, staff: boolean): z.infer<typeof MessageSchema> {
  const attrs = staff ? r.contentAttributes : {};
  return {
    id: r.id, conversationId: r.conversationId, seq: r.seq, type: r.type, senderType: r.senderType, senderId: r.senderId,
    content: r.content, contentAttributes: attrs, attachments: r.attachments, deliveryStatus: r.deliveryStatus, createdAt: r.createdAt,
  };
}

const ListQuery = CursorQuery.extend({
  status: z.enum(["open", "pending", "snoozed", "resolved"]).optional(),
  inboxId: z.string().max(100).optional(),
  channel: z.enum(["widget", "telegram", "whatsapp", "messenger", "email"]).optional(),
  assigneeId: z.string().max(100).optional(),
  teamId: z.string().max(100).optional(),
  category: z.string().max(64).optional(),
  tag: z.string().max(64).optional(),
  contactId: z.string().max(100).optional(),
});

const listRoute = createRoute({
  method: "get", path: "/", tags: ["conversations"], summary: "List conversations (filters, cursor pagination, newest activity first)",
  security: bearer, middleware: [requireRole(...READERS)] as const,
  request: { query: ListQuery }, responses: ok(ListOf(ConversationSchema)),
});

const getRoute = createRoute({
  method: "get", path: "/{id}", tags: ["conversations"], summary: "One conversation",
  security: bearer, middleware: [requireRole(...READERS)] as const,
  request: { params: IdParam }, responses: ok(ConversationSchema),
});

const messagesRoute = createRoute({
  method: "get", path: "/{id}/messages", tags: ["conversations"], summary: "Messages of a conversation in order (after=seq for resuming)",
  security: bearer, middleware: [requireRole(...READERS)] as const,
  request: { params: IdParam, query: z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: ok(z.object({ items: z.array(MessageSchema), lastSeq: z.number() })),
});

export const conversationsApp = newApp()
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const t = schema.conversations;
    const conds: SQL[] = [];
    if (q.status) conds.push(eq(t.status, q.status));
    if (q.inboxId) conds.push(eq(t.inboxId, q.inboxId));
    if (q.channel) conds.push(eq(t.channel, q.channel));
    if (q.assigneeId) conds.push(eq(t.assigneeId, q.assigneeId));
    if (q.teamId) conds.push(eq(t.teamId, q.teamId));
    if (q.category) conds.push(eq(t.category, q.category));
    if (q.contactId) conds.push(eq(t.contactId, q.contactId));
    if (q.tag) conds.push(like(t.tags, `%${JSON.stringify(q.tag).slice(1, -1).replace(/[%_]/g, "")}%`));
    const cursor = decodeCursor(q.cursor);
    if (cursor) {
      const c1 = or(lt(t.updatedAt, cursor.sortValue), and(eq(t.updatedAt, cursor.sortValue), lt(t.id, cursor.id)));
      if (c1) conds.push(c1);
    }
    const rows = await c.var.tdb.select(t, conds.length ? and(...conds) : undefined, { orderBy: [desc(t.updatedAt), desc(t.id)], limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    // Tag filtering uses LIKE on JSON; confirm exact membership to avoid substring matches.
    const items = page.filter((r) => !q.tag || r.tags.includes(q.tag)).map(toConversation);
    return c.json({ items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.updatedAt, last.id) : null }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = await c.var.tdb.first(schema.conversations, eq(schema.conversations.id, id));
    if (!row) throw notFound("Conversation");
    return c.json(toConversation(row), 200);
  })
  .openapi(messagesRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { after, limit } = c.req.valid("query");
    const conv = await c.var.tdb.first(schema.conversations, eq(schema.conversations.id, id));
    if (!conv) throw notFound("Conversation");
    const m = schema.messages;
    const rows = await c.var.tdb.select(m, and(eq(m.conversationId, id), gt(m.seq, after)), { orderBy: m.seq, limit });
    return c.json({ items: rows.map((r) => toMessage(r, true)), lastSeq: conv.lastSeq }, 200);
  });
