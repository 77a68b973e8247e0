/**
 * Reading and writing an eval run's per-case results in D1 (`eval_results`, unique per
 * run × case × repeat): grouped checkpoint inserts that never store or report a case
 * twice, the metric rows of a run, and the paged case list.
 */
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { z } from "zod";
import { schema, type TenantDb } from "../db/client.ts";
import { CATEGORY_KEYS } from "../lib/categories.ts";
import { Score } from "../protocol/evals.ts";
import type { ResultRow } from "./metrics.ts";

/** eval_results rows per INSERT: 13 bound values a row, at most 100 per D1 statement. */
const RESULT_ROWS_PER_STATEMENT = 7;

export type ResultInsert = typeof schema.evalResults.$inferInsert;

/**
 * Inserts results in one D1 call; returns the rows this call stored (a row already there,
 * from a redelivered slice, is left alone and not returned, so it is never counted twice).
 */
export async function insertResults(
  tdb: TenantDb,
  rows: ResultInsert[],
): Promise<Array<{ caseIdx: number; repeat: number; pass: boolean; costUsd: number }>> {
  const r = schema.evalResults;
  const statements = [];
  for (let i = 0; i < rows.length; i += RESULT_ROWS_PER_STATEMENT)
    statements.push(
      tdb.db
        .insert(r)
        .values(rows.slice(i, i + RESULT_ROWS_PER_STATEMENT))
        .onConflictDoNothing()
        .returning({ caseIdx: r.caseIdx, repeat: r.repeat, pass: r.pass, costUsd: r.costUsd }),
    );
  const [first, ...rest] = statements;
  if (!first) return [];
  return (await tdb.db.batch([first, ...rest])).flat();
}

/** Every result of a run as metric rows, read in pages. */
export async function loadResultRows(tdb: TenantDb, runId: string): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  const r = schema.evalResults;
  for (let from = 0; ; from += 1000) {
    const rows = await tdb.select(r, and(eq(r.runId, runId), gte(r.caseIdx, from), lt(r.caseIdx, from + 1000)), {
      orderBy: [asc(r.caseIdx), asc(r.repeat)],
    });
    for (const x of rows) {
      const detail = z.object({ scores: z.array(Score) }).safeParse(JSON.parse(x.detail));
      out.push({
        caseIdx: x.caseIdx,
        repeat: x.repeat,
        caseId: x.caseId,
        category: x.category,
        pass: x.pass,
        redLine: x.redLine,
        costUsd: x.costUsd,
        latencyMs: x.latencyMs,
        scores: detail.success ? detail.data.scores : [],
      });
    }
    const max = await tdb.first(r, and(eq(r.runId, runId), gte(r.caseIdx, from + 1000)));
    if (!max) return out;
  }
}

/** Per-case results of a run, paged by case index. */
export async function resultPage(
  tdb: TenantDb,
  runId: string,
  opts: { from: number; limit: number; filter?: "pass" | "fail" | "red_line" | "unsure"; category?: string },
) {
  const r = schema.evalResults;
  const conds = [eq(r.runId, runId), gte(r.caseIdx, opts.from)];
  if (opts.filter === "pass") conds.push(eq(r.pass, true));
  if (opts.filter === "fail") conds.push(eq(r.pass, false));
  if (opts.filter === "red_line") conds.push(eq(r.redLine, true));
  if (opts.filter === "unsure") conds.push(eq(r.unsure, true));
  if (opts.category && (CATEGORY_KEYS as readonly string[]).includes(opts.category))
    conds.push(eq(r.category, opts.category));
  return tdb.select(r, and(...conds), { orderBy: [asc(r.caseIdx), asc(r.repeat)], limit: opts.limit + 1 });
}
