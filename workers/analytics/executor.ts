/**
 * Runs a statement through the guard and then the database, with the row cap and a time
 * budget. The database is an interface (`SqlExec`) so the same path runs on D1 in the
 * Worker and on node:sqlite in the eval and bench.
 *
 * D1 cannot cancel a running statement; the time budget stops waiting for it and reports a
 * refusal, and the guard's limits (no recursion, no cartesian joins, ≤ 8 tables, row cap)
 * keep what can run bounded in the first place.
 */
import { guardSql, GuardRefusal, type GuardContext } from "./guard.ts";

export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

export type SqlExec = (sql: string, params: string[]) => Promise<SqlResult>;

export const DEFAULT_TIME_BUDGET_MS = 5000;

export interface ExecutedQuery extends SqlResult {
  /** The canonical SQL shown to the user. */
  sql: string;
  truncated: boolean;
  ms: number;
  tables: string[];
}

/** A statement that the guard accepted but the database rejected (unknown column, type error, time). */
export class ExecutionError extends Error {
  override readonly name = "ExecutionError";
  readonly code: "sql_error" | "time_budget";
  constructor(code: "sql_error" | "time_budget", message: string) {
    super(message);
    this.code = code;
  }
}

export function d1Exec(d1: D1Database): SqlExec {
  return async (sql, params) => {
    const [head, ...rows] = await d1
      .prepare(sql)
      .bind(...params)
      .raw<unknown[]>({ columnNames: true });
    return { columns: (head ?? []).map(String), rows };
  };
}

/** SQLite's message without the engine's prefixes, for the user and the repair loop. */
function sqliteMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw
    .replace(/^D1_ERROR:\s*/i, "")
    .replace(/:\s*SQLITE_ERROR$/i, "")
    .slice(0, 300);
}

export async function runGuarded(
  exec: SqlExec,
  text: string,
  ctx: GuardContext,
  timeBudgetMs = DEFAULT_TIME_BUDGET_MS,
): Promise<ExecutedQuery> {
  const g = guardSql(text, ctx);
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ExecutionError("time_budget", `The query took longer than ${timeBudgetMs} ms.`)),
      timeBudgetMs,
    );
  });
  try {
    const r = await Promise.race([exec(g.sql, g.params), timeout]);
    const truncated = r.rows.length > g.rowCap;
    return {
      sql: g.canonical,
      columns: r.columns,
      rows: truncated ? r.rows.slice(0, g.rowCap) : r.rows,
      truncated,
      ms: performance.now() - started,
      tables: g.tables,
    };
  } catch (err) {
    if (err instanceof ExecutionError || err instanceof GuardRefusal) throw err;
    throw new ExecutionError("sql_error", sqliteMessage(err));
  } finally {
    clearTimeout(timer);
  }
}
