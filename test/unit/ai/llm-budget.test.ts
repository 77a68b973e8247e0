/** The LLM path's time budget, failure traces, prompt context and identity-free tool schemas (issue 18, LLM path). */
import { describe, expect, it } from "vitest";
import { fakeOpenAi } from "../../../evals/lib/fake-openai.ts";
import { OpenAiCompatibleProvider } from "../../../workers/ai/providers/openai-compatible.ts";
import {
  BUDGET_SPENT,
  chatWithFallback,
  DEFAULT_RETRY,
  FallbackExhaustedError,
} from "../../../workers/ai/providers/resilient.ts";
import { runLlmAgent } from "../../../workers/ai/agent/llm-agent.ts";
import { buildSystemPrompt } from "../../../workers/ai/agent/prompt.ts";
import { toolSpecs } from "../../../workers/ai/agent/run.ts";

const BASE = "https://fake.test/v1";
const unreachable: typeof fetch = () => Promise.reject(new Error("no network in tests"));

function target(delayMs: number, status?: number) {
  const fake = fakeOpenAi(BASE, () => ({ text: "hello", delayMs, ...(status ? { status } : {}) }), unreachable);
  return {
    fake,
    target: { provider: new OpenAiCompatibleProvider({ baseUrl: BASE, apiKey: "k", fetcher: fake.fetch }), model: "m" },
  };
}

describe("turn time budget", () => {
  it("gives up on a hung provider when the budget is spent, not after 25 s × 3", async () => {
    const hung = target(60_000);
    const started = Date.now();
    const err = await chatWithFallback(
      [hung.target, hung.target],
      { model: "", messages: [] },
      {
        ...DEFAULT_RETRY,
        deadline: Date.now() + 300,
      },
    ).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(Error);
    const attempts = err instanceof FallbackExhaustedError ? err.attempts : [];
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts[0]?.ok).toBe(false);
    expect(attempts[0]?.latencyMs ?? 0).toBeGreaterThanOrEqual(250);
  });

  it("reports each failed attempt with its status and latency", async () => {
    const failing = target(0, 503);
    const err = await chatWithFallback(
      [failing.target],
      { model: "", messages: [] },
      {
        ...DEFAULT_RETRY,
        retries: 1,
        baseDelayMs: 1,
        deadline: Date.now() + 5_000,
      },
    ).catch((e: unknown) => e);
    const attempts = err instanceof FallbackExhaustedError ? err.attempts : [];
    expect(attempts.map((a) => a.status)).toEqual([503, 503]);
    expect(attempts.every((a) => typeof a.latencyMs === "number")).toBe(true);
  });

  it("starts no attempt once the deadline has passed", async () => {
    const ok = target(0);
    const err = await chatWithFallback(
      [ok.target],
      { model: "", messages: [] },
      {
        ...DEFAULT_RETRY,
        deadline: Date.now() - 1,
      },
    ).catch((e: unknown) => e);
    expect(ok.fake.requests).toHaveLength(0);
    expect(err instanceof Error ? err.message : "").toContain(BUDGET_SPENT);
  });

  it("bounds the agent's first answer by the first-output budget", async () => {
    const hung = target(60_000);
    const started = Date.now();
    await expect(
      runLlmAgent({
        targets: [hung.target],
        system: "s",
        history: [],
        text: "hi",
        tools: [],
        reasoning: "low",
        onToolCall: async () => "{}",
        budget: { firstMs: 300, totalMs: 600 },
      }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("what the model sees", () => {
  it("tool schemas carry no identity or confirmation fields", () => {
    const specs = toolSpecs(
      ["get_subscription", "pause_subscription", "change_address"],
      new Date("2026-11-10T00:00:00Z"),
    );
    for (const s of specs) {
      const props = Object.keys(Object(s.parameters.properties));
      expect(props).not.toContain("customerId");
      expect(props).not.toContain("email");
      expect(props).not.toContain("actionId");
    }
    expect(Object.keys(Object(specs.find((s) => s.name === "pause_subscription")?.parameters.properties))).toContain(
      "until",
    );
  });

  it("the prompt names the shop, today's date in the workspace time zone, the channel format, the plan state and the allowed tools", () => {
    const prompt = buildSystemPrompt({
      categoryName: "Cancel subscription",
      instructions: "Be warm.",
      retentionOffer: null,
      fewShot: [],
      passages: [],
      language: "en",
      customer: { verified: true, name: "John" },
      secondaryIntents: [],
      shopName: "Lev Haolam",
      now: new Date("2026-11-10T23:30:00Z"),
      timeZone: "Asia/Jerusalem",
      channel: "email",
      plan: { plan: "Classic Box", status: "cancelled", nextBoxDate: null, pausedUntil: null },
      tools: ["cancellation_link"],
    });
    expect(prompt).toContain("Lev Haolam");
    expect(prompt).toContain("2026-11-11");
    expect(prompt).toContain("Asia/Jerusalem");
    expect(prompt).toMatch(/short email/i);
    expect(prompt).toMatch(/Classic Box, cancelled/);
    expect(prompt).toMatch(/Never make a retention offer/);
    expect(prompt).toContain("Tools you may call here: cancellation_link");
  });
});
