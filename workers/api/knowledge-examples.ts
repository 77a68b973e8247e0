/**
 * /api/knowledge/examples: learning from history (seed 003). Staff mark a good answer
 * in a conversation; it becomes a pending example with the customer's question before
 * it and the conversation's category. Admins approve or reject; only approved examples
 * reach the agent (`fewShotExamples` in workers/knowledge/service.ts).
 */
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import { badRequest, conflict, notFound } from "../lib/errors.ts";
import { audit } from "../services/audit.ts";
import { ADMIN, requireRole, STAFF } from "./middleware.ts";
import { bearer, created, jsonBody, newApp, ok, z } from "./openapi.ts";

const STATUS = ["pending", "approved", "rejected"] as const;

const ExampleOut = z
  .object({
    id: z.string(),
    category: z.string(),
    question: z.string(),
    answer: z.string(),
    status: z.enum(STATUS),
    sourceMessageId: z.string().nullable(),
    markedBy: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    createdAt: z.number(),
  })
  .openapi("FewShotExample");

type Row = typeof schema.fewShotExamples.$inferSelect;
function toExample(r: Row): z.infer<typeof ExampleOut> {
  return {
    id: r.id,
    category: r.category,
    question: r.question,
    answer: r.answer,
    status: r.status,
    sourceMessageId: r.sourceMessageId,
    markedBy: r.markedBy,
    reviewedBy: r.reviewedBy,
    createdAt: r.createdAt,
  };
}

/** Category of examples from conversations the router never classified. */
const FALLBACK_CATEGORY = "other";
/** Customer messages looked at before the answer (a question split over several messages). */
const QUESTION_WINDOW = 10;

const markRoute = createRoute({
  method: "post",
  path: "/",
  tags: ["knowledge"],
  summary: "Mark a good answer as a few-shot example (pending review)",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: jsonBody(z.object({ messageId: z.string().min(1).max(100) })),
  responses: created(ExampleOut),
});
const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["knowledge"],
  summary: "Few-shot examples, newest first",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: { query: z.object({ status: z.enum(STATUS).optional(), category: z.string().max(64).optional() }) },
  responses: ok(z.object({ items: z.array(ExampleOut) })),
});
const decideRoute = createRoute({
  method: "post",
  path: "/{id}/{decision}",
  tags: ["knowledge"],
  summary: "Approve or reject an example",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: z.object({ id: z.string().min(1).max(100), decision: z.enum(["approve", "reject"]) }) },
  responses: ok(ExampleOut),
});

/** The customer's question an answer replied to: the incoming messages right before it. */
async function questionBefore(tdb: TenantDb, conversationId: string, seq: number): Promise<string> {
  const m = schema.messages;
  const earlier = await tdb.select(m, and(eq(m.conversationId, conversationId), lt(m.seq, seq)), {
    orderBy: desc(m.seq),
    limit: QUESTION_WINDOW,
  });
  const parts: string[] = [];
  for (const msg of earlier) {
    if (msg.type === "incoming") parts.unshift(msg.content);
    else if (msg.type === "outgoing" && parts.length > 0)
      break; // the previous exchange
    else if (msg.type === "outgoing") break;
  }
  return parts.join("\n").trim();
}

export const examplesApp = newApp()
  .openapi(markRoute, async (c) => {
    const { messageId } = c.req.valid("json");
    const tdb = c.var.tdb;
    const m = schema.messages;
    const message = await tdb.first(m, eq(m.id, messageId));
    if (!message) throw notFound("Message");
    if (message.type !== "outgoing") throw badRequest("Only an answer sent to the customer can become an example");
    const f = schema.fewShotExamples;
    if (await tdb.first(f, eq(f.sourceMessageId, messageId))) throw conflict("This answer is already an example");
    const question = await questionBefore(tdb, message.conversationId, message.seq);
    if (question === "") throw badRequest("No customer question precedes this answer");
    const conversation = await tdb.first(schema.conversations, eq(schema.conversations.id, message.conversationId));
    const id = newId("fse");
    await tdb.insert(f, {
      id,
      category: conversation?.category ?? FALLBACK_CATEGORY,
      question,
      answer: message.content,
      status: "pending",
      sourceMessageId: messageId,
      markedBy: c.var.auth.operatorId,
    });
    await audit(tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "knowledge.example.mark",
      targetType: "few_shot_example",
      targetId: id,
    });
    const row = await tdb.first(f, eq(f.id, id));
    if (!row) throw notFound("Example");
    return c.json(toExample(row), 201);
  })
  .openapi(listRoute, async (c) => {
    const { status, category } = c.req.valid("query");
    const f = schema.fewShotExamples;
    const conds: SQL[] = [];
    if (status) conds.push(eq(f.status, status));
    if (category) conds.push(eq(f.category, category));
    const rows = await c.var.tdb.select(f, conds.length ? and(...conds) : undefined, {
      orderBy: desc(f.createdAt),
      limit: 500,
    });
    return c.json({ items: rows.map(toExample) }, 200);
  })
  .openapi(decideRoute, async (c) => {
    const { id, decision } = c.req.valid("param");
    const f = schema.fewShotExamples;
    if (!(await c.var.tdb.first(f, eq(f.id, id)))) throw notFound("Example");
    await c.var.tdb.update(
      f,
      { status: decision === "approve" ? "approved" : "rejected", reviewedBy: c.var.auth.operatorId },
      eq(f.id, id),
    );
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: `knowledge.example.${decision}`,
      targetType: "few_shot_example",
      targetId: id,
    });
    const row = await c.var.tdb.first(f, eq(f.id, id));
    if (!row) throw notFound("Example");
    return c.json(toExample(row), 200);
  });
