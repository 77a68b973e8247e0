/**
 * What happens after the 200: contacts and conversations, media copied to R2 (best
 * effort), button presses answered, delivery statuses mapped back to our messages, one
 * contact across WhatsApp and the widget, and the inbox's intake object: journal of record,
 * retries with backoff from its alarm, the D1 copy, and recovery after the object went away.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID, DEMO_WIDGET_KEY } from "../../../workers/db/seed/demo.ts";
import { getAttachment } from "../../../workers/services/attachment-store.ts";
import { resolveContact } from "../../../workers/services/contacts.ts";
import { parseTelegramUpdate } from "../../../workers/channels/telegram/parse.ts";
import { toIntakeEvents } from "../../../durable-objects/intake/journal.ts";
import { intakeStub } from "../../../durable-objects/stubs.ts";
import type { InboxIntake } from "../../../durable-objects/intake/object.ts";
import { IntakeStore, RETRY_FOR_MS } from "../../../durable-objects/intake/store.ts";
import { call, loginAdmin, seedDemo } from "../helpers.ts";
import { widgetSession } from "../ws.ts";
import { eventsFor, json, mockFetch, postMeta, postTelegram, settleIntake } from "../channels/support.ts";

const db = () => rawDb(env.DB);

/** An intake object's journal on its own (bound to the demo workspace), a fixed clock and evt_0, evt_1 … ids. */
function withIntakeStore(
  inboxId: string,
  fn: (store: IntakeStore, t0: number, nextId: () => string) => void,
): Promise<void> {
  return runInDurableObject(intakeStub(env, inboxId), (_o: InboxIntake, state) => {
    const store = new IntakeStore(state.storage.sql);
    store.bind(DEMO_WORKSPACE_ID, inboxId);
    let n = 0;
    fn(store, 1_700_000_000_000, () => `evt_${n++}`);
  });
}
const tdb = () => new TenantDb(db(), DEMO_WORKSPACE_ID);

/**
 * The bot answers the new Telegram chats these tests open, and the outbound queue delivers
 * those replies in the background, often after a test restored its own fetch mock. Provider
 * hosts therefore get a stand-in for the whole file (tests' mockFetch spies sit on top of
 * it), so no test ever reaches the real Telegram or Graph API.
 */
const realFetch = globalThis.fetch;
function providerStandIn(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new Request(input, init).url;
  if (url.startsWith("https://api.telegram.org/"))
    return Promise.resolve(
      Response.json({ ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: "private" } } }),
    );
  if (url.startsWith("https://graph.facebook.com/"))
    return Promise.resolve(
      Response.json({
        messaging_product: "whatsapp",
        contacts: [],
        messages: [{ id: "wamid.stand-in" }],
        message_id: "m_stand-in",
        recipient_id: "1",
      }),
    );
  return realFetch(input, init);
}

beforeAll(async () => {
  globalThis.fetch = providerStandIn;
  await seedDemo();
});

afterAll(() => {
  globalThis.fetch = realFetch;
});

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

async function conversationOf(inboxId: string, threadKey: string) {
  const c = schema.conversations;
  return db()
    .select()
    .from(c)
    .where(and(eq(c.inboxId, inboxId), eq(c.threadKey, threadKey)))
    .get();
}

async function messageByProviderId(id: string) {
  return db().select().from(schema.messages).where(eq(schema.messages.channelMessageId, id)).get();
}

function tgUpdate(updateId: number, message: Record<string, unknown>): string {
  return JSON.stringify({
    update_id: updateId,
    message: {
      date: 1700000000,
      chat: { id: 6660001, type: "private" },
      from: { id: 6660001, is_bot: false, first_name: "Mira", language_code: "en" },
      ...message,
    },
  });
}

function waText(from: string, id: string, text: string, name = "Dana"): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "1", phone_number_id: "106540352242922" },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [
                { from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } },
              ],
            },
          },
        ],
      },
    ],
  });
}

