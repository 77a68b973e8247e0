/**
 * Issue 21, item 9: anyone could flood widget sessions. 1,000 anonymous sessions created
 * 1,000 contacts and 1,000 empty open conversations in operators' inboxes, and nothing
 * capped sessions, sockets or messages (a paid model answers every message). Now a
 * session writes nothing (the room creates the rows at the visitor's first message),
 * sessions are limited per client address and widget key, and the room caps each
 * visitor's messages per minute and open sockets.
 */
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_WIDGET_KEY } from "../../workers/db/seed/demo.ts";
import { customerText } from "../../workers/copy/customer.ts";
import { RoomSnapshot } from "../../workers/protocol/frames.ts";
import { CLOSE_TOO_MANY_SOCKETS } from "../../workers/protocol/widget.ts";
import {
  SOCKETS_PER_VISITOR,
  VISITOR_MESSAGES_PER_MINUTE,
  WIDGET_SESSIONS_PER_MINUTE,
} from "../../durable-objects/lib/visitor-limits.ts";
import { roomStub } from "../../durable-objects/stubs.ts";
import { BASE, call, seedDemo } from "../workers/helpers.ts";
import { openSocket, type TestSocket } from "../workers/ws.ts";

beforeAll(seedDemo);

interface Session {
  visitorId: string;
  visitorToken: string;
  conversationId: string;
  socketPath: string;
}

