/**
 * The LLM path through the real engine against a scripted OpenAI-compatible model
 * (issue 18, safety 2): in every category a held draft and an escalated draft must come
 * back as a turn result — redacted for the operator, with the model's trace — never as
 * an exception that the room turns into "the assistant is unavailable".
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fakeOpenAi, type FakeScript } from "../../../evals/lib/fake-openai.ts";
import { runTurnWith } from "../../../workers/ai/engine.ts";
import { tenantDb } from "../../../workers/ai/agent/context.ts";
import type { TurnResult } from "../../../workers/ai/turn-types.ts";
import { DemoStoreConnector } from "../../../workers/commerce/demo-store.ts";
import type { CategoryKey } from "../../../workers/lib/categories.ts";
import { seedKnowledge } from "../../../workers/knowledge/seed.ts";
import { seedDemo } from "../helpers.ts";

const BASE = "https://fake-llm.test/v1";
const WS = "ws_demo";

/** One message per category that the local router sends there. */
const MESSAGES: Record<CategoryKey, string> = {
  general_question: "What is in the box this month?",
  shipping_inquiry: "Where is my box? It has not arrived yet.",
  change_address: "Please change my delivery address to 12 Elm Street, Boston, MA 02110, US",
  change_frequency: "Can you change my deliveries to quarterly?",
  skip_month: "Please skip my next box",
  damaged_item: "My box arrived damaged, the olive oil bottle was broken",
  payment_issue: "My payment failed, how do I update my card?",
  pause_subscription: "I want to pause my subscription for two months",
  cancel_subscription: "I want to cancel my subscription",
  other: "Can you recommend a good plumber in Haifa?",
};

beforeAll(async () => {
  await seedDemo();
  await seedKnowledge(env, WS);
});
afterEach(() => vi.restoreAllMocks());

async function llmTurn(category: CategoryKey, draft: (conversationId: string) => string): Promise<TurnResult> {
  const conversationId = `conv-llm-${category}-${Math.random().toString(36).slice(2, 8)}`;
  const script: FakeScript = (req) =>
    req.json
      ? { text: JSON.stringify({ primary: category, secondary: [], confidence: 0.9 }) }
      : { text: draft(conversationId) };
  const fake = fakeOpenAi(BASE, script, globalThis.fetch.bind(globalThis));
  vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
  const llmEnv = Object.assign({}, env, {
    AI_PROVIDER: "openai-compatible",
    OPENAI_BASE_URL: BASE,
    OPENAI_API_KEY: "sk-test-fake",
  });
  const connector = new DemoStoreConnector(tenantDb(env, WS), env.PUBLIC_URL);
  const john = await connector.findCustomerByEmail("john.smith@example.com");
  expect(john).not.toBeNull();
  const res = await runTurnWith(
    llmEnv,
    {
      workspaceId: WS,
      conversationId,
      channel: "widget",
      text: MESSAGES[category],
      language: "en",
      history: [],
      memory: { verified: true, email: "john.smith@example.com", customerRef: john?.customerRef ?? null },
      attachmentKeys: [],
      contactName: null,
    },
    () => undefined,
    { connector },
  );
  expect(res.route?.primary).toBe(category);
  expect(fake.requests.some((r) => !r.json)).toBe(true);
  expect(res.traces.some((t) => t.step === "generate" && t.provider === "openai-compatible")).toBe(true);
  return res;
}

const CATEGORIES = Object.keys(MESSAGES) as CategoryKey[];

describe("LLM turns that the gate holds or escalates, in every category", () => {
  it.each(CATEGORIES)("%s: a held draft comes back redacted for the operator", async (category) => {
    const res = await llmTurn(category, (conv) => `Thanks for your message. Internal case ${conv} noted.`);
    expect(res.gate.decision).not.toBe("send");
    const text = res.replies.map((r) => r.text).join("\n");
    expect(text).toContain("[redacted]");
    expect(text).not.toContain("conv-llm-");
  });

  it.each(CATEGORIES)("%s: a refund promise escalates instead of crashing", async (category) => {
    const res = await llmTurn(category, () => "We will refund you in full within 3 days via the self-service page.");
    expect(res.gate.decision).toBe("escalate");
    expect(res.gate.reasons.some((r) => r.includes("refund"))).toBe(true);
  });
});
