/**
 * /api/learnings (issue 20, Memory 3): cross-customer patterns as proposals an admin
 * approves or dismisses — never applied silently. Approving a knowledge proposal creates a
 * knowledge document through the ordinary upload path (R2 + ingest queue) from the admin's
 * answer; approving a rule proposal appends the admin's instruction to the category as a
 * new category version. Admin only; every query scoped to the caller's workspace.
 */
import { createRoute } from "@hono/zod-openapi";
import { asc, desc, eq, inArray } from "drizzle-orm";
import { D1_MAX_PARAMS, schema, type TenantDb } from "../db/client.ts";
import { documentKey, sha256Hex } from "../knowledge/documents.ts";
import { ingestQueue } from "../knowledge/messages.ts";
import { runLearnings } from "../learnings/job.ts";
import { LearningProposalSchema, LearningRunSchema } from "../protocol/learnings.ts";
import { badRequest, conflict, notFound } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { audit } from "../services/audit.ts";
import { putSealed } from "../services/sealed-bucket.ts";
import { ADMIN, requireRole } from "./middleware.ts";
import { bearer, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const ProposalSchema = LearningProposalSchema.openapi("LearningProposal");
type Proposal = z.infer<typeof ProposalSchema>;
type Row = typeof schema.learningProposals.$inferSelect;

async function withExamples(tdb: TenantDb, rows: Row[]): Promise<Proposal[]> {
  const e = schema.learningExamples;
  const ids = rows.map((r) => r.id);
  // In slices: D1 binds at most 100 parameters a statement and the list shows up to 200 proposals.
  const examples: Array<typeof e.$inferSelect> = [];
  for (let i = 0; i < ids.length; i += D1_MAX_PARAMS - 10)
    examples.push(
      ...(await tdb.select(e, inArray(e.proposalId, ids.slice(i, i + D1_MAX_PARAMS - 10)), {
        orderBy: [asc(e.createdAt)],
      })),
    );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    category: r.category,
    title: r.title,
    pattern: r.pattern ?? null,
    occurrences: r.occurrences,
    status: r.status,
    documentId: r.documentId,
    examples: examples.filter((x) => x.proposalId === r.id).map((x) => x.text),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["learnings"],
  summary: "Cross-customer learning proposals (newest first)",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: {
    query: z.object({ status: z.enum(["open", "approved", "dismissed"]).optional() }),
  },
  responses: ok(z.object({ items: z.array(ProposalSchema) })),
});
const runRoute = createRoute({
  method: "post",
  path: "/run",
  tags: ["learnings"],
  summary: "Look for patterns now (also run daily); returns how many new proposals were made",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: jsonBody(z.object({ minOccurrences: z.number().int().min(2).max(100).optional() }).strict()),
  responses: ok(LearningRunSchema.openapi("LearningRun")),
});
const approveRoute = createRoute({
  method: "post",
  path: "/{id}/approve",
  tags: ["learnings"],
  summary:
    "Approve: a knowledge proposal becomes a knowledge document with the admin's answer; a rule proposal appends the admin's instruction to the category",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: {
    params: IdParam,
    ...jsonBody(
      z
        .object({
          title: z.string().trim().min(3).max(200).optional(),
          answer: z.string().trim().min(10).max(5000).optional(),
          instruction: z.string().trim().min(10).max(1000).optional(),
        })
        .strict(),
    ),
  },
  responses: ok(ProposalSchema),
});
const dismissRoute = createRoute({
  method: "post",
  path: "/{id}/dismiss",
  tags: ["learnings"],
  summary: "Dismiss a proposal (the same pattern is not proposed again)",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(ProposalSchema),
});

async function openProposal(tdb: TenantDb, id: string): Promise<Row> {
  const t = schema.learningProposals;
  const row = await tdb.first(t, eq(t.id, id));
  if (!row) throw notFound("Proposal");
  if (row.status !== "open") throw conflict(`This proposal is already ${row.status}`);
  return row;
}

async function one(tdb: TenantDb, id: string): Promise<Proposal> {
  const t = schema.learningProposals;
  const row = await tdb.first(t, eq(t.id, id));
  if (!row) throw notFound("Proposal");
  const [p] = await withExamples(tdb, [row]);
  if (!p) throw notFound("Proposal");
  return p;
}

