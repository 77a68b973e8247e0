import { describe, expect, it } from "vitest";
import { parseQuestion } from "../../../workers/analytics/semantic.ts";
import { compile, windowCondition, type AnalyticsQuery, type TimeWindow } from "../../../workers/analytics/query.ts";
import { METRICS_BY_KEY, DIMENSIONS_BY_KEY } from "../../../workers/analytics/catalogue.ts";
import { chooseChart, interpret, sanityWarnings } from "../../../workers/analytics/interpret.ts";
import { guardSql } from "../../../workers/analytics/guard.ts";
import { migratedDb } from "./sqlite.ts";

const q = (text: string, prev: AnalyticsQuery | null = null) =>
  parseQuestion(text, prev, [], new Date("2026-12-06T10:00:00Z"));

describe("semantic parser", () => {
  it("maps metric × dimension × filter × window × ranking in English and Russian", () => {
    expect(q("Top 3 categories by CSAT on telegram last month").query).toEqual({
      metric: "csat_average",
      dimensions: ["category"],
      filters: [{ dimension: "channel", values: ["telegram"] }],
      window: { kind: "last_month" },
      order: "desc",
      limit: 3,
    });
    expect(q("Средний CSAT по каналам за последние 2 недели").query).toMatchObject({
      metric: "csat_average",
      dimensions: ["channel"],
      window: { kind: "days", n: 14 },
    });
    expect(q("How many urgent conversations in October?").query).toMatchObject({
      metric: "conversations",
      filters: [{ dimension: "priority", values: ["urgent"] }],
      window: { kind: "month_of", month: "2026-10" },
    });
    expect(q("Which operator is the fastest at first response?").query).toMatchObject({
      metric: "first_response_time",
      dimensions: ["operator"],
      order: "asc",
      limit: 1,
    });
  });

  it("refines the previous question in a follow-up", () => {
    const first = q("AI resolution rate by category this month").query;
    expect(first).not.toBeNull();
    expect(q("and last month?", first).query).toMatchObject({
      metric: "ai_resolution_rate",
      dimensions: ["category"],
      window: { kind: "last_month" },
    });
    expect(q("а по каналам?", first).query).toMatchObject({ dimensions: ["channel"], window: { kind: "this_month" } });
    expect(q("only whatsapp", first).query?.filters).toEqual([{ dimension: "channel", values: ["whatsapp"] }]);
  });

  it("says what it understood instead of guessing, and refuses forbidden requests", () => {
    const u = q("How many person-hours does the AI save per month?");
    expect(u.query).toBeNull();
    expect(u.closest.length).toBeGreaterThan(0);
    const g = q("Which moon phase has the most conversations last week?");
    expect(g.query).toBeNull();
    expect(g.problem).toMatch(/moon/);
    expect(g.understood).toEqual(expect.arrayContaining(["Conversations", "last week"]));
    for (const bad of [
      "customer phone numbers please",
      "show operator passwords",
      "удали все диалоги",
      "data of other workspaces",
    ])
      expect(q(bad).forbidden, bad).toBe(true);
  });

  it("parses well under 10 ms", () => {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) q("Топ-5 категорий по числу нарушений SLA за прошлый месяц");
    expect((performance.now() - t0) / 200).toBeLessThan(10);
  });
});

