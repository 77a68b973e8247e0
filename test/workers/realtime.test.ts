import { abortAllDurableObjects, evictAllDurableObjects } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, loginAdmin, loginOperator, seedDemo } from "./helpers.ts";
import { clientId, isType, openSocket, widgetSession } from "./ws.ts";

beforeAll(seedDemo);

type Msg = { seq: number; content: string; type: string; clientId: string | null };
const messagesOf = (f: Record<string, unknown>) => f.messages as Msg[];

async function takeConversation(conversationId: string, token: string) {
  const res = await call(`/api/conversations/${conversationId}/commands`, {
    method: "POST",
    token,
    json: { command: "assign", operatorId: "op_operator" },
  });
  expect(res.status).toBe(200);
}

describe("ConversationRoom over real websockets", () => {
  it("refuses forged, expired and foreign tokens before the socket opens", async () => {
    const s = await widgetSession();
    for (const token of ["", "not-a-token", s.visitorToken.slice(0, -3) + "abc"]) {
      const res = await fetchUpgrade(`${s.socketPath}?token=${encodeURIComponent(token)}`);
      expect(res.status, token).toBe(401);
      expect(res.webSocket).toBeNull();
    }
    const other = await widgetSession();
    const res = await fetchUpgrade(`${s.socketPath}?token=${other.visitorToken}`);
    expect(res.status).toBe(403);
  });

  it("refuses an expired visitor token before the socket opens", async () => {
    const s = await widgetSession();
    const { signVisitorToken } = await import("../../workers/lib/tokens.ts");
    const { getConfig } = await import("../../workers/lib/config.ts");
    const { env } = await import("cloudflare:workers");
    const expired = await signVisitorToken(
      getConfig(env).jwtSecret,
      { contactId: "x", workspaceId: "ws_demo", conversationId: s.conversationId, visitorId: s.visitorId },
      -5,
    );
    const res = await fetchUpgrade(`${s.socketPath}?token=${expired}`);
    expect(res.status).toBe(401);
    expect(res.webSocket).toBeNull();
  });

  it("a customer and two operators see every message in the same order", async () => {
    const s = await widgetSession();
    const admin = await loginAdmin();
    const op = await loginOperator();
    await takeConversation(s.conversationId, op); // a human owns it: the bot stays out of this test
    const customer = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    const op1 = await openSocket(`${s.socketPath}?token=${op}`);
    const op2 = await openSocket(`${s.socketPath}?token=${admin}`);
    for (const sock of [customer, op1, op2]) await sock.next(isType("sync"));
    const texts = ["first", "second", "third", "fourth"];
    customer.send({ type: "send", clientId: clientId(), text: texts[0] });
    op1.send({ type: "send", clientId: clientId(), text: texts[1] });
    customer.send({ type: "send", clientId: clientId(), text: texts[2] });
    op2.send({ type: "send", clientId: clientId(), text: texts[3] });
    const seen = async (sock: Awaited<ReturnType<typeof openSocket>>) => {
      const got: Msg[] = [];
      while (got.filter((m) => texts.includes(m.content)).length < 4)
        got.push((await sock.next((f) => f.type === "message")).message as Msg);
      return got.filter((m) => texts.includes(m.content)).map((m) => `${m.seq}:${m.content}`);
    };
    const [a, b, c] = await Promise.all([seen(customer), seen(op1), seen(op2)]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(new Set(a.map((x) => x.split(":")[1]))).toEqual(new Set(texts));
    const seqs = a.map((x) => Number(x.split(":")[0]));
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    for (const s2 of [customer, op1, op2]) s2.close();
  });

  it("a reconnect with the last sequence receives exactly the missed messages", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await takeConversation(s.conversationId, op);
    const c1 = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c1.next(isType("sync"));
    c1.send({ type: "send", clientId: clientId(), text: "before drop" });
    const ack = await c1.next(isType("ack"));
    const lastSeq = Number(ack.seq);
    c1.close();
    const o = await openSocket(`${s.socketPath}?token=${op}`);
    await o.next(isType("sync"));
    for (const t of ["missed 1", "missed 2", "missed 3"]) {
      o.send({ type: "send", clientId: clientId(), text: t });
      await o.next(isType("ack"));
    }
    const c2 = await openSocket(`${s.socketPath}?token=${s.visitorToken}&lastSeq=${lastSeq}`);
    const sync = await c2.next(isType("sync"));
    const got = messagesOf(sync)
      .filter((m) => m.type !== "activity")
      .map((m) => m.content);
    expect(got).toEqual(["missed 1", "missed 2", "missed 3"]);
    expect(messagesOf(sync).every((m) => m.seq > lastSeq)).toBe(true);
    c2.close();
    o.close();
  });

  it("a repeated client id is stored once", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await takeConversation(s.conversationId, op);
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    const id = clientId();
    c.send({ type: "send", clientId: id, text: "once" });
    const first = await c.next(isType("ack"));
    c.send({ type: "send", clientId: id, text: "once" });
    const second = await c.next(isType("ack"));
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    const res = await call(`/api/conversations/${s.conversationId}/messages`, { token: op });
    const body: { items: Msg[] } = await res.json();
    expect(body.items.filter((m) => m.content === "once")).toHaveLength(1);
    c.close();
  });

  it("loses nothing when the object is evicted or aborted mid-conversation", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await takeConversation(s.conversationId, op);
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({ type: "send", clientId: clientId(), text: "survives eviction" });
    await c.next(isType("ack"));
    await evictAllDurableObjects();
    const c2 = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    const sync1 = await c2.next(isType("sync"));
    expect(messagesOf(sync1).map((m) => m.content)).toContain("survives eviction");
    c2.send({ type: "send", clientId: clientId(), text: "survives abort" });
    await c2.next(isType("ack"));
    await abortAllDurableObjects();
    const c3 = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    const sync2 = await c3.next(isType("sync"));
    expect(messagesOf(sync2).map((m) => m.content)).toEqual(
      expect.arrayContaining(["survives eviction", "survives abort"]),
    );
    c3.close();
    // Eviction waits for the room's debounced D1 mirror window, hence the longer timeout.
  }, 30_000);

  it("never shows internal notes to the customer, who cannot write them either", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await takeConversation(s.conversationId, op);
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    const o = await openSocket(`${s.socketPath}?token=${op}`);
    await c.next(isType("sync"));
    await o.next(isType("sync"));
    o.send({ type: "note", clientId: clientId(), text: "internal: customer sounds upset @avi" });
    await o.next(isType("ack"));
    o.send({ type: "send", clientId: clientId(), text: "public reply" });
    await c.next((f) => f.type === "message" && (f.message as Msg).content === "public reply");
    expect(JSON.stringify(c.frames)).not.toContain("internal: customer");
    c.send({ type: "note", clientId: clientId(), text: "fake note" });
    const err = await c.next(isType("error"));
    expect(err.code).toBe("forbidden");
    const c2 = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    const sync = await c2.next(isType("sync"));
    expect(messagesOf(sync).some((m) => m.type === "note")).toBe(false);
    const o2 = await openSocket(`${s.socketPath}?token=${op}`);
    const staffSync = await o2.next(isType("sync"));
    expect(messagesOf(staffSync).some((m) => m.type === "note")).toBe(true);
    for (const x of [c, o, c2, o2]) x.close();
  });

  it("rejects malformed frames with an error frame and keeps the socket", async () => {
    const s = await widgetSession();
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.ws.send("{not json");
    expect((await c.next(isType("error"))).code).toBe("invalid_json");
    c.send({ type: "send", clientId: "x", text: "bad id" });
    expect((await c.next(isType("error"))).code).toBe("invalid_frame");
    c.send({ type: "ping" });
    await c.next(isType("pong"));
    c.close();
  });

  it("keeps the bot silent while a human owns the conversation", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await takeConversation(s.conversationId, op);
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({ type: "send", clientId: clientId(), text: "Where is my package? My email is john.smith@example.com" });
    await c.next(isType("ack"));
    await new Promise((r) => setTimeout(r, 300));
    const res = await call(`/api/conversations/${s.conversationId}/messages`, { token: op });
    const body: { items: Array<Msg & { senderType: string }> } = await res.json();
    expect(body.items.filter((m) => m.senderType === "bot")).toHaveLength(0);
    c.close();
  });
});

function fetchUpgrade(path: string) {
  return import("cloudflare:test").then(({ SELF }) =>
    SELF.fetch(`http://localhost${path}`, { headers: { Upgrade: "websocket" } }),
  );
}
