/**
 * Issue 20, Memory 2: the LLM extractor in "propose" mode, through the room. With a model
 * provider configured, resolving a conversation makes the room ask the (scripted,
 * OpenAI-compatible) model for facts in the background: valid, grounded facts are stored
 * `proposed` with their source message and stay out of the agent's prompt until an operator
 * approves; malformed output or a hung provider store nothing and leave the conversation as
 * it was.
 */
import { env } from "cloudflare:workers";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fakeOpenAi, type FakeReply, type FakeRequest } from "../../../evals/lib/fake-openai.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { memoriesForAgent } from "../../../workers/rights/memory/store.ts";
import { call, loginOperator, seedDemo } from "../helpers.ts";
import { installProviderStandIn, whatsappCustomer } from "./support.ts";

const LLM_BASE = "https://fake-llm.test/v1";
const WEEKENDS = "I work night shifts, so please deliver my boxes on weekends only.";
type Memory = { id: string; category: string; fact: string; status: string; origin: string; sourceMessageId: string };

let restore: () => void = () => {};
let op = "";
/** What the scripted model answers to the extraction request of the current test. */
let extraction: (req: FakeRequest) => FakeReply = () => ({ text: '{"memories": []}' });
let requests: FakeRequest[] = [];
const tdb = () => new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);

beforeAll(async () => {
  restore = installProviderStandIn();
  await seedDemo();
  op = await loginOperator();
  const fake = fakeOpenAi(
    LLM_BASE,
    (req) => {
      if (req.system.includes("You extract durable facts")) return extraction(req);
      if (req.json) return { text: JSON.stringify({ primary: "general_question", secondary: [], confidence: 0.9 }) };
      return { text: "Thanks for your message, we will look into it." };
    },
    globalThis.fetch.bind(globalThis),
  );
  requests = fake.requests;
  vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
  // The room reads the deployment's provider from its env: the same object in this pool.
  Object.assign(env, {
    AI_PROVIDER: "openai-compatible",
    OPENAI_BASE_URL: LLM_BASE,
    OPENAI_API_KEY: "sk-test-fake",
    MEMORY_EXTRACT_TIMEOUT_MS: "1500",
  });
});

afterAll(() => {
  vi.restoreAllMocks();
  Object.assign(env, { AI_PROVIDER: "local", OPENAI_BASE_URL: "", OPENAI_API_KEY: "", MEMORY_EXTRACT_TIMEOUT_MS: "" });
  restore();
});

const list = async (contactId: string): Promise<Memory[]> => {
  const res = await call(`/api/contacts/${contactId}/memories`, { token: op });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Memory[] }).items;
};

/** Resolves the conversation and waits for the background extraction's audit entry. */
async function resolveAndExtract(conversationId: string): Promise<Record<string, unknown>> {
  const a = schema.auditLog;
  const runs = () =>
    rawDb(env.DB)
      .select()
      .from(a)
      .where(and(eq(a.action, "memory.extract"), eq(a.targetId, conversationId)))
      .orderBy(asc(a.createdAt));
  const earlier = (await runs()).length;
  const res = await call(`/api/conversations/${conversationId}/commands`, {
    method: "POST",
    token: op,
    json: { command: "resolve" },
  });
  expect(res.status).toBe(200);
  await roomStub(env, conversationId).syncMirror();
  const entry = await vi.waitFor(
    async () => {
      const row = (await runs())[earlier];
      if (!row) throw new Error("not yet");
      return row;
    },
    { timeout: 60_000, interval: 100 },
  );
  return entry.detail;
}

async function messageIdOf(channelMessageId: string): Promise<string> {
  const m = await rawDb(env.DB)
    .select()
    .from(schema.messages)
    .where(eq(schema.messages.channelMessageId, channelMessageId))
    .get();
  return m?.id ?? "";
}

