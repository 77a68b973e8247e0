/**
 * Issue 20, memory: a fact a customer states is proposed from their conversation (the
 * room's AI turn runs the embedded extractor), is NOT given to the agent until an operator
 * approves it, never crosses customers or workspaces, and is stored once.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { memoriesForAgent } from "../../../workers/rights/memory/store.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { call, loginAnalyst, loginOperator, seedDemo } from "../helpers.ts";
import { installProviderStandIn, whatsappCustomer } from "./support.ts";

const ALLERGY = "Hi, I'm allergic to nuts so please no food items with them in my box";
let restore: () => void = () => {};
let op = "";
let alice: { contactId: string; conversationId: string };
let bob: { contactId: string; conversationId: string };
const tdb = (ws = DEMO_WORKSPACE_ID) => new TenantDb(rawDb(env.DB), ws);
type Memory = { id: string; category: string; fact: string; status: string; sourceMessageId: string | null };

beforeAll(async () => {
  restore = installProviderStandIn();
  await seedDemo();
  op = await loginOperator();
  alice = await whatsappCustomer("15550166001", "wamid.mem-alice-1", ALLERGY);
  bob = await whatsappCustomer("15550166002", "wamid.mem-bob-1", "Where is my box?");
});

afterAll(() => restore());

const list = async (contactId: string): Promise<Memory[]> => {
  const res = await call(`/api/contacts/${contactId}/memories`, { token: op });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Memory[] }).items;
};

describe("customer memories", () => {
  it("the customer's statement becomes a proposed memory with its source message", async () => {
    const items = await list(alice.contactId);
    expect(items).toEqual([expect.objectContaining({ category: "allergy", status: "proposed" })]);
    expect(items[0]?.fact).toMatch(/allergic to nuts/i);
    expect(items[0]?.sourceMessageId).toMatch(/^msg/);
    expect(await list(bob.contactId)).toEqual([]);
  });

  it("a proposed memory is unused until approved; then only for that customer and workspace", async () => {
    expect(await memoriesForAgent(tdb(), alice.contactId, Date.now())).toEqual([]);
    const [m] = await list(alice.contactId);
    const res = await call(`/api/contacts/${alice.contactId}/memories/${m?.id}`, {
      method: "PATCH",
      token: op,
      json: { status: "approved" },
    });
    expect(res.status).toBe(200);
    const agent = await memoriesForAgent(tdb(), alice.contactId, Date.now());
    expect(agent).toEqual([
      { fact: m?.fact, source: expect.stringMatching(/^what the customer wrote on \d{4}-\d\d-\d\d via WhatsApp$/) },
    ]);
    expect(agent[0]?.source).not.toContain(alice.conversationId);
    expect(await memoriesForAgent(tdb(), bob.contactId, Date.now())).toEqual([]);
    expect(await memoriesForAgent(tdb("ws_other"), alice.contactId, Date.now())).toEqual([]);
    // Another contact's route cannot reach Alice's memory.
    const cross = await call(`/api/contacts/${bob.contactId}/memories/${m?.id}`, {
      method: "PATCH",
      token: op,
      json: { status: "rejected" },
    });
    expect(cross.status).toBe(404);
  });

  it("the same statement again is not stored twice", async () => {
    await whatsappCustomer("15550166001", "wamid.mem-alice-2", ALLERGY);
    expect((await list(alice.contactId)).filter((m) => m.category === "allergy")).toHaveLength(1);
  });

  it("operators add and edit facts; analysts only read; bad input is a 400", async () => {
    const add = await call(`/api/contacts/${bob.contactId}/memories`, {
      method: "POST",
      token: op,
      json: { category: "delivery", fact: "Prefers deliveries after the 15th" },
    });
    expect(add.status).toBe(200);
    const [m] = await list(bob.contactId);
    expect(m).toMatchObject({ status: "approved", fact: "Prefers deliveries after the 15th" });
    const edit = await call(`/api/contacts/${bob.contactId}/memories/${m?.id}`, {
      method: "PATCH",
      token: op,
      json: { fact: "Prefers deliveries after the 20th" },
    });
    expect(((await edit.json()) as Memory).fact).toBe("Prefers deliveries after the 20th");
    const analyst = await loginAnalyst();
    const denied = await call(`/api/contacts/${bob.contactId}/memories`, {
      method: "POST",
      token: analyst,
      json: { category: "delivery", fact: "x y z" },
    });
    expect(denied.status).toBe(403);
    const bad = await call(`/api/contacts/${bob.contactId}/memories`, {
      method: "POST",
      token: op,
      json: { category: "secrets", fact: "" },
    });
    expect(bad.status).toBe(400);
  });

  it("an operator forgetting a fact deletes it and leaves an audit entry without the fact", async () => {
    const add = await call(`/api/contacts/${bob.contactId}/memories`, {
      method: "POST",
      token: op,
      json: { category: "contact", fact: "Please only contact me by email" },
    });
    expect(add.status).toBe(200);
    const m = (await list(bob.contactId)).find((x) => x.fact === "Please only contact me by email");
    const del = await call(`/api/contacts/${bob.contactId}/memories/${m?.id}`, { method: "DELETE", token: op });
    expect(del.status).toBe(200);
    expect((await list(bob.contactId)).some((x) => x.id === m?.id)).toBe(false);
    const a = schema.auditLog;
    const entry = await rawDb(env.DB)
      .select()
      .from(a)
      .where(and(eq(a.action, "memory.delete"), eq(a.targetId, bob.contactId)))
      .get();
    expect(entry?.detail).toEqual({ memoryId: m?.id });
    expect(JSON.stringify(entry)).not.toContain("only contact me");
    const again = await call(`/api/contacts/${bob.contactId}/memories/${m?.id}`, { method: "DELETE", token: op });
    expect(again.status).toBe(404);
  });

  it("the profile is refreshed when a conversation is resolved and keeps what operators wrote", async () => {
    const tone = await call(`/api/contacts/${alice.contactId}/profile`, {
      method: "PATCH",
      token: op,
      json: { tone: "brief, formal" },
    });
    expect(tone.status).toBe(200);
    const res = await call(`/api/conversations/${alice.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "resolve" },
    });
    expect(res.status).toBe(200);
    await roomStub(env, alice.conversationId).syncMirror();
    const profile = (await (await call(`/api/contacts/${alice.contactId}/profile`, { token: op })).json()) as {
      preferredChannel: string | null;
      lastResolution: string | null;
      tone: string | null;
    };
    expect(profile.preferredChannel).toBe("whatsapp");
    expect(profile.lastResolution).not.toBeNull();
    expect(profile.tone).toBe("brief, formal");
    const other = (await (await call(`/api/contacts/${bob.contactId}/profile`, { token: op })).json()) as {
      lastResolution: string | null;
    };
    expect(other.lastResolution).toBeNull();
  });
});