describe("inbound processing", () => {
  it("turns a Telegram message into a contact, a conversation and a stored message", async () => {
    const res = await postTelegram(tgUpdate(880001, { message_id: 1, text: "Where is my box?" }));
    expect(res.status).toBe(200);
    const [event] = await eventsFor("6660001:1");
    expect(event?.status).toBe("processed");
    const conv = await conversationOf("demo-telegram", "6660001");
    expect(conv?.channel).toBe("telegram");
    const msg = await messageByProviderId("6660001:1");
    expect(msg).toMatchObject({
      conversationId: conv?.id,
      type: "incoming",
      content: "Where is my box?",
      inboxId: "demo-telegram",
    });
    const contact = await db()
      .select()
      .from(schema.contacts)
      .where(eq(schema.contacts.id, conv?.contactId ?? ""))
      .get();
    expect(contact?.name).toBe("Mira");
  });

  it("copies a Telegram document into R2 via getFile", async () => {
    const bytes = new TextEncoder().encode("%PDF-1.4 invoice");
    const fetchMock = mockFetch((c) => {
      if (c.url.endsWith("/getFile"))
        return json({ ok: true, result: { file_id: "doc-file-1", file_path: "documents/file_1.pdf" } });
      if (c.url.includes("/file/bot")) return new Response(bytes, { headers: { "content-type": "application/pdf" } });
      return json({ ok: false, error_code: 404, description: "unexpected" }, 404);
    });
    restore = fetchMock.restore;
    await postTelegram(
      tgUpdate(880002, {
        message_id: 2,
        caption: "my invoice",
        document: {
          file_id: "doc-file-1",
          file_unique_id: "u1",
          file_name: "invoice.pdf",
          mime_type: "application/pdf",
          file_size: bytes.length,
        },
      }),
    );
    const getFile = fetchMock.calls.find((c) => c.url.endsWith("/getFile"));
    expect(getFile?.url).toBe("https://api.telegram.org/bot123456789:dev-telegram-bot-token-not-real/getFile");
    expect(JSON.parse(getFile?.body ?? "{}")).toEqual({ file_id: "doc-file-1" });
    const msg = await messageByProviderId("6660001:2");
    expect(msg?.content).toBe("my invoice");
    const [att] = msg?.attachments ?? [];
    expect(att).toMatchObject({ name: "invoice.pdf", mimeType: "application/pdf", size: bytes.length });
    const key = typeof att?.key === "string" ? att.key : "";
    // Sealed at rest (issue 20): the raw object is not the file; the workspace's keys open it.
    const object = await env.ATTACHMENTS.get(key);
    expect(object?.customMetadata?.enc).toBe("aes256gcm.chunked.v1");
    expect(await object?.text()).not.toContain("invoice");
    const opened = await getAttachment(env, DEMO_WORKSPACE_ID, key);
    expect(new TextDecoder().decode(opened?.bytes)).toBe("%PDF-1.4 invoice");
    expect((await eventsFor("6660001:2"))[0]).toMatchObject({ status: "processed", error: null });
  });

  it("still stores the text when the media download fails, and records the failure", async () => {
    const fetchMock = mockFetch(() =>
      json({ ok: false, error_code: 400, description: "Bad Request: file is too big" }, 400),
    );
    restore = fetchMock.restore;
    await postTelegram(
      tgUpdate(880003, {
        message_id: 3,
        caption: "video of the damage",
        video: { file_id: "vid-1", file_unique_id: "u2", width: 1, height: 1, duration: 1 },
      }),
    );
    const msg = await messageByProviderId("6660001:3");
    expect(msg?.content).toBe("video of the damage");
    expect(msg?.attachments).toEqual([]);
    const [event] = await eventsFor("6660001:3");
    expect(event?.status).toBe("processed");
    expect(event?.error).toContain("media not copied");
  });

  it("downloads WhatsApp media with the bearer token into R2", async () => {
    const fetchMock = mockFetch((c) => {
      if (c.url === "https://graph.facebook.com/v21.0/media-img-1")
        return json({ url: "https://lookaside.fbsbx.com/whatsapp/media-img-1", mime_type: "image/jpeg" });
      if (c.url.startsWith("https://lookaside.fbsbx.com/"))
        return new Response(new Uint8Array([0xff, 0xd8, 0xff, 1]), { headers: { "content-type": "image/jpeg" } });
      return json({ error: { message: "nope" } }, 404);
    });
    restore = fetchMock.restore;
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "1", phone_number_id: "106540352242922" },
                contacts: [{ profile: { name: "Eli" }, wa_id: "972507770001" }],
                messages: [
                  {
                    from: "972507770001",
                    id: "wamid.img-1",
                    timestamp: "1700000000",
                    type: "image",
                    image: { id: "media-img-1", mime_type: "image/jpeg", caption: "broken mug" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect((await postMeta("whatsapp", body)).status).toBe(200);
    for (const c of fetchMock.calls.filter((x) => x.url.includes("media-img-1")))
      expect(c.headers.get("authorization")).toBe("Bearer dev-whatsapp-access-token");
    const msg = await messageByProviderId("wamid.img-1");
    expect(msg?.content).toBe("broken mug");
    expect(msg?.attachments).toHaveLength(1);
    expect(msg?.attachments[0]).toMatchObject({ mimeType: "image/jpeg", size: 4 });
  });

  it("answers a Telegram button press and hands its payload to the room", async () => {
    const fetchMock = mockFetch(() => json({ ok: true, result: true }));
    restore = fetchMock.restore;
    await postTelegram(
      JSON.stringify({
        update_id: 880004,
        callback_query: {
          id: "cbq-1",
          chat_instance: "ci",
          from: { id: 6660001, is_bot: false, first_name: "Mira" },
          message: { message_id: 9, date: 1700000000, chat: { id: 6660001, type: "private" }, text: "Confirm?" },
          data: "action:act_missing:confirm",
        },
      }),
    );
    const answer = fetchMock.calls.find((c) => c.url.endsWith("/answerCallbackQuery"));
    expect(JSON.parse(answer?.body ?? "{}")).toEqual({ callback_query_id: "cbq-1" });
    const msg = await messageByProviderId("cbq-1");
    expect(msg?.type).toBe("incoming");
    expect((await eventsFor("cbq-1"))[0]?.status).toBe("processed");
  });
});

describe("one contact across channels", () => {
  it("links a WhatsApp sender to the widget visitor who gave the same phone", async () => {
    // A visitor whose conversation has started (the rows exist from the first message on).
    const { visitorId, conversationId } = await widgetSession({ widgetKey: DEMO_WIDGET_KEY });
    // The pre-chat form's phone, normalised to E.164 as every channel does.
    const widget = await resolveContact(tdb(), {
      channel: "widget",
      inboxId: `${DEMO_WORKSPACE_ID}_widget`,
      externalId: visitorId,
      phone: "+972501234599",
    });
    await postMeta("whatsapp", waText("972501234599", "wamid.same-phone-1", "Hi, it's me again"));
    const wa = await conversationOf("demo-whatsapp", "972501234599");
    expect(wa?.contactId).toBe(widget.contactId);
    const all = await tdb().select(schema.conversations, eq(schema.conversations.contactId, widget.contactId));
    expect(all.map((c) => c.id).sort()).toEqual([conversationId, wa?.id].sort());
    const contact = await tdb().first(schema.contacts, eq(schema.contacts.id, widget.contactId));
    expect(contact?.phone).toBe("+972501234599");
  });
});

/** A second Telegram inbox (same secrets as the demo one) whose availability a test controls. */
async function cloneTelegramInbox(id: string, enabled: boolean): Promise<void> {
  const demo = await db().select().from(schema.inboxes).where(eq(schema.inboxes.id, "demo-telegram")).get();
  if (!demo) throw new Error("demo inbox missing");
  await db()
    .insert(schema.inboxes)
    .values({ ...demo, id, name: `${demo.name} (${id})`, enabled })
    .onConflictDoNothing();
}

const intakeEvents = (body: string) => toIntakeEvents(parseTelegramUpdate(JSON.parse(body)));

describe("intake journal", () => {
  it("retries a failed event from its alarm with backoff, then processes it exactly once", async () => {
    await cloneTelegramInbox("retry-telegram", false);
    const stub = intakeStub(env, "retry-telegram");
    const body = tgUpdate(880010, {
      chat: { id: 6660077, type: "private" },
      from: { id: 6660077, is_bot: false, first_name: "Rita" },
      message_id: 10,
      text: "retry me",
    });
    const first = await stub.accept(DEMO_WORKSPACE_ID, "retry-telegram", intakeEvents(body));
    expect(first.accepted).toHaveLength(1);
    // The inbox is disabled: processing fails, the journal keeps the event and schedules a retry.
    expect(await stub.settle()).toMatchObject({ failed: 1, processed: 0, unmirrored: 0 });
    expect((await eventsFor("6660077:10"))[0]).toMatchObject({
      status: "failed",
      error: "inbox missing or disabled",
      inboxId: "retry-telegram",
    });
    const alarmAt = await runInDurableObject(stub, (_o: InboxIntake, state) => state.storage.getAlarm());
    expect(alarmAt).toBeGreaterThan(Date.now() + 3_000);
    expect(alarmAt).toBeLessThan(Date.now() + 6_000);
    // The same update again is a duplicate even while it is failing.
    expect(await stub.accept(DEMO_WORKSPACE_ID, "retry-telegram", intakeEvents(body))).toEqual({
      accepted: [],
      duplicates: 1,
    });

    // The inbox comes back and the retry falls due (time moved on): the alarm processes it.
    await db().update(schema.inboxes).set({ enabled: true }).where(eq(schema.inboxes.id, "retry-telegram"));
    await runInDurableObject(stub, (_o: InboxIntake, state) => {
      state.storage.sql.exec(`UPDATE events SET next_at = 0`);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.settle()).toMatchObject({ failed: 0, processed: 1, unmirrored: 0 });
    expect((await eventsFor("6660077:10"))[0]).toMatchObject({ status: "processed", error: null });
    const stored = await db()
      .select()
      .from(schema.messages)
      .where(eq(schema.messages.channelMessageId, "6660077:10"))
      .all();
    expect(stored).toHaveLength(1);
  });

  it("processes what was journaled when the object went away before its drain (alarm backstop)", async () => {
    await cloneTelegramInbox("crash-telegram", true);
    const stub = intakeStub(env, "crash-telegram");
    const body = tgUpdate(880011, {
      chat: { id: 6660078, type: "private" },
      from: { id: 6660078, is_bot: false, first_name: "Sam" },
      message_id: 11,
      text: "journaled, then the isolate died",
    });
    // Exactly the state an accept leaves if the object is evicted right after its reply: the row and the alarm.
    await runInDurableObject(stub, async (_o: InboxIntake, state) => {
      const store = new IntakeStore(state.storage.sql);
      store.bind(DEMO_WORKSPACE_ID, "crash-telegram");
      store.append(intakeEvents(body), () => "evt_crash_1", Date.now());
      await state.storage.setAlarm(Date.now() + 30_000);
    });
    expect(await eventsFor("6660078:11")).toHaveLength(0);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.settle()).toMatchObject({ received: 0, processed: 1, failed: 0 });
    expect((await eventsFor("6660078:11"))[0]).toMatchObject({ id: "evt_crash_1", status: "processed" });
    expect(await messageByProviderId("6660078:11")).toMatchObject({
      content: "journaled, then the isolate died",
      inboxId: "crash-telegram",
    });
  });

  it("shows an inbox's backlog to staff: waiting, retrying, not yet in D1, and since when", async () => {
    const token = await loginAdmin();
    const backlog = async (id: string) => {
      const res = await call(`/api/inboxes/${id}/intake`, { token });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    await settleIntake("demo-telegram");
    expect(await backlog("demo-telegram")).toMatchObject({
      status: 200,
      body: { waiting: 0, failed: 0, unmirrored: 0, oldestWaitingAt: null },
    });
    // Journaled and not yet drained (written straight into the journal, so no drain is scheduled).
    const at = Date.now() - 5_000;
    const [event] = toIntakeEvents(
      parseTelegramUpdate(JSON.parse(tgUpdate(880077, { message_id: 77, text: "waiting in the journal" }))),
    );
    if (!event) throw new Error("no event");
    await runInDurableObject(intakeStub(env, "demo-telegram"), (_o: InboxIntake, state) => {
      new IntakeStore(state.storage.sql).append([event], () => `evt_backlog_${at}`, at);
    });
    expect(await backlog("demo-telegram")).toMatchObject({
      status: 200,
      body: { waiting: 1, failed: 0, unmirrored: 1, oldestWaitingAt: at },
    });
    await settleIntake("demo-telegram");
    expect(await backlog("demo-telegram")).toMatchObject({
      status: 200,
      body: { waiting: 0, failed: 0, unmirrored: 0, oldestWaitingAt: null },
    });
    // Widget inboxes have no intake journal; unknown ids are 404 too; no token is 401.
    expect((await backlog(`${DEMO_WORKSPACE_ID}_widget`)).status).toBe(404);
    expect((await backlog("no-such-inbox")).status).toBe(404);
    expect((await call("/api/inboxes/demo-telegram/intake")).status).toBe(401);
  });

  it("copies events to D1 once settled, and ones still waiting only after they waited long enough", async () => {
    await withIntakeStore("store-copy", (store, t0, nextId) => {
      store.append([{ kind: "message", channelMessageId: "old", payload: "{}" }], nextId, t0);
      store.append(
        [
          { kind: "message", channelMessageId: "new", payload: "{}" },
          { kind: "message", channelMessageId: "done", payload: "{}" },
        ],
        nextId,
        t0 + 9_000,
      );
      store.record(3, { status: "processed", note: null }, t0 + 9_500);
      // At t0 + 10 s with a 10 s wait: the processed one, and the one received 10 s ago; not the fresh one.
      expect(store.unmirrored(10, t0 + 1).map((r) => r.channelMessageId)).toEqual(["old", "done"]);
      // Without a cutoff (settle): everything D1 has not seen.
      expect(store.unmirrored(10).map((r) => r.channelMessageId)).toEqual(["old", "new", "done"]);
    });
  });

  it("gives up on an event an hour after it arrived and forgets processed ones after the redelivery window", async () => {
    await withIntakeStore("store-only", (store, t0, nextId) => {
      const ids = store.append(
        [
          { kind: "message", channelMessageId: "a", payload: "{}" },
          { kind: "message", channelMessageId: "b", payload: "{}" },
          { kind: "status", channelMessageId: "a", payload: "{}" },
          { kind: "message", channelMessageId: "a", payload: "{}" },
        ],
        nextId,
        t0,
      );
      // Same provider id under another kind is another event; the repeat is dropped.
      expect(ids).toEqual(["evt_0", "evt_1", "evt_2"]);
      expect(store.due(t0, 10).map((r) => r.id)).toEqual(["evt_0", "evt_1", "evt_2"]);
      store.record(1, { status: "failed", note: "boom" }, t0);
      store.record(2, { status: "processed", note: null }, t0);
      store.record(3, { status: "processed", note: null }, t0);
      expect(store.due(t0 + 1_000, 10)).toEqual([]);
      expect(store.nextDueAt(t0)).toBe(t0 + 5_000);
      expect(store.due(t0 + 5_000, 10).map((r) => r.id)).toEqual(["evt_0"]);
      store.record(1, { status: "failed", note: "boom again" }, t0 + 5_000);
      expect(store.nextDueAt(t0)).toBe(t0 + 15_000);
      expect(store.due(t0 + RETRY_FOR_MS + 1, 10)).toEqual([]);
      expect(store.nextDueAt(t0 + RETRY_FOR_MS + 1)).toBeNull();
      // Unmirrored rows are never pruned; mirrored processed ones go after the window.
      const dirty = store.unmirrored(10);
      expect(dirty.map((r) => r.id)).toEqual(["evt_0", "evt_1", "evt_2"]);
      store.record(3, { status: "failed", note: "changed after the read" }, t0);
      store.markMirrored(dirty);
      expect(store.unmirrored(10).map((r) => r.id)).toEqual(["evt_2"]);
      expect(store.prune(t0 + 9 * 24 * 60 * 60_000)).toBe(1);
      expect(store.has("message", "b")).toBe(false);
      expect(store.has("message", "a")).toBe(true);
      expect(() => store.bind(DEMO_WORKSPACE_ID, "another-inbox")).toThrow(/another inbox/);
    });
  });

  it("answers a redelivery of a processed update as a duplicate and changes nothing", async () => {
    const body = tgUpdate(880012, { message_id: 12, text: "only once" });
    expect(await (await postTelegram(body)).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await (await postTelegram(body)).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    await settleIntake("demo-telegram");
    expect(await eventsFor("6660001:12")).toHaveLength(1);
    expect(
      await db().select().from(schema.messages).where(eq(schema.messages.channelMessageId, "6660001:12")).all(),
    ).toHaveLength(1);
  });
});
