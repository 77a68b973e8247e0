/**
 * The structured question both engines agree on (metric × dimensions × filters × time
 * window × grain × top/bottom N), its time windows in SQL, and the compiler from it to
 * one SELECT over the catalogue's definitions. Pure: no I/O, unit-tested.
 */
import { z } from "zod";
import { DIMENSIONS_BY_KEY, METRICS_BY_KEY, sourceJoin, type Dimension, type Metric } from "./catalogue.ts";

export const TimeWindowSchema = z.object({
  kind: z.enum([
    "today",
    "yesterday",
    "hours",
    "days",
    "months",
    "this_week",
    "last_week",
    "this_month",
    "last_month",
    "this_year",
    "month_of",
  ]),
  n: z.number().int().min(1).max(1000).optional(),
  /** YYYY-MM for month_of. */
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
});
export type TimeWindow = z.infer<typeof TimeWindowSchema>;

export const FilterSchema = z.object({
  dimension: z.string().max(40),
  values: z.array(z.string().max(80)).min(1).max(20),
});
export type Filter = z.infer<typeof FilterSchema>;

export const AnalyticsQuerySchema = z.object({
  metric: z.string().max(60),
  dimensions: z.array(z.string().max(40)).max(3),
  filters: z.array(FilterSchema).max(6),
  window: TimeWindowSchema.nullable(),
  order: z.enum(["asc", "desc"]).nullable(),
  limit: z.number().int().min(1).max(100).nullable(),
});
export type AnalyticsQuery = z.infer<typeof AnalyticsQuerySchema>;

export class CompileError extends Error {
  override readonly name = "CompileError";
}

const at = (...mods: string[]) => `unixepoch(${["'now'", ...mods.map((m) => `'${m}'`)].join(", ")}) * 1000`;
const monday = (weeksBack: number) =>
  `unixepoch(date('now', '-6 days', 'weekday 1'${weeksBack ? `, '-${weeksBack * 7} days'` : ""})) * 1000`;

/** [from, to) of a window, `shift` periods back (0 = the window itself, 1 = the one before). */
export function windowBounds(w: TimeWindow, shift = 0): { from: string; to: string | null } {
  const n = w.n ?? 1;
  switch (w.kind) {
    case "today":
    case "yesterday": {
      const k = (w.kind === "yesterday" ? 1 : 0) + shift;
      return {
        from: at("start of day", ...(k ? [`-${k} days`] : [])),
        to: k ? at("start of day", ...(k > 1 ? [`-${k - 1} days`] : [])) : null,
      };
    }
    case "hours":
    case "days": {
      const unit = w.kind === "hours" ? "hours" : "days";
      return {
        from: at(`-${n * (shift + 1)} ${unit}`),
        to: shift ? at(`-${n * shift} ${unit}`) : null,
      };
    }
    case "months":
      return { from: at(`-${n * (shift + 1)} months`), to: shift ? at(`-${n * shift} months`) : null };
    case "this_week":
    case "last_week": {
      const k = (w.kind === "last_week" ? 1 : 0) + shift;
      return { from: monday(k), to: k ? monday(k - 1) : null };
    }
    case "this_month":
    case "last_month": {
      const k = (w.kind === "last_month" ? 1 : 0) + shift;
      return {
        from: at("start of month", ...(k ? [`-${k} months`] : [])),
        to: k ? at("start of month", ...(k > 1 ? [`-${k - 1} months`] : [])) : null,
      };
    }
    case "this_year":
      return {
        from: at("start of year", ...(shift ? [`-${shift} years`] : [])),
        to: shift ? at("start of year", ...(shift > 1 ? [`-${shift - 1} years`] : [])) : null,
      };
    case "month_of": {
      const m = w.month ?? "1970-01";
      const base = `'${m}-01'`;
      const mod = (k: number) => (k ? `, '${k > 0 ? "+" : ""}${k} months'` : "");
      return { from: `unixepoch(${base}${mod(-shift)}) * 1000`, to: `unixepoch(${base}${mod(1 - shift)}) * 1000` };
    }
  }
}

export function windowCondition(w: TimeWindow, shift = 0, column = "c.created_at"): string {
  const b = windowBounds(w, shift);
  return b.to ? `${column} >= ${b.from} AND ${column} < ${b.to}` : `${column} >= ${b.from}`;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

export interface Compiled {
  sql: string;
  metric: Metric;
  dimensions: Dimension[];
}

/** One SELECT: dimension columns first (named by their keys), then the metric (named by its key). */
export function compile(q: AnalyticsQuery, opts: { shift?: number; withoutDimensions?: boolean } = {}): Compiled {
  const metric = METRICS_BY_KEY.get(q.metric);
  if (!metric) throw new CompileError(`Unknown metric ${q.metric}`);
  const dims = (opts.withoutDimensions ? [] : q.dimensions).map((k) => {
    const d = DIMENSIONS_BY_KEY.get(k);
    if (!d) throw new CompileError(`Unknown dimension ${k}`);
    if (d.sources && !d.sources.includes(metric.source))
      throw new CompileError(`${d.label.en} cannot be combined with ${metric.label.en}`);
    return d;
  });
  const joins: string[] = [];
  const addJoin = (j: string | null | undefined) => {
    if (j && !joins.includes(j)) joins.push(j);
  };
  addJoin(sourceJoin(metric.source));
  const conds: string[] = [];
  if (q.window) conds.push(windowCondition(q.window, opts.shift ?? 0));
  if (metric.where) conds.push(metric.where);
  for (const f of q.filters) {
    const d = DIMENSIONS_BY_KEY.get(f.dimension);
    if (!d) throw new CompileError(`Unknown filter ${f.dimension}`);
    if (d.sources && !d.sources.includes(metric.source))
      throw new CompileError(`${d.label.en} cannot be combined with ${metric.label.en}`);
    addJoin(d.join);
    conds.push(
      f.values.length === 1
        ? `${d.expr} = ${quote(f.values[0] ?? "")}`
        : `${d.expr} IN (${f.values.map(quote).join(", ")})`,
    );
  }
  for (const d of dims) addJoin(d.join);
  const cols = [...dims.map((d) => `${d.expr} AS ${d.key}`), `${metric.expr} AS ${metric.key}`];
  let sql = `SELECT ${cols.join(", ")} FROM conversations c`;
  for (const j of joins) sql += j.startsWith(",") ? j : ` ${j}`;
  if (conds.length) sql += ` WHERE ${conds.join(" AND ")}`;
  if (dims.length) sql += ` GROUP BY ${dims.map((d) => d.expr).join(", ")}`;
  const timeDim = dims.find((d) => d.time);
  if (q.limit !== null || q.order !== null) {
    sql += ` ORDER BY ${metric.key} ${q.order === "asc" ? "ASC" : "DESC"}`;
    if (q.limit !== null) sql += ` LIMIT ${q.limit}`;
  } else if (timeDim) sql += ` ORDER BY ${timeDim.key}`;
  else if (dims.length) sql += ` ORDER BY ${metric.key} DESC`;
  return { sql, metric, dimensions: dims };
}
