/** /api/reports: the summary behind the dashboard's reports page, as JSON or CSV. */
import { createRoute } from "@hono/zod-openapi";
import { and, gte, inArray, lt } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { summarise, summaryToCsv } from "../analytics/reports.ts";
import { badRequest } from "../lib/errors.ts";
import { READERS, requireRole } from "./middleware.ts";
import { bearer, newApp, ok, z } from "./openapi.ts";
import { ReportSummarySchema } from "./schemas.ts";

const Query = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().positive().optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

const Summary = ReportSummarySchema;

const summaryRoute = createRoute({
  method: "get",
  path: "/summary",
  tags: ["reports"],
  summary: "Report summary for a period (default: last 30 days); ?format=csv for a spreadsheet",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { query: Query },
  responses: ok(Summary),
});

const MAX_CONVERSATIONS = 20_000;

export const reportsApp = newApp().openapi(summaryRoute, async (c) => {
  const q = c.req.valid("query");
  const to = q.to ?? Date.now();
  const from = q.from ?? to - 30 * 86_400_000;
  if (from >= to) throw badRequest("`from` must be before `to`", [{ path: "from", message: "must be before to" }]);
  const cv = schema.conversations;
  const convs = await c.var.tdb.select(cv, and(gte(cv.createdAt, from), lt(cv.createdAt, to)), {
    limit: MAX_CONVERSATIONS,
  });
  const ids = convs.map((x) => x.id);
  const msgs = [];
  const traces = [];
  for (let i = 0; i < ids.length; i += 90) {
    const part = ids.slice(i, i + 90);
    msgs.push(...(await c.var.tdb.select(schema.messages, inArray(schema.messages.conversationId, part))));
    traces.push(...(await c.var.tdb.select(schema.aiTraces, inArray(schema.aiTraces.conversationId, part))));
  }
  const s = summarise(convs, msgs, traces);
  if (q.format === "csv") {
    return c.body(summaryToCsv(s), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="omnisupport-report-${new Date(from).toISOString().slice(0, 10)}.csv"`,
    }) as never;
  }
  return c.json({ ...s, from, to }, 200);
});
