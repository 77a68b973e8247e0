/**
 * Flows and rules inside the ConversationRoom over real websockets: buttons reaching the
 * widget, the position surviving eviction, wait timers through the object's alarm (also
 * across eviction), pause on takeover and resume on "return to bot", version pinning,
 * handoff, and a rule evaluated in the room.
 */
import { evictAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConversationRoom } from "../../../durable-objects/conversation.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../helpers.ts";
import { clientId, isType, openSocket, widgetSession, type TestSocket } from "../ws.ts";

const t = (text: string) => ({ text, translations: {} });

function graph(welcome: string) {
  return {
    start: "menu",
    triggers: [{ kind: "first_message" }],
    nodes: [
      {
        id: "menu",
        type: "buttons",
        text: t(welcome),
        buttons: [
          { id: "track", title: t("Track my box") },
          { id: "person", title: t("A person please") },
        ],
      },
      { id: "wait", type: "wait", seconds: 1 },
      { id: "nudge", type: "end", text: t("Still there? Your box ships tomorrow.") },
      { id: "thanks", type: "end", text: t("Thanks for replying!") },
      { id: "human", type: "handoff", reason: "customer_request", text: t("Connecting you to a person.") },
    ],
    edges: [
      { id: "e1", from: "menu", to: "wait", on: "track" },
      { id: "e2", from: "menu", to: "human", on: "person" },
      { id: "e3", from: "wait", to: "nudge", on: "elapsed" },
      { id: "e4", from: "wait", to: "thanks", on: "reply" },
    ],
  };
}

let admin = "";
let flowId = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
  const res = await call("/api/flows", {
    method: "POST",
    token: admin,
    json: { name: "Room test", graph: graph("Welcome v1") },
  });
  flowId = ((await res.json()) as { id: string }).id;
  expect((await call(`/api/flows/${flowId}/publish`, { method: "POST", token: admin })).status).toBe(200);
  const rule = await call("/api/rules", {
    method: "POST",
    token: admin,
    json: {
      name: "Tag flow talkers",
      event: { kind: "message_received" },
      conditions: [{ field: "message_text", op: "contains", value: "box" }],
      actions: [{ type: "add_tags", tags: ["box-question"] }],
    },
  });
  expect(rule.status).toBe(201);
});

type Msg = { content: string; senderType: string; buttons: Array<{ title: string; payload: string }> };
const botSaid = (text: string) => (f: Record<string, unknown>) =>
  f.type === "message" && (f.message as Msg).senderType === "bot" && (f.message as Msg).content === text;

async function customer(): Promise<{ socket: TestSocket; conversationId: string; socketPath: string; token: string }> {
  const s = await widgetSession();
  const socket = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
  await socket.next(isType("welcome"));
  return { socket, conversationId: s.conversationId, socketPath: s.socketPath, token: s.visitorToken };
}

const say = (socket: TestSocket, text: string) => socket.send({ type: "send", clientId: clientId(), text });

async function flowState(conversationId: string) {
  return runInDurableObject(roomStub(env, conversationId), (room: ConversationRoom) => room.flows.current());
}

