import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { roomStub, presenceStub } from "../../durable-objects/stubs.ts";
import { RoomSnapshot } from "../../workers/protocol/frames.ts";
import type { ConversationRoom } from "../../durable-objects/conversation.ts";
import { resolveContact } from "../../workers/services/contacts.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "./helpers.ts";
import { clientId, isType, openSocket, widgetSession } from "./ws.ts";

beforeAll(seedDemo);

async function snapshot(id: string) {
  return RoomSnapshot.parse(JSON.parse(await roomStub(env, id).snapshot()));
}

async function setSettings(token: string, patch: Record<string, unknown>) {
  const cur: { settings: Record<string, unknown> } = await (await call("/api/settings", { token })).json();
  const res = await call("/api/settings", { method: "PUT", token, json: { ...cur.settings, ...patch } });
  expect(res.status).toBe(200);
}

describe("Presence and assignment", () => {
  it("hands a conversation the bot cannot answer to an online operator, and marks a dropped socket offline", async () => {
    const admin = await loginAdmin();
    await setSettings(admin, { routingMode: "round_robin" });
    const op = await loginOperator();
    const p = await openSocket(`/parties/presence/ws_demo?token=${op}`);
    await p.next(isType("presence"));
    p.send({ type: "status", status: "online" });
    await p.next(
      (f) =>
        f.type === "presence" &&
        (f.operators as Array<{ id: string; status: string }>).some(
          (o) => o.id === "op_operator" && o.status === "online",
        ),
    );
    const s = await widgetSession();
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({ type: "send", clientId: clientId(), text: "I need help with something unusual" });
    const assigned = await p.next(isType("assigned"), 8000);
    expect(assigned.conversationId).toBe(s.conversationId);
    const snap = await snapshot(s.conversationId);
    expect(snap.state?.owner).toBe("human");
    expect(snap.state?.assigneeId).toBe("op_operator");
    p.close();
    await new Promise((r) => setTimeout(r, 100));
    const pres = await presenceStub(env, "ws_demo").snapshot();
    expect(pres.operators.find((o) => o.id === "op_operator")?.status).toBe("offline");
    c.close();
  });

  it("queues in priority order when nobody can take a conversation, and lets an operator pick from the queue", async () => {
    const admin = await loginAdmin();
    await setSettings(admin, { routingMode: "manual" });
    const s1 = await widgetSession();
    const s2 = await widgetSession();
    for (const [s, prio] of [
      [s1, "normal"],
      [s2, "urgent"],
    ] as const) {
      await call(`/api/conversations/${s.conversationId}/commands`, {
        method: "POST",
        token: admin,
        json: { command: "set_priority", priority: prio },
      });
      const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
      await c.next(isType("sync"));
      c.send({ type: "send", clientId: clientId(), text: "hello, anyone?" });
      await c.next((f) => f.type === "state" && (f.state as { owner: string }).owner === "queue", 8000);
      c.close();
    }
    const pres = await presenceStub(env, "ws_demo").snapshot();
    const mine = pres.queue.filter(
      (q) => q.conversationId === s1.conversationId || q.conversationId === s2.conversationId,
    );
    expect(mine.map((q) => q.conversationId)).toEqual([s2.conversationId, s1.conversationId]);
    const op = await loginOperator();
    const p = await openSocket(`/parties/presence/ws_demo?token=${op}`);
    await p.next(isType("queue"));
    p.send({ type: "pick", conversationId: s1.conversationId });
    await p.next((f) => f.type === "assigned" && f.conversationId === s1.conversationId);
    expect((await snapshot(s1.conversationId)).state?.assigneeId).toBe("op_operator");
    const after = await presenceStub(env, "ws_demo").snapshot();
    expect(after.queue.some((q) => q.conversationId === s1.conversationId)).toBe(false);
    p.close();
  });

  it("transfers to a team with a note and to another operator", async () => {
    const admin = await loginAdmin();
    await setSettings(admin, { routingMode: "manual" });
    const s = await widgetSession();
    const op = await loginOperator();
    await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "assign", operatorId: "op_operator" },
    });
    const toOp = await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "transfer", operatorId: "op_olga", note: "Billing question" },
    });
    expect(toOp.status).toBe(200);
    expect(((await toOp.json()) as { assigneeId: string }).assigneeId).toBe("op_olga");
    const toTeam = await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: admin,
      json: { command: "transfer", teamId: "team_billing", note: "Needs refund approval" },
    });
    expect(toTeam.status).toBe(200);
    const st: { owner: string; teamId: string } = await toTeam.json();
    expect(st).toMatchObject({ owner: "queue", teamId: "team_billing" });
    const snap = await snapshot(s.conversationId);
    // The transfer note is for colleagues (an internal note); the customer's line names only the team.
    expect(snap.messages.some((m) => m.type === "note" && m.content.includes("Needs refund approval"))).toBe(true);
    expect(snap.messages.some((m) => m.type === "activity" && m.content.includes("Needs refund approval"))).toBe(false);
    expect(
      snap.messages.some(
        (m) => m.type === "activity" && m.content === "Connecting you to the Billing & retention team",
      ),
    ).toBe(true);
    const bad = await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: admin,
      json: { command: "transfer", teamId: "team_nope" },
    });
    expect(bad.status).toBe(409);
  });

  it("wakes a snoozed conversation from the alarm", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "assign", operatorId: "op_operator" },
    });
    const until = Date.now() + 400;
    const res = await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "snooze", until },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("snoozed");
    await new Promise((r) => setTimeout(r, 500));
    const stub = roomStub(env, s.conversationId);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const snap = await snapshot(s.conversationId);
    expect(snap.state?.status).toBe("open");
    const row = await rawDb(env.DB).select().from(schema.conversations).where(eqId(s.conversationId)).get();
    expect(row?.status).toBe("open");
  });

  it("arms the mirror backstop alarm on a change and drops it once D1 is level", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "assign", operatorId: "op_operator" },
    });
    const stub = roomStub(env, s.conversationId);
    const alarmAt = () => runInDurableObject(stub, (_room: ConversationRoom, state) => state.storage.getAlarm());
    await stub.syncMirror();
    const quiet = await alarmAt();
    // Level with D1: no wake-up in the next minute (only deadlines far ahead, or none).
    expect(quiet === null || quiet > Date.now() + 60_000).toBe(true);
    await stub.ingest({
      channelMessageId: `backstop-${s.conversationId}`,
      text: "is my box on its way?",
      attachments: [],
      senderName: null,
      sentAt: Date.now(),
    });
    const armed = await alarmAt();
    expect(armed).not.toBeNull();
    expect(armed ?? Infinity).toBeLessThanOrEqual(Date.now() + 30_000);
    await stub.syncMirror();
    const row = await rawDb(env.DB)
      .select()
      .from(schema.messages)
      .where(eq(schema.messages.channelMessageId, `backstop-${s.conversationId}`))
      .get();
    expect(row?.content).toBe("is my box on its way?");
    const after = await alarmAt();
    expect(after === null || after > Date.now() + 60_000).toBe(true);
  });

  it("raises an SLA breach from the alarm and escalates priority", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "assign", operatorId: "op_operator" },
    });
    const stub = roomStub(env, s.conversationId);
    await runInDurableObject(stub, async (room: ConversationRoom) => {
      const meta = await room.meta();
      if (!meta) throw new Error("no meta");
      const now = Date.now();
      room.store.setMeta({
        ...meta,
        sla: {
          due: {
            startedAt: now - 60_000,
            firstResponseDueAt: now - 1000,
            firstResponseAtRiskAt: now - 2000,
            resolutionDueAt: now + 3_600_000,
            resolutionAtRiskAt: now + 3_000_000,
          },
          firstRespondedAt: null,
          resolvedAt: null,
          fired: [],
        },
      });
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const snap = await snapshot(s.conversationId);
    expect(snap.messages.some((m) => m.type === "activity" && /SLA breached: first response/.test(m.content))).toBe(
      true,
    );
    expect(snap.state?.priority).toBe("high");
    // Fires once, not on every alarm.
    await runDurableObjectAlarm(stub);
    const again = await snapshot(s.conversationId);
    expect(again.messages.filter((m) => /SLA breached/.test(m.content))).toHaveLength(1);
  });

  it("asks for CSAT and NPS on resolve and stores them", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "assign", operatorId: "op_operator" },
    });
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({ type: "csat", score: 5 });
    expect((await c.next(isType("error"))).code).toBe("not_requested");
    await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "resolve" },
    });
    await c.next((f) => f.type === "state" && (f.state as { csatRequested: boolean }).csatRequested === true);
    c.send({ type: "csat", score: 4, comment: "Quick and kind" });
    c.send({ type: "nps", score: 9 });
    // Rating lines are activity (operator-only): read the stored result instead.
    let row = await rawDb(env.DB).select().from(schema.conversations).where(eqId(s.conversationId)).get();
    for (let i = 0; i < 100 && row?.npsScore !== 9; i++) {
      await new Promise((r) => setTimeout(r, 50));
      row = await rawDb(env.DB).select().from(schema.conversations).where(eqId(s.conversationId)).get();
    }
    expect(row).toMatchObject({ csatScore: 4, csatComment: "Quick and kind", npsScore: 9, status: "resolved" });
    c.close();
  });
});

