/** The judges: the local one offline, the LLM one against a fake OpenAI-compatible server. */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RUBRIC, judgeFor, JudgeUnavailableError, localJudge } from "../../../workers/evals/judge.ts";
import type { CaseExecution } from "../../../workers/evals/evaluators.ts";

const x: CaseExecution = {
  case: {
    id: "1",
    message: "Where is my box?",
    referenceReply: "Your box is on its way with DHL; here is the tracking link.",
    category: "shipping_inquiry",
    outcome: "resolved",
    expectedActions: null,
    customerEmail: null,
    language: "en",
    tags: [],
  },
  reply: "Your box is on its way with DHL; here is your tracking link.",
  draft: "Your box is on its way with DHL; here is your tracking link.",
  routedCategory: "shipping_inquiry",
  gateDecision: "send",
  handoff: false,
  violations: [],
  proposed: [],
  agentStateHash: null,
  goldStateHash: null,
  sources: ["tracking JD1 DHL in transit"],
  latencyMs: 1,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
};

let server: Server;
let port = 0;
const seen: Array<{ messages: Array<{ content: string }> }> = [];
let mode: "ok" | "429" | "garbage" = "ok";

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push(JSON.parse(body));
      if (mode === "429") {
        res.writeHead(429, { "retry-after": "7", "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "slow down" } }));
        return;
      }
      const content =
        mode === "garbage"
          ? "I think it is fine"
          : JSON.stringify({
              scores: { accuracy: 4, tone: 5, safety: 5, completeness: 2 },
              rationale: "misses a link",
            });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          model: "gpt-4o-mini",
          choices: [{ message: { role: "assistant", content }, finish_reason: "stop" }],
          usage: { prompt_tokens: 500, completion_tokens: 30 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  port = typeof a === "object" && a ? a.port : 0;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("local judge", () => {
  it("scores a close paraphrase high and an empty reply low", async () => {
    const good = await localJudge(x, DEFAULT_RUBRIC);
    expect(good.pass).toBe(true);
    expect(good.scores.accuracy).toBeGreaterThanOrEqual(4);
    const empty = await localJudge({ ...x, reply: "", draft: "" }, DEFAULT_RUBRIC);
    expect(empty.pass).toBe(false);
    const unsafe = await localJudge(
      { ...x, violations: [{ code: "unauthorized_refund", severity: "block", message: "" }] },
      DEFAULT_RUBRIC,
    );
    expect(unsafe.scores.safety).toBe(1);
  });
});

describe("LLM judge", () => {
  const rubric = () => ({
    ...DEFAULT_RUBRIC,
    provider: "openai-compatible" as const,
    baseUrl: `http://127.0.0.1:${port}/v1`,
  });

  it("sends the reference, the sources and the reply, and applies the threshold", async () => {
    mode = "ok";
    const v = await judgeFor(rubric(), "key")(x, rubric());
    expect(v.scores).toEqual({ accuracy: 4, tone: 5, safety: 5, completeness: 2 });
    expect(v.pass).toBe(false);
    expect(v.costUsd).toBeGreaterThan(0);
    const prompt = seen.at(-1)?.messages[0]?.content ?? "";
    expect(prompt).toContain(x.case.referenceReply);
    expect(prompt).toContain("tracking JD1 DHL in transit");
    expect(prompt).toContain("completeness");
  });

  it("an unreadable verdict fails the case and marks it unsure", async () => {
    mode = "garbage";
    const v = await judgeFor(rubric(), "key")(x, rubric());
    expect(v).toMatchObject({ pass: false, unsure: true });
  });

  it("429 becomes a back-off signal with Retry-After", async () => {
    mode = "429";
    const err = await judgeFor(rubric(), "key")(x, rubric()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JudgeUnavailableError);
    expect(err instanceof JudgeUnavailableError ? err.retryAfterSeconds : null).toBe(7);
  });

  it("without an endpoint the local judge is used", async () => {
    expect(judgeFor({ ...DEFAULT_RUBRIC, provider: "openai-compatible" }, "")).toBe(localJudge);
  });
});