describe("LLM memory extraction (propose mode)", () => {
  it("a resolved conversation yields proposed memories with their source, unused until approved", async () => {
    const dana = await whatsappCustomer("15550167001", "wamid.llm-mem-1", WEEKENDS);
    extraction = (req) => {
      // The model sees the customer's words, numbered, never internal ids.
      expect(req.user).toContain(`[1] ${WEEKENDS}`);
      expect(req.user).not.toMatch(/msg_|conv_|wamid/);
      return {
        text: JSON.stringify({
          memories: [
            { category: "delivery", fact: "deliver my boxes on weekends only", message: 1, confidence: 0.85 },
            // Not in anything the customer wrote: dropped.
            { category: "allergy", fact: "allergic to shellfish", message: 1, confidence: 0.9 },
            // Cites a message that does not exist: dropped.
            { category: "contact", fact: "call me", message: 7, confidence: 0.9 },
          ],
        }),
      };
    };
    const detail = await resolveAndExtract(dana.conversationId);
    expect(detail).toMatchObject({ outcome: "ok", proposed: 1 });
    const items = await list(dana.contactId);
    expect(items).toEqual([
      expect.objectContaining({
        category: "delivery",
        fact: "deliver my boxes on weekends only",
        status: "proposed",
        origin: "llm",
        sourceMessageId: await messageIdOf("wamid.llm-mem-1"),
      }),
    ]);
    expect(await memoriesForAgent(tdb(), dana.contactId, Date.now())).toEqual([]);

    // The next turn's prompt (the LLM agent) does not carry the proposed fact...
    const before = requests.length;
    await whatsappCustomer("15550167001", "wamid.llm-mem-2", "Hi again, what is in the box this month?");
    const prompts = requests.slice(before).filter((r) => !r.json && !r.system.includes("You extract durable facts"));
    expect(prompts.length).toBeGreaterThan(0);
    for (const p of prompts) expect(p.system).not.toContain("weekends only");

    // ...until an operator approves it.
    const approve = await call(`/api/contacts/${dana.contactId}/memories/${items[0]?.id}`, {
      method: "PATCH",
      token: op,
      json: { status: "approved" },
    });
    expect(approve.status).toBe(200);
    const mark = requests.length;
    await whatsappCustomer("15550167001", "wamid.llm-mem-3", "And when will it ship?");
    const after = requests.slice(mark).filter((r) => !r.json && !r.system.includes("You extract durable facts"));
    expect(after.some((p) => p.system.includes("deliver my boxes on weekends only"))).toBe(true);
  });

  it("the same fact again is not proposed twice", async () => {
    const dana = await whatsappCustomer("15550167001", "wamid.llm-mem-4", WEEKENDS);
    extraction = () => ({
      text: JSON.stringify({
        memories: [{ category: "delivery", fact: "Deliver my boxes on weekends only!", message: 1, confidence: 0.9 }],
      }),
    });
    const detail = await resolveAndExtract(dana.conversationId);
    expect(detail).toMatchObject({ outcome: "ok", proposed: 0 });
    expect((await list(dana.contactId)).filter((m) => m.category === "delivery")).toHaveLength(1);
  });

  it("malformed model output stores nothing", async () => {
    const eli = await whatsappCustomer("15550167002", "wamid.llm-mem-5", WEEKENDS);
    extraction = () => ({ text: 'Sure! memories: [{category: "delivery", fact: "weekends"' });
    expect(await resolveAndExtract(eli.conversationId)).toMatchObject({ outcome: "invalid", proposed: 0 });
    extraction = () => ({
      text: JSON.stringify({ memories: [{ category: "secrets", fact: "weekends only", message: 1, confidence: 2 }] }),
    });
    const again = await whatsappCustomer("15550167002", "wamid.llm-mem-6", WEEKENDS);
    expect(await resolveAndExtract(again.conversationId)).toMatchObject({ outcome: "invalid", proposed: 0 });
    expect(await list(eli.contactId)).toEqual([]);
  });

  it("a hung provider stores nothing and leaves the conversation resolved", async () => {
    const fay = await whatsappCustomer("15550167003", "wamid.llm-mem-7", WEEKENDS);
    extraction = () => ({ text: '{"memories": []}', delayMs: 600_000 });
    expect(await resolveAndExtract(fay.conversationId)).toMatchObject({ outcome: "failed", proposed: 0 });
    expect(await list(fay.contactId)).toEqual([]);
    const conv = await rawDb(env.DB)
      .select()
      .from(schema.conversations)
      .where(eq(schema.conversations.id, fay.conversationId))
      .get();
    expect(conv?.status).toBe("resolved");
  });
});
