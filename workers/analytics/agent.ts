/**
 * The analytics agent: one `ask` for both engines. A question goes to a validated pattern
 * (layer 3) when one matches, else to the embedded semantic parser, else — when the
 * workspace has a model — to the LLM path; whatever produced the SQL, it runs through the
 * guard. The answer interprets the result (interpret.ts), lists the layers used, and is
 * stored as a turn of the caller's thread. Refusals are answers with `refused: true`.
 */
import type { AskResponse } from "../protocol/analytics.ts";
import type { ProviderTarget } from "../ai/providers/resilient.ts";
import { METRICS_BY_KEY, type Dimension, type Metric } from "./catalogue.ts";
import { GuardRefusal, type GuardRole } from "./guard.ts";
import { ExecutionError, runGuarded, type ExecutedQuery, type SqlExec } from "./executor.ts";
import { chooseChart, interpret, sanityWarnings, type Context } from "./interpret.ts";
import { activeLayers, contextText, learnedPhrases, normaliseQuestion, type LayerName } from "./layers.ts";
import { llmAnswer } from "./llm.ts";
import { compile, windowCondition, type AnalyticsQuery } from "./query.ts";
import { detectLang, parseQuestion, type Lang } from "./semantic.ts";
import type { AnalyticsStore, Thread } from "./store.ts";
import { newId } from "../lib/ids.ts";

/** Statements one thread may run (each question counts one; context queries are free). */
export const THREAD_QUERY_BUDGET = 50;

export interface Caller {
  workspaceId: string;
  operatorId: string;
  role: GuardRole;
}

export interface AgentDeps {
  exec: SqlExec;
  store: AnalyticsStore;
  /** Model targets for the LLM path; empty = embedded only. */
  llm: ProviderTarget[];
  categories: () => Promise<Array<{ key: string; name: string }>>;
  /** Layer 6: the live columns of the exposed tables. */
  liveSchema: () => Promise<string[]>;
}

export type { AskResponse };

export interface AskInput {
  question: string;
  threadId?: string | undefined;
  /** Admin-edited SQL to run instead of parsing the question. */
  sql?: string | undefined;
}

export class ThreadNotFound extends Error {
  override readonly name = "ThreadNotFound";
}

function t(lang: Lang, en: string, ru: string): string {
  return lang === "ru" ? ru : en;
}

/** The metric's overall value and sanity context for a catalogue query (at most three small statements). */
async function context(
  q: AnalyticsQuery,
  metric: Metric,
  dims: Dimension[],
  run: (sql: string) => Promise<ExecutedQuery>,
): Promise<Context> {
  const ctx: Context = {};
  const scalar = async (sql: string): Promise<number | null> => {
    try {
      const r = await run(sql);
      const v = r.rows[0]?.[0];
      return typeof v === "number" ? v : null;
    } catch {
      return null;
    }
  };
  if (dims.length) ctx.overall = await scalar(compile(q, { withoutDimensions: true }).sql);
  else if (q.window) ctx.previous = await scalar(compile(q, { shift: 1 }).sql);
  if (metric.measured) {
    const where = q.window ? ` WHERE ${windowCondition(q.window)}` : "";
    ctx.nullShare = await scalar(
      `SELECT 100.0 * SUM(CASE WHEN ${metric.measured} IS NULL THEN 1 ELSE 0 END) / COUNT(*) FROM conversations c${where}`,
    );
  }
  if (metric.source !== "conversations" || dims.some((d) => d.join)) {
    const c = compile({ ...q, dimensions: q.dimensions, order: null, limit: null });
    const from = c.sql.slice(
      c.sql.indexOf(" FROM "),
      c.sql.includes(" GROUP BY ") ? c.sql.indexOf(" GROUP BY ") : undefined,
    );
    ctx.joinedRows = await scalar(`SELECT COUNT(*)${from.replace(/ ORDER BY .*$/, "")}`);
  }
  return ctx;
}