describe("flows in the ConversationRoom", () => {
  it("a flow message with buttons reaches the widget with its buttons field filled", async () => {
    const c = await customer();
    say(c.socket, "hello");
    const f = await c.socket.next(botSaid("Welcome v1"));
    expect((f.message as Msg).buttons).toEqual([
      { title: "Track my box", payload: "flow:track" },
      { title: "A person please", payload: "flow:person" },
    ]);
    // The widget sends a button's title as text; the flow takes it.
    say(c.socket, "A person please");
    await c.socket.next(botSaid("Connecting you to a person."));
    const state = await c.socket.next((x) => x.type === "state" && (x.state as { owner: string }).owner !== "bot");
    expect((state.state as { owner: string }).owner).not.toBe("bot");
    expect((await flowState(c.conversationId))?.status).toBe("handoff");
    c.socket.close();
  });

  it("keeps its position across eviction, and fires its wait timer from the alarm, also after eviction", async () => {
    const c = await customer();
    say(c.socket, "hi");
    await c.socket.next(botSaid("Welcome v1"));
    c.socket.close();
    await evictAllDurableObjects();

    const again = await openSocket(`${c.socketPath}?token=${c.token}`);
    await again.next(isType("welcome"));
    say(again, "Track my box");
    await again.next(isType("ack"));
    const waiting = await flowState(c.conversationId);
    expect(waiting).toMatchObject({ node: "wait", status: "waiting", wait: { kind: "timer" } });
    const until = waiting?.wait?.kind === "timer" ? waiting.wait.until : 0;
    const stub = roomStub(env, c.conversationId);
    const alarmAt = await runInDurableObject(stub, (_room: ConversationRoom, state) => state.storage.getAlarm());
    expect(alarmAt).toBeLessThanOrEqual(until + 50);

    await evictAllDurableObjects();
    await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now()) + 50));
    // The alarm is due: run it now, unless workerd's scheduler already fired it on time (on a
    // loaded machine it wins the race and runDurableObjectAlarm finds nothing left to run).
    // Either way it is the alarm that ends the wait; the flow must end without another message.
    await runDurableObjectAlarm(stub);
    for (let i = 0; i < 100 && (await flowState(c.conversationId))?.status !== "ended"; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const after = await openSocket(`${c.socketPath}?token=${c.token}`);
    const sync = await after.next(isType("sync"));
    const contents = (sync.messages as Msg[]).map((m) => m.content);
    expect(contents).toContain("Still there? Your box ships tomorrow.");
    expect((await flowState(c.conversationId))?.status).toBe("ended");
    // The rule saw the customer's message about the box.
    const st = await runInDurableObject(stub, async (room: ConversationRoom) => (await room.meta())?.tags);
    expect(st).toContain("box-question");
    after.close();
  });

  it("pauses while a human owns the conversation and resumes on return to bot", async () => {
    const c = await customer();
    say(c.socket, "hi");
    await c.socket.next(botSaid("Welcome v1"));
    const op = await loginOperator();
    const take = await call(`/api/conversations/${c.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "assign", operatorId: "op_operator" },
    });
    expect(take.status).toBe(200);
    expect((await flowState(c.conversationId))?.paused).toBe(true);
    say(c.socket, "Track my box");
    await c.socket.next(isType("ack"));
    expect(await flowState(c.conversationId)).toMatchObject({ node: "menu", paused: true });

    const back = await call(`/api/conversations/${c.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "return_to_bot" },
    });
    expect(back.status).toBe(200);
    // Resumed where it paused: the question is asked again and the answer moves it on.
    await c.socket.next(botSaid("Welcome v1"));
    expect(await flowState(c.conversationId)).toMatchObject({ node: "menu", paused: false });
    say(c.socket, "Track my box");
    await c.socket.next(isType("ack"));
    say(c.socket, "here I am");
    await c.socket.next(botSaid("Thanks for replying!"));
    c.socket.close();
  });

  it("a conversation stays on the version it began with", async () => {
    const a = await customer();
    say(a.socket, "hi");
    await a.socket.next(botSaid("Welcome v1"));

    const put = await call(`/api/flows/${flowId}`, {
      method: "PUT",
      token: admin,
      json: { graph: graph("Welcome v2") },
    });
    expect(put.status).toBe(200);
    expect((await call(`/api/flows/${flowId}/publish`, { method: "POST", token: admin })).status).toBe(200);
    // Rooms cache the active set for up to 10 s per isolate; the API drops it in this one.

    const b = await customer();
    say(b.socket, "hi");
    await b.socket.next(botSaid("Welcome v2"));
    expect((await flowState(b.conversationId))?.version).toBe(2);

    expect((await flowState(a.conversationId))?.version).toBe(1);
    say(a.socket, "A person please");
    await a.socket.next(botSaid("Connecting you to a person."));
    a.socket.close();
    b.socket.close();
  });
});
