/**
 * What happens after the 200: contacts and conversations, media copied to R2 (best
 * effort), button presses answered, delivery statuses mapped back to our messages, one
 * contact across WhatsApp and the widget, and the cron reprocessor for stuck events.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID, DEMO_WIDGET_KEY } from "../../../workers/db/seed/demo.ts";
import { resolveContact } from "../../../workers/services/contacts.ts";
import { reprocessPendingEvents, STUCK_AFTER_MS } from "../../../workers/webhooks/process.ts";
import { call, seedDemo } from "../helpers.ts";
import { eventsFor, json, mockFetch, postMeta, postTelegram } from "./support.ts";

const db = () => rawDb(env.DB);
const tdb = () => new TenantDb(db(), DEMO_WORKSPACE_ID);

beforeAll(async () => {
  await seedDemo();
});

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

async function conversationOf(inboxId: string, threadKey: string) {
  const c = schema.conversations;
  return db().select().from(c).where(and(eq(c.inboxId, inboxId), eq(c.threadKey, threadKey))).get();
}

async function messageByProviderId(id: string) {
  return db().select().from(schema.messages).where(eq(schema.messages.channelMessageId, id)).get();
}

function tgUpdate(updateId: number, message: Record<string, unknown>): string {
  return JSON.stringify({ update_id: updateId, message: { date: 1700000000, chat: { id: 6660001, type: "private" }, from: { id: 6660001, is_bot: false, first_name: "Mira", language_code: "en" }, ...message } });
}

function waText(from: string, id: string, text: string, name = "Dana"): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "1", phone_number_id: "106540352242922" }, contacts: [{ profile: { name }, wa_id: from }], messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }] } }] }],
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
    expect(msg).toMatchObject({ conversationId: conv?.id, type: "incoming", content: "Where is my box?", inboxId: "demo-telegram" });
    const contact = await db().select().from(schema.contacts).where(eq(schema.contacts.id, conv?.contactId ?? "")).get();
    expect(contact?.name).toBe("Mira");
  });

  it("copies a Telegram document into R2 via getFile", async () => {
    const bytes = new TextEncoder().encode("%PDF-1.4 invoice");
    const fetchMock = mockFetch((c) => {
      if (c.url.endsWith("/getFile")) return json({ ok: true, result: { file_id: "doc-file-1", file_path: "documents/file_1.pdf" } });
      if (c.url.includes("/file/bot")) return new Response(bytes, { headers: { "content-type": "application/pdf" } });
      return json({ ok: false, error_code: 404, description: "unexpected" }, 404);
    });
    restore = fetchMock.restore;
    await postTelegram(tgUpdate(880002, { message_id: 2, caption: "my invoice", document: { file_id: "doc-file-1", file_unique_id: "u1", file_name: "invoice.pdf", mime_type: "application/pdf", file_size: bytes.length } }));
    const getFile = fetchMock.calls.find((c) => c.url.endsWith("/getFile"));
    expect(getFile?.url).toBe("https://api.telegram.org/bot123456789:dev-telegram-bot-token-not-real/getFile");
    expect(JSON.parse(getFile?.body ?? "{}")).toEqual({ file_id: "doc-file-1" });
    const msg = await messageByProviderId("6660001:2");
    expect(msg?.content).toBe("my invoice");
    const [att] = msg?.attachments ?? [];
    expect(att).toMatchObject({ name: "invoice.pdf", mimeType: "application/pdf", size: bytes.length });
    const key = typeof att?.key === "string" ? att.key : "";
    const object = await env.ATTACHMENTS.get(key);
    expect(await object?.text()).toBe("%PDF-1.4 invoice");
    expect((await eventsFor("6660001:2"))[0]).toMatchObject({ status: "processed", error: null });
  });

  it("still stores the text when the media download fails, and records the failure", async () => {
    const fetchMock = mockFetch(() => json({ ok: false, error_code: 400, description: "Bad Request: file is too big" }, 400));
    restore = fetchMock.restore;
    await postTelegram(tgUpdate(880003, { message_id: 3, caption: "video of the damage", video: { file_id: "vid-1", file_unique_id: "u2", width: 1, height: 1, duration: 1 } }));
    const msg = await messageByProviderId("6660001:3");
    expect(msg?.content).toBe("video of the damage");
    expect(msg?.attachments).toEqual([]);
    const [event] = await eventsFor("6660001:3");
    expect(event?.status).toBe("processed");
    expect(event?.error).toContain("media not copied");
  });

  it("downloads WhatsApp media with the bearer token into R2", async () => {
    const fetchMock = mockFetch((c) => {
      if (c.url === "https://graph.facebook.com/v21.0/media-img-1") return json({ url: "https://lookaside.fbsbx.com/whatsapp/media-img-1", mime_type: "image/jpeg" });
      if (c.url.startsWith("https://lookaside.fbsbx.com/")) return new Response(new Uint8Array([0xff, 0xd8, 0xff, 1]), { headers: { "content-type": "image/jpeg" } });
      return json({ error: { message: "nope" } }, 404);
    });
    restore = fetchMock.restore;
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "1", phone_number_id: "106540352242922" }, contacts: [{ profile: { name: "Eli" }, wa_id: "972507770001" }], messages: [{ from: "972507770001", id: "wamid.img-1", timestamp: "1700000000", type: "image", image: { id: "media-img-1", mime_type: "image/jpeg", caption: "broken mug" } }] } }] }],
    });
    expect((await postMeta("whatsapp", body)).status).toBe(200);
    for (const c of fetchMock.calls.filter((x) => x.url.includes("media-img-1"))) expect(c.headers.get("authorization")).toBe("Bearer dev-whatsapp-access-token");
    const msg = await messageByProviderId("wamid.img-1");
    expect(msg?.content).toBe("broken mug");
    expect(msg?.attachments).toHaveLength(1);
    expect(msg?.attachments[0]).toMatchObject({ mimeType: "image/jpeg", size: 4 });
  });

  it("answers a Telegram button press and hands its payload to the room", async () => {
    const fetchMock = mockFetch(() => json({ ok: true, result: true }));
    restore = fetchMock.restore;
    await postTelegram(JSON.stringify({ update_id: 880004, callback_query: { id: "cbq-1", chat_instance: "ci", from: { id: 6660001, is_bot: false, first_name: "Mira" }, message: { message_id: 9, date: 1700000000, chat: { id: 6660001, type: "private" }, text: "Confirm?" }, data: "action:act_missing:confirm" } }));
    const answer = fetchMock.calls.find((c) => c.url.endsWith("/answerCallbackQuery"));
    expect(JSON.parse(answer?.body ?? "{}")).toEqual({ callback_query_id: "cbq-1" });
    const msg = await messageByProviderId("cbq-1");
    expect(msg?.type).toBe("incoming");
    expect((await eventsFor("cbq-1"))[0]?.status).toBe("processed");
  });
});

describe("one contact across channels", () => {
  it("links a WhatsApp sender to the widget visitor who gave the same phone", async () => {
    const session = await call("/api/widget/session", { method: "POST", json: { widgetKey: DEMO_WIDGET_KEY } });
    expect(session.status).toBe(200);
    const { visitorId, conversationId }: { visitorId: string; conversationId: string } = await session.json();
    // The pre-chat form's phone, normalised to E.164 as every channel does.
    const widget = await resolveContact(tdb(), { channel: "widget", inboxId: `${DEMO_WORKSPACE_ID}_widget`, externalId: visitorId, phone: "+972501234599" });
    await postMeta("whatsapp", waText("972501234599", "wamid.same-phone-1", "Hi, it's me again"));
    const wa = await conversationOf("demo-whatsapp", "972501234599");
    expect(wa?.contactId).toBe(widget.contactId);
    const all = await tdb().select(schema.conversations, eq(schema.conversations.contactId, widget.contactId));
    expect(all.map((c) => c.id).sort()).toEqual([conversationId, wa?.id].sort());
    const contact = await tdb().first(schema.contacts, eq(schema.contacts.id, widget.contactId));
    expect(contact?.phone).toBe("+972501234599");
  });
});

describe("reprocessor", () => {
  it("retries events stuck in received and leaves fresh ones alone", async () => {
    await postTelegram(tgUpdate(880005, { message_id: 5, text: "stuck one" }));
    const [event] = await eventsFor("6660001:5");
    if (!event) throw new Error("event missing");
    // Simulate an isolate that died after the 200: the event is journaled but unprocessed.
    await db().update(schema.inboundEvents).set({ status: "received", createdAt: Date.now() - STUCK_AFTER_MS - 5_000 }).where(eq(schema.inboundEvents.id, event.id));
    const fresh = await db().insert(schema.inboundEvents).values({ id: "evt_fresh_test", workspaceId: DEMO_WORKSPACE_ID, inboxId: "demo-telegram", channelMessageId: "6660001:fresh", kind: "message", payload: { bogus: true } }).returning();
    expect(fresh).toHaveLength(1);
    const attempted = await reprocessPendingEvents(env);
    expect(attempted).toBeGreaterThanOrEqual(1);
    expect((await eventsFor("6660001:5"))[0]?.status).toBe("processed");
    expect((await eventsFor("6660001:fresh"))[0]?.status).toBe("received");
    // The room dedupes on the provider id, so a retry never duplicates the message.
    const stored = await db().select().from(schema.messages).where(eq(schema.messages.channelMessageId, "6660001:5")).all();
    expect(stored).toHaveLength(1);
  });
});