export async function ask(deps: AgentDeps, caller: Caller, input: AskInput): Promise<AskResponse> {
  const started = performance.now();
  const lang = detectLang(input.question);
  let thread: Thread | null = null;
  if (input.threadId) {
    thread = await deps.store.thread(input.threadId, caller.operatorId);
    if (!thread) throw new ThreadNotFound("No such thread");
  } else thread = await deps.store.createThread(caller.operatorId, input.question);

  const guardCtx = { workspaceId: caller.workspaceId, role: caller.role };
  const run = (sql: string) => runGuarded(deps.exec, sql, guardCtx);
  const layers = new Set<LayerName>(["schema", "live_schema"]);
  const res: AskResponse = {
    threadId: thread.id,
    turnId: newId("atrn"),
    sql: null,
    columns: [],
    rows: [],
    rowCount: 0,
    truncated: false,
    answer: "",
    chart: null,
    refused: false,
    warnings: [],
    layers: [],
    engine: "embedded",
    understood: [],
    closest: [],
    ms: 0,
  };
  let lastQuery: AnalyticsQuery | null = null;
  let ran = 0;

  const finish = async (): Promise<AskResponse> => {
    res.layers = [...layers];
    res.ms = Math.round((performance.now() - started) * 10) / 10;
    res.rowCount = res.rows.length;
    await deps.store.saveTurn({
      id: res.turnId,
      threadId: res.threadId,
      operatorId: caller.operatorId,
      question: input.question.slice(0, 2000),
      engine: res.engine,
      sql: res.sql,
      refused: res.refused,
      answer: res.answer,
      rowCount: res.rowCount,
      warnings: res.warnings,
      layers: res.layers,
    });
    if (thread) await deps.store.recordRun(thread, ran, lastQuery);
    return res;
  };
  const refuse = (reason: string): Promise<AskResponse> => {
    res.refused = true;
    res.answer = reason;
    return finish();
  };

  if (thread.queries >= THREAD_QUERY_BUDGET)
    return refuse(
      t(
        lang,
        `This thread has used its budget of ${THREAD_QUERY_BUDGET} queries; start a new thread.`,
        `В этой ветке исчерпан лимит в ${THREAD_QUERY_BUDGET} запросов; начните новую.`,
      ),
    );

  const executeSql = async (sql: string, engine: AskResponse["engine"]): Promise<ExecutedQuery | null> => {
    res.engine = engine;
    try {
      ran++;
      const r = await run(sql);
      res.sql = r.sql;
      res.columns = r.columns;
      res.rows = r.rows;
      res.truncated = r.truncated;
      return r;
    } catch (err) {
      if (err instanceof GuardRefusal || err instanceof ExecutionError) {
        res.sql = sql;
        await refuse(t(lang, `The query was refused: ${err.message}`, `Запрос отклонён: ${err.message}`));
        return null;
      }
      throw err;
    }
  };

  // Admin-edited SQL: run as given (through the guard), no parsing.
  if (input.sql) {
    const r = await executeSql(input.sql, "sql");
    if (!r) return res;
    res.chart = chooseChart(r.columns, r.rows, [], null);
    res.answer = t(lang, `${r.rows.length} row(s).`, `Строк: ${r.rows.length}.`);
    if (r.truncated)
      res.warnings.push(t(lang, "The result was cut at the row cap.", "Результат обрезан по лимиту строк."));
    return finish();
  }

  const active = activeLayers(await deps.store.entries("approved"));
  layers.add("metrics");
  // Layer 3: a validated pattern for this very question.
  const nq = normaliseQuestion(input.question);
  const pattern = active.patterns.find((p) => normaliseQuestion(p.question) === nq);
  if (pattern) {
    layers.add("patterns");
    const r = await executeSql(pattern.sql, "pattern");
    if (!r) return res;
    res.chart = chooseChart(r.columns, r.rows, [], null);
    res.answer = t(
      lang,
      `Answered with a validated query pattern: ${r.rows.length} row(s).`,
      `Ответ по проверенному шаблону запроса: строк — ${r.rows.length}.`,
    );
    return finish();
  }

  const { phrases } = learnedPhrases(active);
  const u = parseQuestion(input.question, thread.lastQuery, phrases);
  res.understood = u.understood;
  if (u.usedLearning) layers.add("learnings");
  if (u.forbidden) return refuse(u.problem ?? "");

  if (!u.query) {
    if (deps.llm.length) {
      layers.add("patterns");
      layers.add("documentation");
      layers.add("learnings");
      const text = contextText(active, await deps.categories(), await deps.liveSchema());
      const out = await llmAnswer(deps.llm, input.question, text, async (sql) => {
        ran++;
        return run(sql);
      });
      res.engine = "llm";
      if (out.ok) {
        res.sql = out.result.sql;
        res.columns = out.result.columns;
        res.rows = out.result.rows;
        res.truncated = out.result.truncated;
        res.chart = chooseChart(res.columns, res.rows, [], null);
        res.answer = t(lang, `${res.rows.length} row(s).`, `Строк: ${res.rows.length}.`);
        if (out.attempts.length > 1)
          res.warnings.push(
            t(
              lang,
              `The first ${out.attempts.length - 1} attempt(s) failed and were repaired.`,
              `Первые попытки (${out.attempts.length - 1}) не удались и были исправлены.`,
            ),
          );
        if (out.learning)
          await deps.store.addEntry(
            5,
            `repair:${nq.slice(0, 80)}`,
            {
              note: `Repaired after: ${out.learning.error}`,
              question: input.question,
              error: out.learning.error,
              sql: out.learning.sql,
            },
            "proposed",
            caller.operatorId,
          );
        return finish();
      }
      res.sql = out.attempts[out.attempts.length - 1]?.sql ?? null;
      return refuse(t(lang, `I could not answer this: ${out.reason}`, `Не получилось ответить: ${out.reason}`));
    }
    res.closest = u.closest.map((k) => ({ key: k, label: METRICS_BY_KEY.get(k)?.label[lang] ?? k }));
    const understood = u.understood.length
      ? t(lang, ` I understood: ${u.understood.join(", ")}.`, ` Понял: ${u.understood.join(", ")}.`)
      : "";
    return refuse(
      `${u.problem ?? ""}${understood} ${t(lang, "Closest metrics", "Ближайшие метрики")}: ${res.closest.map((c) => c.label).join(", ")}.`,
    );
  }

  const q = u.query;
  const compiled = (() => {
    try {
      return compile(q);
    } catch (e) {
      return e instanceof Error ? e : new Error("compile failed");
    }
  })();
  if (compiled instanceof Error)
    return refuse(
      t(
        lang,
        `I understood the question but cannot combine it: ${compiled.message}.`,
        `Вопрос понят, но так сочетать нельзя: ${compiled.message}.`,
      ),
    );
  if (q.filters.some((f) => f.dimension === "category") || q.dimensions.includes("category"))
    layers.add("documentation");
  const r = await executeSql(compiled.sql, "embedded");
  if (!r) return res;
  lastQuery = q;
  const ctx = await context(q, compiled.metric, compiled.dimensions, run);
  res.answer = interpret(q, compiled.metric, compiled.dimensions, r.columns, r.rows, ctx, lang);
  res.warnings.push(...sanityWarnings(compiled.metric, r.columns, r.rows, ctx, lang, r.truncated));
  res.chart = chooseChart(r.columns, r.rows, compiled.dimensions, compiled.metric);
  return finish();
}
