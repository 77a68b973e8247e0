import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, TenantDb } from "../../../workers/db/client.ts";
import { seedHistory } from "../../../workers/db/seed/seed-history.ts";
import { ask, type AgentDeps } from "../../../workers/analytics/agent.ts";
import { AnalyticsStore } from "../../../workers/analytics/store.ts";
import { d1Exec, runGuarded } from "../../../workers/analytics/executor.ts";
import { compile } from "../../../workers/analytics/query.ts";
import { parseQuestion } from "../../../workers/analytics/semantic.ts";
import { AskResponseSchema } from "../../../workers/protocol/analytics.ts";
import gold from "../../../evals/analytics/gold.json";
import { call, loginAdmin, loginAnalyst, loginOperator, seedDemo } from "../helpers.ts";

let analyst: string;
let admin: string;

beforeAll(async () => {
  await seedDemo();
  await seedHistory(env.DB, "ws_demo", new Date());
  analyst = await loginAnalyst();
  admin = await loginAdmin();
}, 180_000);

async function askApi(token: string, body: Record<string, unknown>) {
  const res = await call("/api/analytics/ask", { method: "POST", token, json: body });
  expect(res.status).toBe(200);
  return AskResponseSchema.parse(await res.json());
}

describe("POST /api/analytics/ask", () => {
  it("answers an analyst with SQL, rows, a chart and an interpretation, then refines a follow-up", async () => {
    const a = await askApi(analyst, { question: "Conversations by channel in the last 30 days" });
    expect(a.refused).toBe(false);
    expect(a.sql).toMatch(/GROUP BY/);
    expect(a.columns).toEqual(["channel", "conversations"]);
    expect(a.rows.length).toBe(5);
    expect(["bar", "pie"]).toContain(a.chart?.type);
    expect(a.answer).toMatch(/biggest contributor/);
    expect(a.layers).toEqual(expect.arrayContaining(["schema", "metrics", "live_schema"]));

    const b = await askApi(analyst, { question: "and by category?", threadId: a.threadId });
    expect(b.threadId).toBe(a.threadId);
    expect(b.columns).toEqual(["category", "conversations"]);
    expect(b.sql).toMatch(/-30 days/);

    const turns = await call(`/api/analytics/threads/${a.threadId}`, { token: analyst });
    const body: { items: unknown[] } = await turns.json();
    expect(body.items).toHaveLength(2);
  });

  it("answers in Russian and compares with the previous period", async () => {
    const a = await askApi(analyst, { question: "Сколько диалогов было за прошлый месяц?" });
    expect(a.refused).toBe(false);
    expect(a.answer).toMatch(/Диалоги в прошлом месяце: [\d,]+\./);
    expect(a.answer).toMatch(/предыдущем периоде/);
    const f = await askApi(analyst, { question: "а по каналам?", threadId: a.threadId });
    expect(f.columns[0]).toBe("channel");
    expect(f.answer).toMatch(/по канал/);
  });

  it("refuses what is not about the data, with what it understood and the closest metrics", async () => {
    const a = await askApi(analyst, { question: "What will the weather be in Tel Aviv tomorrow?" });
    expect(a.refused).toBe(true);
    expect(a.sql).toBeNull();
    expect(a.closest.length).toBeGreaterThan(0);
    const b = await askApi(analyst, { question: "Give me the email addresses of all customers" });
    expect(b.refused).toBe(true);
    expect(b.answer).toMatch(/personal data/);
    const c = await askApi(analyst, { question: "Delete all conversations from last month" });
    expect(c.refused).toBe(true);
    const d = await askApi(analyst, { question: "Покажи пароли операторов" });
    expect(d.refused).toBe(true);
  });

  it("lets only admins send SQL (admins see contact data; analysts get them masked in the guard tests)", async () => {
    const res = await call("/api/analytics/ask", {
      method: "POST",
      token: analyst,
      json: { question: "x", sql: "SELECT email FROM contacts" },
    });
    expect(res.status).toBe(403);
    const a = await askApi(admin, {
      question: "emails",
      sql: "SELECT email FROM contacts WHERE email IS NOT NULL LIMIT 3",
    });
    expect(a.rows.length).toBe(3);
    expect(String(a.rows[0]?.[0])).toMatch(/@/);
    expect(
      (await call("/api/analytics/ask", { method: "POST", token: await loginOperator(), json: { question: "x" } }))
        .status,
    ).toBe(403);
    expect((await call("/api/analytics/ask", { method: "POST", token: analyst, json: { question: "" } })).status).toBe(
      400,
    );
    expect((await call("/api/analytics/ask", { method: "POST", json: { question: "x" } })).status).toBe(401);
  });

  it("streams the answer as server-sent events", async () => {
    const res = await call("/api/analytics/ask/stream", {
      method: "POST",
      token: analyst,
      json: { question: "NPS by channel" },
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/event: status/);
    const line = text.split("\n").find((l, i, all) => all[i - 1] === "event: answer");
    const answer = AskResponseSchema.parse(JSON.parse((line ?? "").replace(/^data: /, "")));
    expect(answer.columns).toEqual(["channel", "nps"]);
  });

  it("is in the OpenAPI document", async () => {
    const doc: { paths: Record<string, unknown> } = await (await call("/api/openapi.json")).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/analytics/ask", "/api/analytics/ask/stream"]));
  });
});

describe("embedded engine over D1: gold set per tier", () => {
  it("reaches ≥ 85 % execution accuracy in every tier", async () => {
    const exec = d1Exec(env.DB);
    const ctx = { workspaceId: "ws_demo", role: "analyst" as const };
    const key = (rows: unknown[][]) =>
      JSON.stringify(
        rows
          .map((r) =>
            r
              .map((v) => (typeof v === "number" ? (Math.round(v * 100) / 100).toFixed(2) : String(v)))
              .sort()
              .join("|"),
          )
          .sort(),
      );
    const tiers: Record<string, { n: number; ok: number }> = {};
    for (const g of gold.questions) {
      const t = (tiers[g.tier] ??= { n: 0, ok: 0 });
      t.n++;
      const u = parseQuestion(g.question, null);
      if (!u.query) continue;
      const [p, e] = await Promise.all([runGuarded(exec, compile(u.query).sql, ctx), runGuarded(exec, g.sql, ctx)]);
      if (key(p.rows) === key(e.rows)) t.ok++;
    }
    console.log("gold accuracy per tier (D1):", JSON.stringify(tiers));
    for (const t of Object.values(tiers)) expect(t.ok / t.n).toBeGreaterThanOrEqual(0.85);
    expect(Object.keys(tiers).sort()).toEqual(["challenging", "moderate", "simple"]);
  }, 120_000);
});

describe("feedback feeds layers 3 and 5, applied only after approval", () => {
  it("a 👎 correction teaches a phrase only once an analyst approves it", async () => {
    const q = "How many wobbles did we have last month?";
    const before = await askApi(analyst, { question: q });
    expect(before.refused).toBe(true);
    const fb = await call(`/api/analytics/turns/${before.turnId}/feedback`, {
      method: "POST",
      token: analyst,
      json: { rating: "down", correction: "wobbles are abandoned chats", phrase: "wobbles", metric: "abandoned_chats" },
    });
    expect(fb.status).toBe(200);
    const proposed: { proposed: { id: string; status: string; layer: number } } = await fb.json();
    expect(proposed.proposed).toMatchObject({ status: "proposed", layer: 5 });

    const still = await askApi(analyst, { question: q });
    expect(still.refused).toBe(true);

    const review = await call(`/api/analytics/layers/${proposed.proposed.id}/review`, {
      method: "POST",
      token: analyst,
      json: { status: "approved" },
    });
    expect(review.status).toBe(200);
    const after = await askApi(analyst, { question: q });
    expect(after.refused).toBe(false);
    expect(after.columns).toEqual(["abandoned_chats"]);
    expect(after.layers).toContain("learnings");
  });

  it("a 👍 proposes a validated pattern that answers the same question once approved", async () => {
    const q = "Average CSAT per operator";
    const a = await askApi(analyst, { question: q });
    const fb = await call(`/api/analytics/turns/${a.turnId}/feedback`, {
      method: "POST",
      token: analyst,
      json: { rating: "up" },
    });
    const { proposed }: { proposed: { id: string } } = await fb.json();
    expect((await askApi(analyst, { question: q })).engine).toBe("embedded");
    await call(`/api/analytics/layers/${proposed.id}/review`, {
      method: "POST",
      token: admin,
      json: { status: "approved" },
    });
    const b = await askApi(analyst, { question: q });
    expect(b.engine).toBe("pattern");
    expect(b.layers).toContain("patterns");
    expect(b.rows.length).toBe(a.rows.length);
  });

  it("rejects a pattern whose SQL the guard refuses", async () => {
    const res = await call("/api/analytics/layers", {
      method: "POST",
      token: admin,
      json: { layer: 3, content: { question: "secrets", sql: "SELECT password_hash FROM operators" } },
    });
    expect(res.status).toBe(400);
  });
});

describe("pins", () => {
  it("pins a question to the analyst's dashboard and refreshes it", async () => {
    const res = await call("/api/analytics/pins", {
      method: "POST",
      token: analyst,
      json: { title: "Weekly volume", question: "Conversations per week over the last 8 weeks" },
    });
    expect(res.status).toBe(201);
    const pin: { id: string } = await res.json();
    const run = await call(`/api/analytics/pins/${pin.id}/run`, { method: "POST", token: analyst });
    const a = AskResponseSchema.parse(await run.json());
    expect(a.chart?.type).toBe("line");
    const list: { items: unknown[] } = await (await call("/api/analytics/pins", { token: analyst })).json();
    expect(list.items).toHaveLength(1);
    const other: { items: unknown[] } = await (await call("/api/analytics/pins", { token: admin })).json();
    expect(other.items).toHaveLength(0);
    expect((await call(`/api/analytics/pins/${pin.id}`, { method: "DELETE", token: analyst })).status).toBe(200);
  });
});

describe("the LLM path's repair loop against a fake OpenAI-compatible server", () => {
  function fakeServer(replies: string[]) {
    const seen: string[] = [];
    const fetcher: typeof fetch = async (_input, init) => {
      const body: { messages: Array<{ role: string; content: string }> } = JSON.parse(String(init?.body));
      seen.push(body.messages[body.messages.length - 1]?.content ?? "");
      const content = replies.shift() ?? "CANNOT_ANSWER: out of replies";
      return new Response(
        JSON.stringify({
          id: "x",
          model: "gpt-4.1",
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
          usage: { prompt_tokens: 10, completion_tokens: 5 },
        }),
        { headers: { "content-type": "application/json" } },
      );
    };
    return { fetcher, seen };
  }

  async function agent(replies: string[]) {
    const { OpenAiCompatibleProvider } = await import("../../../workers/ai/providers/openai-compatible.ts");
    const server = fakeServer(replies);
    const store = new AnalyticsStore(new TenantDb(rawDb(env.DB), "ws_demo"));
    const deps: AgentDeps = {
      exec: d1Exec(env.DB),
      store,
      llm: [
        {
          provider: new OpenAiCompatibleProvider({
            baseUrl: "http://fake-llm.test/v1",
            apiKey: "k",
            fetcher: server.fetcher,
          }),
          model: "gpt-4.1",
        },
      ],
      categories: async () => [{ key: "other", name: "Other" }],
      liveSchema: async () => ["conversations(id, status)"],
    };
    return { deps, store, server };
  }
  const caller = { workspaceId: "ws_demo", operatorId: "op_analyst", role: "analyst" as const };

  it("repairs a failing query, answers, and proposes a learning", async () => {
    const { deps, store, server } = await agent([
      "```sql\nSELECT COUNT(*) FROM conversations WHERE sentiment = 'angry'\n```",
      "```sql\nSELECT COUNT(*) AS n FROM conversations c WHERE c.csat_score <= 2\n```",
    ]);
    const r = await ask(deps, caller, { question: "How many angry customers did we have?" });
    expect(r.refused).toBe(false);
    expect(r.engine).toBe("llm");
    expect(r.rows[0]?.[0]).toBeGreaterThan(0);
    expect(server.seen[1]).toMatch(/failed: .*sentiment/);
    const proposed = (await store.entries("proposed")).filter((e) => e.layer === 5 && e.key.startsWith("repair:"));
    expect(proposed.length).toBe(1);
    expect(r.layers).toEqual(
      expect.arrayContaining(["schema", "metrics", "patterns", "documentation", "learnings", "live_schema"]),
    );
  });

  it("gives up after two retries and never runs what the guard refuses", async () => {
    const { deps, server } = await agent([
      "DELETE FROM conversations",
      "SELECT password_hash FROM operators",
      "SELECT * FROM sqlite_master",
      "SELECT 1",
    ]);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM conversations").first<{ n: number }>();
    const r = await ask(deps, caller, { question: "Which moon phase has the most tickets?" });
    expect(r.refused).toBe(true);
    expect(server.seen).toHaveLength(3);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM conversations").first<{ n: number }>())?.n).toBe(count?.n);
  });

  it("says so when the model cannot answer from the data", async () => {
    const { deps } = await agent(["CANNOT_ANSWER: there is no weather data"]);
    const r = await ask(deps, caller, { question: "Is it raining?" });
    expect(r.refused).toBe(true);
    expect(r.answer).toMatch(/weather/);
  });
});
