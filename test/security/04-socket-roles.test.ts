/**
 * Issue 21, item 4: an analyst could pick conversations from the queue over the presence
 * socket and leave the customer with nobody able to answer. Every socket command of every
 * object checks the sender's role; refused commands change nothing.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { presenceStub, roomStub } from "../../durable-objects/stubs.ts";
import { RoomSnapshot } from "../../workers/protocol/frames.ts";
import { call, loginAdmin, loginAnalyst, loginOperator, seedDemo } from "../workers/helpers.ts";
import { clientId, isType, openSocket, widgetSession, type TestSocket } from "../workers/ws.ts";

beforeAll(async () => {
  await seedDemo();
  const admin = await loginAdmin();
  // Nobody is assigned automatically: conversations wait in the queue.
  const cur: { settings: Record<string, unknown> } = await (await call("/api/settings", { token: admin })).json();
  const res = await call("/api/settings", {
    method: "PUT",
    token: admin,
    json: { ...cur.settings, routingMode: "manual" },
  });
  expect(res.status).toBe(200);
});

async function snapshot(id: string) {
  return RoomSnapshot.parse(JSON.parse(await roomStub(env, id).snapshot()));
}

async function queued(): Promise<{ conversationId: string; visitorToken: string; socketPath: string }> {
  const s = await widgetSession();
  const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
  await c.next(isType("sync"));
  c.send({ type: "send", clientId: clientId(), text: "I need a human please" });
  await c.next((f) => f.type === "state" && (f.state as { owner: string }).owner === "queue", 10_000);
  c.close();
  return s;
}

const refused = (s: TestSocket) => s.next((f) => f.type === "error" && f.code === "forbidden");

describe("presence socket", () => {
  it("refuses an analyst's pick and status change; the conversation stays in the queue", async () => {
    const s = await queued();
    const analyst = await loginAnalyst();
    const p = await openSocket(`/parties/presence/ws_demo?token=${analyst}`);
    await p.next(isType("queue"));
    p.send({ type: "pick", conversationId: s.conversationId });
    await refused(p);
    p.send({ type: "status", status: "online" });
    await refused(p);
    p.send({ type: "heartbeat" });
    p.close();
    const pres = await presenceStub(env, "ws_demo").snapshot();
    expect(pres.queue.some((q) => q.conversationId === s.conversationId)).toBe(true);
    expect((await snapshot(s.conversationId)).state?.owner).toBe("queue");
  });

  it("lets an operator pick", async () => {
    const s = await queued();
    const p = await openSocket(`/parties/presence/ws_demo?token=${await loginOperator()}`);
    await p.next(isType("queue"));
    p.send({ type: "pick", conversationId: s.conversationId });
    await p.next((f) => f.type === "assigned" && f.conversationId === s.conversationId);
    expect((await snapshot(s.conversationId)).state?.owner).toBe("human");
    p.close();
  });
});

describe("room socket", () => {
  it("refuses every write of an analyst and stores nothing", async () => {
    const s = await widgetSession();
    const a = await openSocket(`${s.socketPath}?token=${await loginAnalyst()}`);
    await a.next(isType("sync"));
    const before = await snapshot(s.conversationId);
    const frames = [
      { type: "send", clientId: clientId(), text: "hi" },
      { type: "note", clientId: clientId(), text: "note" },
      { type: "typing", on: true },
      { type: "read", seq: 0 },
      { type: "action.decide", actionId: "act_x", decision: "confirm" },
      { type: "command", cmd: { command: "resolve" } },
      { type: "csat", score: 5 },
      { type: "nps", score: 9 },
      { type: "form", form: "prechat", fields: { name: "x" } },
    ];
    for (const f of frames) {
      a.send(f);
      await refused(a);
    }
    a.send({ type: "ping" });
    await a.next(isType("pong"));
    const after = await snapshot(s.conversationId);
    expect(after.messages).toEqual(before.messages);
    expect(after.state).toEqual(before.state);
    a.close();
  });

  it("refuses staff-only frames from the customer and customer-only frames from an operator", async () => {
    const s = await widgetSession();
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    for (const f of [
      { type: "note", clientId: clientId(), text: "note" },
      { type: "command", cmd: { command: "resolve" } },
    ]) {
      c.send(f);
      await refused(c);
    }
    const o = await openSocket(`${s.socketPath}?token=${await loginOperator()}`);
    await o.next(isType("sync"));
    for (const f of [
      { type: "csat", score: 1 },
      { type: "nps", score: 0 },
      { type: "form", form: "prechat", fields: { email: "someone@example.com" } },
    ]) {
      o.send(f);
      await refused(o);
    }
    expect((await snapshot(s.conversationId)).messages).toEqual([]);
    c.close();
    o.close();
  });
});
