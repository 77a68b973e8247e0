/**
 * /api/conversations: the inbox over REST for integrations and the dashboard.
 * Live changes (messages, assignment, status) go through the ConversationRoom; these
 * routes read the D1 mirror and forward operator commands to the room.
 */
import { containsPattern, likeTermBytes, MAX_LIKE_TERM_BYTES } from "../lib/like-pattern.ts";
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, gt, like, lt, or, type SQL } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { notFound } from "../lib/errors.ts";
import { decodeCursor, encodeCursor } from "./pagination.ts";
import { ADMIN, READERS, requireRole, STAFF } from "./middleware.ts";
import { ConversationStatus, OperatorCommand, RoomSnapshot, ConversationState } from "../protocol/frames.ts";
import { roomOf } from "../services/data-location.ts";
import { ApiError } from "../lib/errors.ts";
import { bearer, CursorQuery, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";
import {
  ActionListSchema,
  ConversationSchema,
  ListOf,
  MessagePageSchema,
  MessageSchema,
  TracesSchema,
} from "./schemas.ts";
import { ChannelSchema } from "../protocol/vocabulary.ts";
import { inboxSlaClock, slaState } from "../protocol/sla.ts";
import { conversationMatch, ensureSearchIndex } from "../services/search.ts";

type ConvRow = typeof schema.conversations.$inferSelect;
type MsgRow = typeof schema.messages.$inferSelect;

export function toConversation(r: ConvRow, now = Date.now()): z.infer<typeof ConversationSchema> {
  return {
    id: r.id,
    inboxId: r.inboxId,
    contactId: r.contactId,
    channel: r.channel,
    status: r.status,
    owner: r.owner,
    assigneeId: r.assigneeId,
    teamId: r.teamId,
    priority: r.priority,
    tags: r.tags,
    category: r.category,
    secondaryCategories: r.secondaryCategories,
    language: r.language,
    subject: r.subject,
    lastMessageAt: r.lastMessageAt,
    lastMessagePreview: r.lastMessagePreview,
    lastSeq: r.lastSeq,
    firstResponseDueAt: r.firstResponseDueAt,
    firstResponseAtRiskAt: r.firstResponseAtRiskAt,
    resolutionDueAt: r.resolutionDueAt,
    resolutionAtRiskAt: r.resolutionAtRiskAt,
    firstRespondedAt: r.firstRespondedAt,
    resolvedAt: r.resolvedAt,
    slaState: slaState(now, inboxSlaClock(r)),
    snoozedUntil: r.snoozedUntil,
    csatScore: r.csatScore,
    csatComment: r.csatComment,
    npsScore: r.npsScore,
    createdAt: r.createdAt,
  };
}

/** A stored message as staff see it over REST (customers only ever get the room's wire format). */
export function toMessage(r: MsgRow): z.infer<typeof MessageSchema> {
  return {
    id: r.id,
    conversationId: r.conversationId,
    seq: r.seq,
    type: r.type,
    senderType: r.senderType,
    senderId: r.senderId,
    content: r.content,
    contentAttributes: r.contentAttributes,
    attachments: r.attachments,
    deliveryStatus: r.deliveryStatus,
    createdAt: r.createdAt,
  };
}

const RoomLog = z.object({ items: z.array(MessageSchema), lastSeq: z.number() });

const ListQuery = CursorQuery.extend({
  status: ConversationStatus.optional(),
  inboxId: z.string().max(100).optional(),
  channel: ChannelSchema.optional(),
  assigneeId: z.string().max(100).optional(),
  teamId: z.string().max(100).optional(),
  category: z.string().max(64).optional(),
  // The tag is matched with LIKE inside the JSON array (quotes and escapes included).
  tag: z
    .string()
    .max(64)
    .refine((v) => likeTermBytes(JSON.stringify(v).slice(1, -1)) <= MAX_LIKE_TERM_BYTES, {
      message: `Tags are searched up to ${MAX_LIKE_TERM_BYTES} bytes`,
    })
    .optional(),
  contactId: z.string().max(100).optional(),
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "Full text: contact name, email, phone and message text (3+ characters per word)" }),
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["conversations"],
  summary: "List conversations (filters, cursor pagination, newest activity first)",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { query: ListQuery },
  responses: ok(ListOf(ConversationSchema)),
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["conversations"],
  summary: "One conversation",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { params: IdParam },
  responses: ok(ConversationSchema),
});

