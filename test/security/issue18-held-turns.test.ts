/**
 * Issue 18, safety 1 and 4; "no silent hand-offs" (issue 18, answers 6).
 * A held (draft) or escalated turn used to create live actions, broadcast them to the
 * customer, and execute them on the customer's confirm; hand-over reasons ("route:…;
 * violation:…", "AI draft awaiting operator approval") reached the widget as English
 * activity lines. Now only a sent turn offers an action; a held turn's proposal waits for
 * an operator; customers get a localised notice with when a human answers.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema } from "../../workers/db/client.ts";
import { DEMO_IDENTITY_SECRET } from "../../workers/db/seed/demo.ts";
import { hmacSha256, toHex } from "../../workers/lib/encoding.ts";
import { seedKnowledge } from "../../workers/knowledge/seed.ts";
import { CATEGORY_KEYS } from "../../workers/lib/categories.ts";
import { RoomSnapshot, type ServerFrame } from "../../workers/protocol/frames.ts";
import { roomStub } from "../../durable-objects/stubs.ts";
import { call, loginOperator, seedDemo } from "../workers/helpers.ts";
import { openWidget, type WidgetClient } from "../workers/ai/helpers.ts";

const JOHN = "john.smith@example.com";

beforeAll(async () => {
  await seedDemo();
  await seedKnowledge(env, "ws_demo");
  // Skips need an operator's approval; everything else runs on autopilot. No business
  // hours, so the notices do not depend on when the test runs.
  const ws = await rawDb(env.DB).select().from(schema.workspaces).where(eq(schema.workspaces.id, "ws_demo")).get();
  const settings = {
    ...(ws?.settings ?? {}),
    businessHours: null,
    aiMode: "per_category",
    autopilotCategories: CATEGORY_KEYS.filter((c) => c !== "skip_month"),
  };
  await rawDb(env.DB).update(schema.workspaces).set({ settings }).where(eq(schema.workspaces.id, "ws_demo"));
});

/** A host-vouched customer with an active subscription; each test its own (one conversation per vouched email). */
async function customer(n: number): Promise<{ widget: WidgetClient; customerId: string }> {
  const subs = await rawDb(env.DB)
    .select()
    .from(schema.storeSubscriptions)
    .where(eq(schema.storeSubscriptions.status, "active"))
    .all();
  const sub = subs.sort((a, b) => a.customerId.localeCompare(b.customerId))[n];
  const row = await rawDb(env.DB)
    .select()
    .from(schema.storeCustomers)
    .where(eq(schema.storeCustomers.id, sub?.customerId ?? ""))
    .get();
  const email = row?.email ?? JOHN;
  const widget = await openWidget({ identity: { email, hash: toHex(await hmacSha256(DEMO_IDENTITY_SECRET, email)) } });
  return { widget, customerId: row?.id ?? "cus_001" };
}

async function snapshot(conversationId: string) {
  return RoomSnapshot.parse(JSON.parse(await roomStub(env, conversationId).snapshot()));
}

/** The customer's subscription rows as stored (what a skip changes). */
async function subscription(customerId: string): Promise<string> {
  const rows = await rawDb(env.DB)
    .select()
    .from(schema.storeSubscriptions)
    .where(eq(schema.storeSubscriptions.customerId, customerId));
  return JSON.stringify(rows);
}

const customerSaw = (frames: ServerFrame[]) => ({
  actions: frames.filter((f) => f.type === "action"),
  activity: frames.flatMap((f) => (f.type === "message" && f.message.type === "activity" ? [f.message] : [])),
  text: frames
    .flatMap((f) =>
      f.type === "message" ? [f.message.content] : f.type === "sync" ? f.messages.map((m) => m.content) : [],
    )
    .join("\n"),
});

