/**
 * /api/reports: the summary behind the dashboard's reports page (JSON or CSV), its trends
 * and breakdowns with units, and the drill-down to the conversations behind a number.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, gte, inArray, lt } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { summarise, summaryToCsv } from "../analytics/reports.ts";
import { badRequest } from "../lib/errors.ts";
import { READERS, requireRole } from "./middleware.ts";
import { bearer, newApp, ok, z } from "./openapi.ts";
import { ReportSummarySchema } from "./schemas.ts";
import { breakdownSql, BreakdownBy, drilldownSql, MEASURES } from "../analytics/breakdown.ts";
import { d1Exec, runGuarded } from "../analytics/executor.ts";
import { BreakdownSchema, DrilldownSchema } from "../protocol/analytics.ts";

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

const Period = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().positive().optional(),
});

function period(q: { from?: number | undefined; to?: number | undefined }): { from: number; to: number } {
  const to = q.to ?? Date.now();
  const from = q.from ?? to - 30 * 86_400_000;
  if (from >= to) throw badRequest("`from` must be before `to`", [{ path: "from", message: "must be before to" }]);
  return { from, to };
}

const breakdownRoute = createRoute({
  method: "get",
  path: "/breakdown",
  tags: ["reports"],
  summary: "Trends (by day, week, month) and breakdowns (by channel, category, operator, team, tag…) with units",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { query: Period.extend({ by: BreakdownBy }) },
  responses: ok(BreakdownSchema.openapi("ReportBreakdown")),
});

const drilldownRoute = createRoute({
  method: "get",
  path: "/drilldown",
  tags: ["reports"],
  summary: "The conversations behind one row of a breakdown (newest 200)",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: { query: Period.extend({ by: BreakdownBy, key: z.string().min(1).max(200) }) },
  responses: ok(DrilldownSchema.openapi("ReportDrilldown")),
});

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export const reportsApp = newApp()
  .openapi(breakdownRoute, async (c) => {
    const q = c.req.valid("query");
    const { from, to } = period(q);
    // Staff roles read aggregates only; the guard still scopes every table to the workspace.
    const r = await runGuarded(d1Exec(c.env.DB), breakdownSql(q.by, from, to), {
      workspaceId: c.var.auth.workspaceId,
      role: "analyst",
    });
    return c.json(
      {
        by: q.by,
        from,
        to,
        measures: MEASURES.map((m) => ({ key: m.key, unit: m.unit, label: m.label })),
        rows: r.rows.map((row) => ({
          key: row[0] === null || row[0] === undefined ? "—" : String(row[0]),
          values: MEASURES.map((_, i) => num(row[i + 1])),
        })),
      },
      200,
    );
  })
  .openapi(drilldownRoute, async (c) => {
    const q = c.req.valid("query");
    const { from, to } = period(q);
    const r = await runGuarded(d1Exec(c.env.DB), drilldownSql(q.by, q.key, from, to), {
      workspaceId: c.var.auth.workspaceId,
      role: "analyst",
    });
    return c.json(
      {
        items: r.rows.map((row) => ({
          id: String(row[0]),
          createdAt: num(row[1]) ?? 0,
          channel: String(row[2] ?? ""),
          category: row[3] === null ? null : String(row[3]),
          status: String(row[4] ?? ""),
          priority: String(row[5] ?? ""),
          assignee: row[6] === null || row[6] === undefined ? null : String(row[6]),
          csat: num(row[7]),
        })),
      },
      200,
    );
  })
  .openapi(summaryRoute, async (c) => {
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