describe("Contacts across channels", () => {
  it("links a WhatsApp identity and a widget identity with the same phone to one contact, with both conversations on its timeline", async () => {
    const tdb = new TenantDb(rawDb(env.DB), "ws_demo");
    const wa = await resolveContact(tdb, {
      channel: "whatsapp",
      inboxId: "demo-whatsapp",
      externalId: "972501112233",
      phone: "+972501112233",
      name: "Dana",
    });
    const s = await widgetSession();
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.close();
    const widgetIdentity = await tdb.first(schema.contactIdentities, eqExternal(s.visitorId));
    expect(widgetIdentity).toBeDefined();
    // The widget visitor later shares the same phone (pre-chat form / identification).
    const widget = await resolveContact(tdb, {
      channel: "widget",
      inboxId: "ws_demo_widget",
      externalId: `phone-${s.visitorId}`,
      phone: "+972501112233",
    });
    expect(widget.contactId).toBe(wa.contactId);
    expect(widget.linkedBy).toBe("phone");
    await tdb.insert(schema.conversations, {
      id: "conv_wa_dana",
      inboxId: "demo-whatsapp",
      contactId: wa.contactId,
      identityId: wa.identityId,
      channel: "whatsapp",
      threadKey: "972501112233",
    });
    await tdb.insert(schema.conversations, {
      id: "conv_widget_dana",
      inboxId: "ws_demo_widget",
      contactId: widget.contactId,
      identityId: widget.identityId,
      channel: "widget",
      threadKey: `phone-${s.visitorId}`,
    });
    const token = await loginOperator();
    const res = await call(`/api/contacts/${wa.contactId}`, { token });
    const body: { identities: Array<{ channel: string }>; conversations: Array<{ id: string; channel: string }> } =
      await res.json();
    expect(body.identities.map((i) => i.channel).sort()).toEqual(["whatsapp", "widget"]);
    expect(body.conversations.map((x) => x.id).sort()).toEqual(["conv_wa_dana", "conv_widget_dana"]);
  });

  it("merges and unmerges reversibly, with both steps audited", async () => {
    const tdb = new TenantDb(rawDb(env.DB), "ws_demo");
    const a = await resolveContact(tdb, {
      channel: "telegram",
      inboxId: "demo-telegram",
      externalId: "tg-777",
      name: "Moshe TG",
    });
    const b = await resolveContact(tdb, {
      channel: "email",
      inboxId: "demo-email",
      externalId: "moshe@example.org",
      email: "moshe@example.org",
      name: "Moshe Mail",
    });
    await tdb.insert(schema.conversations, {
      id: "conv_mail_moshe",
      inboxId: "demo-email",
      contactId: b.contactId,
      identityId: b.identityId,
      channel: "email",
      threadKey: "<t1@example.org>",
    });
    const token = await loginOperator();
    const merge = await call(`/api/contacts/${a.contactId}/merge`, {
      method: "POST",
      token,
      json: { sourceContactId: b.contactId },
    });
    expect(merge.status).toBe(200);
    const merged: { identities: unknown[]; conversations: Array<{ id: string }> } = await (
      await call(`/api/contacts/${a.contactId}`, { token })
    ).json();
    expect(merged.identities).toHaveLength(2);
    expect(merged.conversations.map((x) => x.id)).toContain("conv_mail_moshe");
    const un = await call(`/api/contacts/${b.contactId}/unmerge`, { method: "POST", token });
    expect(un.status).toBe(200);
    const restoredA: { identities: unknown[]; conversations: Array<{ id: string }> } = await (
      await call(`/api/contacts/${a.contactId}`, { token })
    ).json();
    const restoredB: { identities: unknown[]; conversations: Array<{ id: string }> } = await (
      await call(`/api/contacts/${b.contactId}`, { token })
    ).json();
    expect(restoredA.identities).toHaveLength(1);
    expect(restoredB.identities).toHaveLength(1);
    expect(restoredB.conversations.map((x) => x.id)).toEqual(["conv_mail_moshe"]);
    const admin = await loginAdmin();
    const audit: { items: Array<{ action: string; targetId: string }> } = await (
      await call("/api/audit?limit=50", { token: admin })
    ).json();
    expect(audit.items.some((e) => e.action === "contact.merge" && e.targetId === a.contactId)).toBe(true);
    expect(audit.items.some((e) => e.action === "contact.unmerge" && e.targetId === b.contactId)).toBe(true);
  });
});