describe("a held turn", () => {
  it("offers nothing to the customer, acknowledges them, and refuses their confirm of the held proposal", async () => {
    const { widget: w, customerId } = await customer(0);
    const before = await subscription(customerId);
    w.send("Please skip my next box");
    const ack = await w.waitFor(() => w.botMessages().find((m) => /colleague will check/.test(m.content)));
    expect(ack.content).toMatch(/reply here (shortly|within about \d+ (minutes|hours))/);
    const snap = await snapshot(w.conversationId);
    const proposed = snap.actions.filter((a) => a.status === "proposed");
    expect(proposed.length).toBeGreaterThan(0);
    expect(snap.state?.owner).toBe("queue");
    // The customer never saw the proposal, and cannot confirm it.
    expect(customerSaw(w.frames).actions).toEqual([]);
    w.decide(proposed[0]?.id ?? "", "confirm");
    const refused = await w.waitFor(() => w.frames.find((f) => f.type === "error"));
    expect(refused).toMatchObject({ code: "not_found" });
    expect((await snapshot(w.conversationId)).actions.find((a) => a.id === proposed[0]?.id)?.status).toBe("proposed");
    expect(await subscription(customerId)).toBe(before);
    // No internal reasons or English activity lines reach the customer.
    const seen = customerSaw(w.frames);
    expect(seen.activity).toEqual([]);
    expect(seen.text).not.toMatch(/draft|awaiting operator|route:|violation:|Handed to a human/i);

    // While the proposal waits, the bot still answers a knowledge question.
    const n = w.botMessages().length;
    w.send("How long does shipping to Canada take?");
    const answer = await w.waitFor(() => w.botMessages()[n]);
    expect(answer.content).not.toMatch(/colleague will check/);
    expect(answer.content).not.toMatch(/passing your question to a colleague/);
    expect(customerSaw(w.frames).actions).toEqual([]);

    // The operator approves: now it is offered to the customer, who can confirm it.
    const op = await loginOperator();
    const m = w.botMessages().length;
    await call(`/api/conversations/${w.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "assign", operatorId: "op_operator" },
    });
    const approved = await roomStub(env, w.conversationId).decide(
      proposed[0]?.id ?? "",
      "confirm",
      "operator:op_operator",
    );
    expect(approved).toEqual({ ok: true });
    const offer = await w.waitFor(() =>
      w
        .botMessages()
        .slice(m)
        .find((x) => x.actionId === proposed[0]?.id),
    );
    expect(offer.buttons.map((b) => b.title)).toEqual(["Confirm", "Cancel"]);
    w.decide(proposed[0]?.id ?? "", "confirm");
    await w.waitFor(() =>
      w.frames.find((f) => f.type === "action" && f.action.id === proposed[0]?.id && f.action.status === "executed"),
    );
    expect(await subscription(customerId)).not.toBe(before);
    w.close();
  }, 60_000);
});

describe("an escalated turn", () => {
  it("hands over with a localised notice and no live action", async () => {
    const { widget: w } = await customer(1);
    w.send("Skip my next box right now or I will file a chargeback with my bank!");
    const notice = await w.waitFor(() => w.botMessages().find((m) => /colleague/.test(m.content)));
    expect(notice.content).not.toMatch(/route:|violation:|chargeback/i);
    const snap = await snapshot(w.conversationId);
    expect(snap.actions.every((a) => a.status === "proposed" || a.status === "expired")).toBe(true);
    expect(snap.actions.some((a) => a.status === "pending")).toBe(false);
    const seen = customerSaw(w.frames);
    expect(seen.actions).toEqual([]);
    expect(seen.activity).toEqual([]);
    // Operators still see why.
    expect(snap.messages.some((m) => m.type === "activity" && /Handed to a human/.test(m.content))).toBe(true);
    w.close();
  }, 60_000);

  it("tells a Hebrew customer in Hebrew", async () => {
    const { widget: w } = await customer(2);
    w.send("אני רוצה לדבר עם נציג אנושי עכשיו, אחרת אגיש ביטול עסקה בכרטיס האשראי");
    const notice = await w.waitFor(() => w.botMessages().find((m) => /נציג/.test(m.content)));
    expect(notice.content).not.toMatch(/[A-Za-z]{4,}/);
    expect(customerSaw(w.frames).activity).toEqual([]);
    w.close();
  }, 60_000);
});