async function count(table: "contacts" | "conversations" | "contact_identities" | "messages"): Promise<number> {
  return (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;
}

async function rows() {
  return {
    contacts: await count("contacts"),
    identities: await count("contact_identities"),
    conversations: await count("conversations"),
    messages: await count("messages"),
  };
}

function session(ip: string, extra: Record<string, unknown> = {}): Promise<Response> {
  return call("/api/widget/session", {
    method: "POST",
    json: { widgetKey: DEMO_WIDGET_KEY, language: "en", ...extra },
    headers: { "cf-connecting-ip": ip },
  });
}

async function okSession(ip: string, extra: Record<string, unknown> = {}): Promise<Session> {
  const res = await session(ip, extra);
  if (res.status !== 200) throw new Error(`session ${res.status}: ${await res.text()}`);
  return res.json();
}

const visitorSocket = (s: Session) => openSocket(`${s.socketPath}?token=${encodeURIComponent(s.visitorToken)}`);

let cid = 0;
const nextClientId = () => `flood_${String(++cid).padStart(8, "0")}`;

async function snapshot(conversationId: string): Promise<RoomSnapshot> {
  return RoomSnapshot.parse(JSON.parse(await roomStub(env, conversationId).snapshot()));
}

describe("item 9: widget session flood", () => {
  it("1,000 anonymous sessions from one address: a minute's quota answers, the rest are refused, nothing is stored", async () => {
    const before = await rows();
    const statuses: number[] = [];
    let refusal: unknown = null;
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => session("203.0.113.9")));
      for (const res of batch) {
        statuses.push(res.status);
        if (res.status === 429 && refusal === null) refusal = await res.json();
        else await res.body?.cancel();
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(WIDGET_SESSIONS_PER_MINUTE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1000 - WIDGET_SESSIONS_PER_MINUTE);
    expect(refusal).toEqual({
      error: {
        code: "rate_limited",
        message: customerText("en", "tooManySessions"),
        details: { retryAfterSeconds: 60 },
      },
    });
    expect(await rows()).toEqual(before);
    // Another address still gets its own quota.
    expect((await session("203.0.113.10")).status).toBe(200);
  }, 120_000);

  it("tells a limited visitor why, in their language", async () => {
    for (let i = 0; i < WIDGET_SESSIONS_PER_MINUTE; i++) await okSession("203.0.113.20");
    const res = await session("203.0.113.20", { language: "ru" });
    expect(res.status).toBe(429);
    const body: { error: { message: string } } = await res.json();
    expect(body.error.message).toBe(customerText("ru", "tooManySessions"));
    expect(body.error.message).not.toBe(customerText("en", "tooManySessions"));
  }, 60_000);

  it("sessions from many addresses, each with an open socket, store no contact and no conversation", async () => {
    const before = await rows();
    const sessions = await Promise.all(Array.from({ length: 40 }, (_, i) => okSession(`198.51.100.${i + 1}`)));
    expect(new Set(sessions.map((s) => s.conversationId)).size).toBe(40);
    const sockets: TestSocket[] = [];
    for (const s of sessions.slice(0, 10)) {
      const ws = await visitorSocket(s);
      const welcome = await ws.next((f) => f.type === "welcome");
      expect(welcome).toMatchObject({ conversationId: s.conversationId, role: "contact", lastSeq: 0 });
      sockets.push(ws);
    }
    for (const ws of sockets) ws.send({ type: "typing", on: true });
    expect(await rows()).toEqual(before);
    const inbox = await env.DB.prepare(
      `SELECT count(*) AS n FROM conversations WHERE id IN (${sessions.map(() => "?").join(",")})`,
    )
      .bind(...sessions.map((s) => s.conversationId))
      .first<{ n: number }>();
    expect(inbox?.n).toBe(0);
    for (const ws of sockets) ws.close();
  }, 60_000);

  it("a pending conversation's socket is only for the visitor whose token reserved it", async () => {
    const a = await okSession("198.51.100.201");
    const b = await okSession("198.51.100.202");
    const res = await SELF.fetch(`${BASE}${a.socketPath}?token=${encodeURIComponent(b.visitorToken)}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(res.status).toBe(403);
    expect(res.webSocket).toBeNull();
  });

  it("the first message creates one contact and one conversation with the reserved ids; resume keeps them", async () => {
    const s = await okSession("198.51.100.210");
    // Reloading before writing anything resumes the same reserved conversation.
    const again = await okSession("198.51.100.210", { visitorToken: s.visitorToken });
    expect(again.conversationId).toBe(s.conversationId);
    expect(again.visitorId).toBe(s.visitorId);
    const before = await rows();
    const ws = await visitorSocket(again);
    await ws.next((f) => f.type === "welcome");
    const clientId = nextClientId();
    ws.send({ type: "send", clientId, text: "Hello, where is my box?" });
    expect(await ws.next((f) => f.type === "ack" && f.clientId === clientId)).toMatchObject({ seq: 1 });
    const conv = await env.DB.prepare("SELECT * FROM conversations WHERE id = ?")
      .bind(s.conversationId)
      .first<{ contact_id: string; status: string; channel: string; thread_key: string }>();
    expect(conv).toMatchObject({ status: "open", channel: "widget", thread_key: s.visitorId });
    const after = await rows();
    expect(after.contacts).toBe(before.contacts + 1);
    expect(after.identities).toBe(before.identities + 1);
    expect(after.conversations).toBe(before.conversations + 1);
    // A later session of the same visitor resumes it, a second message creates nothing.
    const resumed = await okSession("198.51.100.210", { visitorToken: s.visitorToken });
    expect(resumed.conversationId).toBe(s.conversationId);
    const second = nextClientId();
    ws.send({ type: "send", clientId: second, text: "Order 1234" });
    await ws.next((f) => f.type === "ack" && f.clientId === second);
    const later = await rows();
    expect([later.contacts, later.identities, later.conversations]).toEqual([
      after.contacts,
      after.identities,
      after.conversations,
    ]);
    ws.close();
  }, 60_000);

  it("caps a visitor's messages per minute with a clear message; resends of stored ones are still acked", async () => {
    const s = await okSession("198.51.100.220");
    const ws = await visitorSocket(s);
    await ws.next((f) => f.type === "welcome");
    const ids = Array.from({ length: VISITOR_MESSAGES_PER_MINUTE + 10 }, nextClientId);
    for (const id of ids) ws.send({ type: "send", clientId: id, text: `flood ${id}`, language: "es" });
    const answers = await Promise.all(
      ids.map((id) => ws.next((f) => (f.type === "ack" || f.type === "error") && f.clientId === id, 60_000)),
    );
    const acked = answers.filter((f) => f.type === "ack");
    const refused = answers.filter((f) => f.type === "error");
    expect(acked).toHaveLength(VISITOR_MESSAGES_PER_MINUTE);
    expect(refused).toHaveLength(10);
    for (const f of refused)
      expect(f).toMatchObject({ code: "rate_limited", message: customerText("es", "tooManyMessages") });
    const log = await snapshot(s.conversationId);
    expect(log.messages.filter((m) => m.type === "incoming")).toHaveLength(VISITOR_MESSAGES_PER_MINUTE);
    // The outbox resends what it did not see acked: a stored message is a duplicate, not a new one.
    const first = ids[0] ?? "";
    ws.send({ type: "send", clientId: first, text: `flood ${first}` });
    expect(await ws.next((f) => f.type === "ack" && f.clientId === first)).toMatchObject({ duplicate: true });
    ws.close();
  }, 120_000);

  it(`keeps at most ${SOCKETS_PER_VISITOR} sockets per visitor token: a newer one closes the oldest`, async () => {
    const s = await okSession("198.51.100.230");
    const closed: number[] = [];
    const sockets: TestSocket[] = [];
    for (let i = 0; i < SOCKETS_PER_VISITOR + 3; i++) {
      const ws = await visitorSocket(s);
      const index = i;
      ws.ws.addEventListener("close", (e) => {
        if (e.code === CLOSE_TOO_MANY_SOCKETS) closed.push(index);
      });
      await ws.next((f) => f.type === "welcome");
      sockets.push(ws);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(closed.sort((a, b) => a - b)).toEqual([0, 1, 2]);
    // The newest socket works.
    const last = sockets.at(-1);
    const id = nextClientId();
    last?.send({ type: "send", clientId: id, text: "still here" });
    expect(await last?.next((f) => f.type === "ack" && f.clientId === id)).toMatchObject({ seq: 1 });
    for (const ws of sockets) ws.close();
  }, 60_000);
});