const eqId = (id: string) => eq(schema.conversations.id, id);
const eqExternal = (x: string) => eq(schema.contactIdentities.externalId, x);

describe("pre-chat form linking", () => {
  it("records a widget visitor's typed phone as a possible match with the WhatsApp contact, linked only when an operator confirms", async () => {
    const tdb = new TenantDb(rawDb(env.DB), "ws_demo");
    const wa = await resolveContact(tdb, {
      channel: "whatsapp",
      inboxId: "demo-whatsapp",
      externalId: "972509998877",
      phone: "+972509998877",
      name: "Yael",
    });
    const s = await widgetSession();
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    const visitor = (await rawDb(env.DB).select().from(schema.conversations).where(eqId(s.conversationId)).get())
      ?.contactId;
    c.send({ type: "form", form: "prechat", fields: { name: "Yael", phone: "050-999-8877" } });
    const token = await loginOperator();
    let claims: Array<{ id: string; candidateContactId: string | null }> = [];
    for (let i = 0; i < 100 && claims.length === 0; i++) {
      const card: { claims: typeof claims } = await (await call(`/api/contacts/${visitor}`, { token })).json();
      claims = card.claims;
      if (!claims.length) await new Promise((r) => setTimeout(r, 50));
    }
    c.close();
    expect(claims[0]?.candidateContactId).toBe(wa.contactId);
    const before = await rawDb(env.DB).select().from(schema.conversations).where(eqId(s.conversationId)).get();
    expect(before?.contactId).toBe(visitor);
    const res = await call(`/api/contacts/${visitor}/claims/${claims[0]?.id}/confirm`, { method: "POST", token });
    expect(res.status).toBe(200);
    const conv = await rawDb(env.DB).select().from(schema.conversations).where(eqId(s.conversationId)).get();
    expect(conv?.contactId).toBe(wa.contactId);
  });
});