const messagesRoute = createRoute({
  method: "get",
  path: "/{id}/messages",
  tags: ["conversations"],
  summary: "Messages of a conversation in order (after=seq for resuming)",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: {
    params: IdParam,
    query: z.object({
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: ok(MessagePageSchema),
});

const commandRoute = createRoute({
  method: "post",
  path: "/{id}/commands",
  tags: ["conversations"],
  summary: "Operator action: assign, unassign, transfer, resolve, reopen, snooze, tags, priority, return to bot",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: { params: IdParam, ...jsonBody(OperatorCommand) },
  responses: ok(ConversationState),
});

const actionsRoute = createRoute({
  method: "get",
  path: "/{id}/actions",
  tags: ["conversations"],
  summary: "Pending and executed actions of a conversation",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { params: IdParam },
  responses: ok(ActionListSchema),
});

const decideRoute = createRoute({
  method: "post",
  path: "/{id}/actions/{actionId}/{decision}",
  tags: ["conversations"],
  summary: "Approve (execute) or reject a pending action on the customer's behalf",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: {
    params: z.object({
      id: z.string().min(1).max(100),
      actionId: z.string().min(1).max(100),
      decision: z.enum(["approve", "reject"]),
    }),
  },
  responses: ok(ActionListSchema),
});

const tracesRoute = createRoute({
  method: "get",
  path: "/{id}/traces",
  tags: ["conversations"],
  summary: "AI traces of a conversation (every step with latency, tokens, cost, model)",
  security: bearer,
  middleware: [requireRole(...ADMIN, "analyst")] as const,
  request: { params: IdParam },
  responses: ok(TracesSchema),
});

async function ownConversation(c: { var: { tdb: TenantDb } }, id: string) {
  const row = await c.var.tdb.first(schema.conversations, eq(schema.conversations.id, id));
  if (!row) throw notFound("Conversation");
  return row;
}

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
    if (q.q?.trim()) {
      const match = conversationMatch(c.var.auth.workspaceId, q.q, { id: t.id, contactId: t.contactId });
      await ensureSearchIndex(c.env.DB);
      conds.push(match);
    }
    if (q.tag) conds.push(like(t.tags, containsPattern(JSON.stringify(q.tag).slice(1, -1))));
    const cursor = decodeCursor(q.cursor);
    if (cursor) {
      const c1 = or(lt(t.updatedAt, cursor.sortValue), and(eq(t.updatedAt, cursor.sortValue), lt(t.id, cursor.id)));
      if (c1) conds.push(c1);
    }
    const rows = await c.var.tdb.select(t, conds.length ? and(...conds) : undefined, {
      orderBy: [desc(t.updatedAt), desc(t.id)],
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    // Tag filtering uses LIKE on JSON; confirm exact membership to avoid substring matches.
    const items = page.filter((r) => !q.tag || r.tags.includes(q.tag)).map((r) => toConversation(r));
    return c.json(
      { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.updatedAt, last.id) : null },
      200,
    );
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
    // The room's log is authoritative; D1 serves conversations that never had a room (imports).
    const fromRoom = RoomLog.parse(
      JSON.parse(await (await roomOf(c.env, c.var.auth.workspaceId, id)).log(after, limit)),
    );
    if (fromRoom.items.length || fromRoom.lastSeq > 0) return c.json(fromRoom, 200);
    const m = schema.messages;
    const rows = await c.var.tdb.select(m, and(eq(m.conversationId, id), gt(m.seq, after)), { orderBy: m.seq, limit });
    return c.json({ items: rows.map(toMessage), lastSeq: conv.lastSeq }, 200);
  })
  .openapi(commandRoute, async (c) => {
    const { id } = c.req.valid("param");
    await ownConversation(c, id);
    const op = await c.var.tdb.first(schema.operators, eq(schema.operators.id, c.var.auth.operatorId));
    const res = await (
      await roomOf(c.env, c.var.auth.workspaceId, id)
    ).command({ id: c.var.auth.operatorId, name: op?.name ?? "An operator" }, c.req.valid("json"));
    if (!res.ok) throw new ApiError(res.code === "not_found" ? 404 : 409, res.code, res.message);
    return c.json(res.state, 200);
  })
  .openapi(actionsRoute, async (c) => {
    const { id } = c.req.valid("param");
    await ownConversation(c, id);
    const snap = RoomSnapshot.parse(JSON.parse(await (await roomOf(c.env, c.var.auth.workspaceId, id)).snapshot()));
    return c.json({ items: snap.actions }, 200);
  })
  .openapi(decideRoute, async (c) => {
    const { id, actionId, decision } = c.req.valid("param");
    await ownConversation(c, id);
    const room = await roomOf(c.env, c.var.auth.workspaceId, id);
    const res = await room.decide(
      actionId,
      decision === "approve" ? "confirm" : "cancel",
      `operator:${c.var.auth.operatorId}`,
    );
    if (!res.ok) throw new ApiError(res.code === "not_found" ? 404 : 409, res.code, res.message);
    return c.json({ items: RoomSnapshot.parse(JSON.parse(await room.snapshot())).actions }, 200);
  })
  .openapi(tracesRoute, async (c) => {
    const { id } = c.req.valid("param");
    await ownConversation(c, id);
    const t = schema.aiTraces;
    const rows = await c.var.tdb.select(t, eq(t.conversationId, id), { orderBy: t.createdAt });
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id,
          turnId: r.turnId,
          step: r.step,
          provider: r.provider,
          model: r.model,
          latencyMs: r.latencyMs,
          inputTokens: r.inputTokens,
          outputTokens: r.outputTokens,
          costUsd: r.costUsd,
          detail: r.detail,
          createdAt: r.createdAt,
        })),
      },
      200,
    );
  });
