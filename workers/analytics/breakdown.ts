/**
 * The reports page's trends and breakdowns (issue 19, Missing 5): one SELECT per view with
 * the page's measures side by side, each with its unit, and the drill-down to the
 * conversations behind a cell. Built from the catalogue's dimensions and run through the
 * SQL guard like every analytics statement, so the page and the agent agree on every figure.
 */
import { z } from "zod";
import { DIMENSIONS_BY_KEY } from "./catalogue.ts";

export const BREAKDOWNS = [
  "day",
  "week",
  "month",
  "channel",
  "category",
  "operator",
  "team",
  "tag",
  "language",
  "priority",
] as const;
export const BreakdownBy = z.enum(BREAKDOWNS);
export type BreakdownBy = z.infer<typeof BreakdownBy>;

/** Column key → unit shown in headers and exports. */
export const MEASURES = [
  { key: "conversations", unit: "count", label: "Conversations" },
  { key: "resolved", unit: "count", label: "Resolved" },
  { key: "first_response_min", unit: "min", label: "First response, average" },
  { key: "resolution_h", unit: "h", label: "Resolution time, average" },
  { key: "csat", unit: "1–5", label: "CSAT, average" },
  { key: "ai_resolution_pct", unit: "%", label: "AI resolution rate" },
  { key: "sla_breaches", unit: "count", label: "SLA breaches" },
] as const;

const SLA_BREACH =
  "CASE WHEN c.first_responded_at > c.first_response_due_at OR (c.first_responded_at IS NULL AND c.first_response_due_at < unixepoch('now') * 1000) THEN 1 ELSE 0 END";

function dimension(by: BreakdownBy) {
  const d = DIMENSIONS_BY_KEY.get(by);
  if (!d) throw new Error(`unknown breakdown ${by}`);
  return d;
}

/** The breakdown of conversations created in [from, to) (epoch ms, validated integers). */
export function breakdownSql(by: BreakdownBy, from: number, to: number): string {
  const d = dimension(by);
  const join = d.join ? ` ${d.join}` : "";
  return [
    `SELECT ${d.expr} AS key, COUNT(*) AS conversations,`,
    "SUM(CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END) AS resolved,",
    "AVG((c.first_responded_at - c.created_at) / 60000.0) AS first_response_min,",
    "AVG((c.resolved_at - c.created_at) / 3600000.0) AS resolution_h,",
    "AVG(c.csat_score) AS csat,",
    "100.0 * SUM(CASE WHEN c.status = 'resolved' AND c.ai_resolved = 1 THEN 1 ELSE 0 END) / NULLIF(SUM(CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END), 0) AS ai_resolution_pct,",
    `SUM(${SLA_BREACH}) AS sla_breaches`,
    `FROM conversations c${join}`,
    `WHERE c.created_at >= ${Math.trunc(from)} AND c.created_at < ${Math.trunc(to)}`,
    `GROUP BY ${d.expr}`,
    d.time ? "ORDER BY key" : "ORDER BY conversations DESC",
  ].join(" ");
}

/** The conversations behind one cell of a breakdown (newest first, at most `limit`). */
export function drilldownSql(by: BreakdownBy, key: string, from: number, to: number, limit = 200): string {
  const d = dimension(by);
  const join = d.join ? ` ${d.join}` : "";
  const lit = `'${key.replaceAll("'", "''")}'`;
  return [
    "SELECT c.id, c.created_at, c.channel, c.category, c.status, c.priority, o.name AS assignee, c.csat_score",
    `FROM conversations c${join}`,
    d.key === "operator" ? "" : "LEFT JOIN operators o ON o.id = c.assignee_id",
    `WHERE c.created_at >= ${Math.trunc(from)} AND c.created_at < ${Math.trunc(to)} AND ${d.expr} = ${lit}`,
    `ORDER BY c.created_at DESC LIMIT ${Math.trunc(limit)}`,
  ]
    .filter(Boolean)
    .join(" ");
}