/** The FAQ entry as Markdown: the title, the questions customers asked, the admin's answer. */
function faqMarkdown(title: string, examples: string[], answer: string): string {
  const qs = examples.slice(0, 5).map((q) => `- ${q.replace(/\s+/g, " ")}`);
  return `# ${title}\n\n${qs.length ? `Customers ask:\n${qs.join("\n")}\n\n` : ""}${answer}\n`;
}

export const learningsApp = newApp()
  .openapi(listRoute, async (c) => {
    const { status } = c.req.valid("query");
    const t = schema.learningProposals;
    const rows = await c.var.tdb.select(t, status ? eq(t.status, status) : undefined, {
      orderBy: [desc(t.updatedAt)],
      limit: 200,
    });
    return c.json({ items: await withExamples(c.var.tdb, rows) }, 200);
  })
  .openapi(runRoute, async (c) => {
    const body = c.req.valid("json");
    const res = await runLearnings(c.var.tdb, body.minOccurrences ? { minOccurrences: body.minOccurrences } : {});
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "learnings.run",
      detail: { ...res },
    });
    return c.json(res, 200);
  })
  .openapi(approveRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const tdb = c.var.tdb;
    const row = await openProposal(tdb, id);
    const t = schema.learningProposals;
    let documentId: string | null = null;
    if (row.kind === "knowledge") {
      if (!body.answer) throw badRequest("An answer is required to add this question to the knowledge base");
      const [p] = await withExamples(tdb, [row]);
      const title = body.title ?? row.title;
      const bytes = new TextEncoder().encode(faqMarkdown(title, p?.examples ?? [], body.answer));
      documentId = newId("kdoc");
      const fileName = `learning-${row.id}.md`;
      const r2Key = documentKey(tdb.workspaceId, documentId, fileName);
      await putSealed(c.env, "DOCUMENTS", tdb.workspaceId, r2Key, bytes, { contentType: "text/markdown" });
      await tdb.insert(schema.knowledgeDocuments, {
        id: documentId,
        title,
        fileName,
        kind: "md",
        size: bytes.length,
        r2Key,
        category: "general_question",
        status: "queued",
        contentHash: await sha256Hex(bytes),
        source: "upload",
      });
      await ingestQueue.send(c.env, { type: "parse", workspaceId: tdb.workspaceId, documentId });
    } else {
      if (!body.instruction) throw badRequest("An instruction is required to change the category's rules");
      const cat = schema.categories;
      const category = await tdb.first(cat, eq(cat.key, row.category));
      if (!category) throw notFound("Category");
      const version = category.version + 1;
      const instructions = `${category.instructions}\n\n${body.instruction}`.slice(0, 8000);
      await tdb.update(
        cat,
        { instructions, version, updatedAt: Date.now(), updatedBy: c.var.auth.operatorId },
        eq(cat.id, category.id),
      );
      await tdb.insert(schema.categoryVersions, {
        id: newId("catv"),
        categoryKey: category.key,
        version,
        snapshot: {
          name: category.name,
          instructions,
          allowedTools: category.allowedTools,
          provider: category.provider,
          model: category.model,
          reasoningLevel: category.reasoningLevel,
          autoSend: category.autoSend,
          retentionOffer: category.retentionOffer,
        },
        createdBy: c.var.auth.operatorId,
      });
    }
    await tdb
      .update(
        t,
        {
          status: "approved",
          decidedBy: c.var.auth.operatorId,
          decidedAt: Date.now(),
          documentId,
          updatedAt: Date.now(),
        },
        eq(t.id, id),
      )
      .run();
    await audit(tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "learning.approve",
      targetType: "learning",
      targetId: id,
      detail: { kind: row.kind, category: row.category, ...(documentId ? { documentId } : {}) },
    });
    return c.json(await one(tdb, id), 200);
  })
  .openapi(dismissRoute, async (c) => {
    const { id } = c.req.valid("param");
    await openProposal(c.var.tdb, id);
    const t = schema.learningProposals;
    await c.var.tdb
      .update(
        t,
        { status: "dismissed", decidedBy: c.var.auth.operatorId, decidedAt: Date.now(), updatedAt: Date.now() },
        eq(t.id, id),
      )
      .run();
    await audit(c.var.tdb, {
      actorType: "operator",
      actorId: c.var.auth.operatorId,
      action: "learning.dismiss",
      targetType: "learning",
      targetId: id,
    });
    return c.json(await one(c.var.tdb, id), 200);
  });
