/**
 * Analytics agent latency over a fixed set of 50 gold questions (evals/analytics/gold.json,
 * in file order) on the synthetic six-month history in node:sqlite: parse + compile (the
 * embedded parser), the guard, SQL execution, and question → answer end to end
 * (parse, guard, SQL, the context queries for comparisons and sanity checks, interpretation).
 * Each question runs 5 times after one warm-up; prints one JSON object.
 * Run: node bench/analytics/run.ts   (BENCH_ONLY=analytics npm run bench runs it too)
 */
import { demoDb, sqliteExec, WORKSPACE } from "../../evals/analytics/db.ts";
import { loadGold } from "../../evals/analytics/run.ts";
import { compile, windowCondition } from "../../workers/analytics/query.ts";
import { parseQuestion } from "../../workers/analytics/semantic.ts";
import { guardSql } from "../../workers/analytics/guard.ts";
import { runGuarded } from "../../workers/analytics/executor.ts";
import { interpret, sanityWarnings } from "../../workers/analytics/interpret.ts";

const REPEAT = 5;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 1000) / 1000;
};

const questions = loadGold().slice(0, 50);
// The parser alone, before any database work (its p99 is not mixed with SQLite's GC pauses).
const parseOnly: number[] = [];
for (let r = 0; r < 21; r++)
  for (const g of questions) {
    const t0 = performance.now();
    const u = parseQuestion(g.question, null);
    if (u.query) compile(u.query);
    if (r > 0) parseOnly.push(performance.now() - t0);
  }
const started = performance.now();
const db = demoDb();
const seedMs = performance.now() - started;
const exec = sqliteExec(db);
const ctx = { workspaceId: WORKSPACE, role: "analyst" as const };
const parse: number[] = [];
const guard: number[] = [];
const sql: number[] = [];
const total: number[] = [];

for (let r = 0; r <= REPEAT; r++) {
  for (const g of questions) {
    const t0 = performance.now();
    const u = parseQuestion(g.question, null);
    if (!u.query) continue;
    const c = compile(u.query);
    const t1 = performance.now();
    guardSql(c.sql, ctx);
    const t2 = performance.now();
    const res = await runGuarded(exec, c.sql, ctx);
    const t3 = performance.now();
    // The agent's context queries: overall or previous period, NULL share.
    const extra = c.dimensions.length
      ? compile(u.query, { withoutDimensions: true }).sql
      : u.query.window
        ? compile(u.query, { shift: 1 }).sql
        : null;
    const context: { overall?: number | null; previous?: number | null; nullShare?: number | null } = {};
    if (extra) {
      const v = (await runGuarded(exec, extra, ctx)).rows[0]?.[0];
      if (c.dimensions.length) context.overall = typeof v === "number" ? v : null;
      else context.previous = typeof v === "number" ? v : null;
    }
    if (c.metric.measured) {
      const where = u.query.window ? ` WHERE ${windowCondition(u.query.window)}` : "";
      const v = (
        await runGuarded(
          exec,
          `SELECT 100.0 * SUM(CASE WHEN ${c.metric.measured} IS NULL THEN 1 ELSE 0 END) / COUNT(*) FROM conversations c${where}`,
          ctx,
        )
      ).rows[0]?.[0];
      context.nullShare = typeof v === "number" ? v : null;
    }
    interpret(u.query, c.metric, c.dimensions, res.columns, res.rows, context, u.lang);
    sanityWarnings(c.metric, res.columns, res.rows, context, u.lang, res.truncated);
    const t4 = performance.now();
    if (r === 0) continue;
    parse.push(t1 - t0);
    guard.push(t2 - t1);
    sql.push(t3 - t2 - (t2 - t1));
    total.push(t4 - t0);
  }
}

console.log(
  JSON.stringify({
    questions: questions.length,
    samples: parse.length,
    parseP50Ms: pct(parseOnly, 50),
    parseP99Ms: pct(parseOnly, 99),
    parseInPipelineP99Ms: pct(parse, 99),
    guardP50Ms: pct(guard, 50),
    guardP99Ms: pct(guard, 99),
    sqlP50Ms: pct(sql, 50),
    sqlP99Ms: pct(sql, 99),
    answerP50Ms: pct(total, 50),
    answerP99Ms: pct(total, 99),
    historySeedMs: Math.round(seedMs),
    conversations: db.prepare("SELECT COUNT(*) AS n FROM conversations").get()?.n ?? 0,
  }),
);