describe("time windows", () => {
  it("compile to valid SQLite for every kind and shift", () => {
    const db = migratedDb();
    const kinds: TimeWindow[] = [
      { kind: "today" },
      { kind: "yesterday" },
      { kind: "hours", n: 24 },
      { kind: "days", n: 7 },
      { kind: "months", n: 6 },
      { kind: "this_week" },
      { kind: "last_week" },
      { kind: "this_month" },
      { kind: "last_month" },
      { kind: "this_year" },
      { kind: "month_of", month: "2026-10" },
    ];
    for (const w of kinds)
      for (const shift of [0, 1, 2]) {
        const sql = `SELECT COUNT(*) FROM conversations c WHERE ${windowCondition(w, shift)}`;
        expect(() => db.prepare(sql).all(), sql).not.toThrow();
      }
    // The previous period ends where the window starts.
    const r = db.prepare(
      `SELECT ${windowCondition({ kind: "last_month" }, 1).split(" AND ")[1]?.replace("c.created_at < ", "")} AS a, ${windowCondition({ kind: "last_month" }, 0).split(" AND ")[0]?.replace("c.created_at >= ", "")} AS b`,
    );
    const row = r.get();
    expect(row?.a).toBe(row?.b);
  });

  it("every compiled catalogue query passes the guard", () => {
    for (const metric of METRICS_BY_KEY.keys())
      for (const dim of [...DIMENSIONS_BY_KEY.keys(), null]) {
        const d = dim ? DIMENSIONS_BY_KEY.get(dim) : null;
        const m = METRICS_BY_KEY.get(metric);
        if (d?.sources && m && !d.sources.includes(m.source)) continue;
        const c = compile({
          metric,
          dimensions: dim ? [dim] : [],
          filters: [],
          window: { kind: "days", n: 30 },
          order: null,
          limit: null,
        });
        expect(() => guardSql(c.sql, { workspaceId: "w", role: "analyst" }), c.sql).not.toThrow();
      }
  }, 60_000);
});

describe("interpretation", () => {
  const conv = METRICS_BY_KEY.get("conversations");
  const csat = METRICS_BY_KEY.get("csat_percent");
  const channel = DIMENSIONS_BY_KEY.get("channel");
  const day = DIMENSIONS_BY_KEY.get("day");
  if (!conv || !csat || !channel || !day) throw new Error("catalogue changed");
  const base: AnalyticsQuery = {
    metric: "conversations",
    dimensions: ["channel"],
    filters: [],
    window: null,
    order: null,
    limit: null,
  };

  it("names the biggest contributor and flags an outlier", () => {
    const rows = [
      ["widget", 60],
      ["email", 30],
      ["telegram", 10],
    ];
    const a = interpret(base, conv, [channel], ["channel", "conversations"], rows, { overall: 100 }, "en");
    expect(a).toMatch(/biggest contributor is widget with 60 %/);
    const r = interpret(
      { ...base, metric: "csat_percent" },
      csat,
      [channel],
      ["channel", "csat_percent"],
      [
        ["widget", 80],
        ["email", 40],
      ],
      { overall: 70 },
      "ru",
    );
    expect(r).toMatch(/Выделяется email/);
  });

  it("compares with the previous period and flags a spike in a series", () => {
    const single = interpret(
      { ...base, dimensions: [], window: { kind: "last_month" } },
      conv,
      [],
      ["conversations"],
      [[120]],
      { previous: 100 },
      "en",
    );
    expect(single).toMatch(/up 20 % from the previous period/);
    const rows = ["01", "02", "03", "04", "05"].map((d, i) => [`2026-10-${d}`, i === 3 ? 90 : 20]);
    const s = interpret({ ...base, dimensions: ["day"] }, conv, [day], ["day", "conversations"], rows, {}, "en");
    expect(s).toMatch(/Unusual spike: 2026-10-04/);
    expect(chooseChart(["day", "conversations"], rows, [day], conv).type).toBe("line");
    expect(
      chooseChart(
        ["channel", "conversations"],
        [
          ["a", 1],
          ["b", 2],
        ],
        [channel],
        conv,
      ).type,
    ).toBe("pie");
    expect(chooseChart(["conversations"], [[5]], [], conv).type).toBe("number");
  });

  it("warns about empty windows, impossible percentages, missing denominators and NULL shares", () => {
    const w = sanityWarnings(
      csat,
      ["channel", "csat_percent"],
      [
        ["a", 120],
        ["b", null],
      ],
      { nullShare: 60 },
      "en",
      true,
    );
    expect(w.join(" ")).toMatch(/outside 0–100/);
    expect(w.join(" ")).toMatch(/no value/);
    expect(w.join(" ")).toMatch(/60 % of conversations/);
    expect(w.join(" ")).toMatch(/row cap/);
    expect(sanityWarnings(conv, ["conversations"], [], {}, "en", false)[0]).toMatch(/No rows/);
  });
});
