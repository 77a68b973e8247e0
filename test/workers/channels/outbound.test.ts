/**
 * The outbound consumer against mocked provider APIs: the request each channel gets,
 * the provider id stored for status webhooks, retries with backoff and Retry-After,
 * permanent failures, and the dead-letter path after the retry budget.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../../workers/index.ts";
import type { ConversationRoom } from "../../../durable-objects/conversation.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { resolveContact } from "../../../workers/services/contacts.ts";
import { conversationForThread } from "../../../workers/services/conversations.ts";
import type { DeliverBody } from "../../../workers/queues/outbound.ts";
import { seedDemo } from "../helpers.ts";
import { bodyOf, json, mockFetch, postMeta } from "./support.ts";

const db = () => rawDb(env.DB);
const tdb = () => new TenantDb(db(), DEMO_WORKSPACE_ID);
type Channel = "telegram" | "whatsapp" | "messenger" | "email";

beforeAll(async () => {
  await seedDemo();
});

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
  vi.restoreAllMocks();
});

let seq = 0;

/** A conversation on `channel` with one customer message (at `inboundAt`) and one pending reply. */
async function setup(
  channel: Channel,
  threadKey: string,
  opts: { inboundAt?: number; subject?: string; email?: string } = {},
): Promise<DeliverBody> {
  const inboxId = `demo-${channel}`;
  const contact = await resolveContact(tdb(), {
    channel,
    inboxId,
    externalId: opts.email ?? threadKey,
    email: opts.email ?? null,
  });
  const conv = await conversationForThread(tdb(), {
    inboxId,
    channel,
    threadKey,
    contactId: contact.contactId,
    identityId: contact.identityId,
    subject: opts.subject ?? null,
  });
  seq += 1;
  const n = seq;
  const messageId = await runInDurableObject(roomStub(env, conv.id), async (room: ConversationRoom) => {
    await room.meta();
    // The room's own append (durable log + D1 mirror), without its AI turn or queue send.
    await room["append"]({
      type: "incoming",
      senderType: "contact",
      senderId: contact.contactId,
      senderName: null,
      content: "help",
      channelMessageId: opts.email ? `<in-${n}@customer.example>` : `in-${channel}-${n}`,
      idempotencyKey: `channel:in-${n}`,
      createdAt: opts.inboundAt ?? Date.now(),
    });
    const { message } = await room["append"]({
      type: "outgoing",
      senderType: "bot",
      senderId: null,
      senderName: "Assistant",
      content: "Shall I pause your subscription?",
      deliveryStatus: "pending",
    });
    await room["mirrorNow"]();
    return message.id;
  });
  return {
    kind: "deliver",
    workspaceId: DEMO_WORKSPACE_ID,
    conversationId: conv.id,
    messageId,
    inboxId,
    channel,
    threadKey,
    text: "Shall I pause your subscription?",
    buttons: [
      { title: "Yes, pause", payload: "action:act_1:confirm" },
      { title: "No", payload: "action:act_1:cancel" },
    ],
    attempt: 0,
  };
}

async function runOutbound(body: unknown, attempts = 1, queue = "omnisupport-outbound") {
  const batch = createMessageBatch(queue, [{ id: `qm-${++seq}`, timestamp: new Date(), attempts, body }]);
  const message = batch.messages[0];
  if (!message) throw new Error("empty batch");
  // getQueueResult does not report retry delays, so record the options the consumer passes.
  const retryOptions: Array<QueueRetryOptions | undefined> = [];
  const original = message.retry.bind(message);
  vi.spyOn(message, "retry").mockImplementation((options?: QueueRetryOptions) => {
    retryOptions.push(options);
    original(options);
  });
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { result: await getQueueResult(batch, ctx), id: message.id, retryOptions };
}

async function stored(messageId: string) {
  return db().select().from(schema.messages).where(eq(schema.messages.id, messageId)).get();
}

async function deadLetters() {
  return db().select().from(schema.deadLetters).all();
}

describe("rendering per channel", () => {
  it("Telegram: sendMessage with an inline keyboard; the provider id is stored and the message is sent", async () => {
    const body = await setup("telegram", "7770001");
    const fetchMock = mockFetch(() => json({ ok: true, result: { message_id: 501, chat: { id: 7770001 }, date: 1 } }));
    restore = fetchMock.restore;
    const { result, id } = await runOutbound(body);
    expect(result.explicitAcks).toContain(id);
    const sends = fetchMock.calls.filter((c) => c.url.endsWith("/sendMessage") && bodyOf(c).chat_id === "7770001");
    expect(sends).toHaveLength(1);
    expect(sends[0]?.url).toBe("https://api.telegram.org/bot123456789:dev-telegram-bot-token-not-real/sendMessage");
    expect(bodyOf(sends[0] ?? { url: "", method: "", headers: new Headers(), body: "{}" })).toEqual({
      chat_id: "7770001",
      text: "Shall I pause your subscription?",
      reply_markup: {
        inline_keyboard: [
          [
            { text: "Yes, pause", callback_data: "action:act_1:confirm" },
            { text: "No", callback_data: "action:act_1:cancel" },
          ],
        ],
      },
    });
    expect(await stored(body.messageId)).toMatchObject({
      channelMessageId: "7770001:501",
      inboxId: "demo-telegram",
      deliveryStatus: "sent",
    });
  });

  it("is idempotent: a redelivered queue message does not send twice", async () => {
    const body = await setup("telegram", "7770002");
    const fetchMock = mockFetch(() => json({ ok: true, result: { message_id: 502, chat: { id: 7770002 }, date: 1 } }));
    restore = fetchMock.restore;
    await runOutbound(body);
    const { result, id } = await runOutbound(body, 2);
    expect(result.explicitAcks).toContain(id);
    expect(
      fetchMock.calls.filter((c) => c.url.endsWith("/sendMessage") && bodyOf(c).chat_id === "7770002"),
    ).toHaveLength(1);
  });

  it("WhatsApp inside the 24-hour window: interactive reply buttons whose ids are our payloads", async () => {
    const body = await setup("whatsapp", "972501110001");
    const fetchMock = mockFetch(() => json({ messaging_product: "whatsapp", messages: [{ id: "wamid.out-1" }] }));
    restore = fetchMock.restore;
    await runOutbound(body);
    const send = fetchMock.calls.find((c) => c.url === "https://graph.facebook.com/v21.0/106540352242922/messages");
    expect(send?.headers.get("authorization")).toBe("Bearer dev-whatsapp-access-token");
    expect(JSON.parse(send?.body ?? "{}")).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "972501110001",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Shall I pause your subscription?" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "action:act_1:confirm", title: "Yes, pause" } },
            { type: "reply", reply: { id: "action:act_1:cancel", title: "No" } },
          ],
        },
      },
    });
    expect(await stored(body.messageId)).toMatchObject({ channelMessageId: "wamid.out-1", deliveryStatus: "sent" });

    // The status webhook for that wamid comes back through the same route and moves the message on.
    const status = JSON.stringify({
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
                statuses: [
                  {
                    id: "wamid.out-1",
                    status: "delivered",
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    recipient_id: "972501110001",
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect((await postMeta("whatsapp", status)).status).toBe(200);
    expect((await stored(body.messageId))?.deliveryStatus).toBe("delivered");
  });

  it("WhatsApp outside the window: the configured template, never free text", async () => {
    await db()
      .update(schema.inboxes)
      .set({
        settings: {
          phoneNumberId: "106540352242922",
          reengagementTemplate: { name: "order_followup", languageCode: "en_US" },
        },
      })
      .where(eq(schema.inboxes.id, "demo-whatsapp"));
    const body = await setup("whatsapp", "972501110002", { inboundAt: Date.now() - 2 * 24 * 3600_000 });
    const fetchMock = mockFetch(() => json({ messages: [{ id: "wamid.tpl-1" }] }));
    restore = fetchMock.restore;
    await runOutbound(body);
    const sends = fetchMock.calls.filter((c) => c.url.endsWith("/messages") && bodyOf(c).to === "972501110002");
    expect(sends).toHaveLength(1);
    expect(bodyOf(sends[0] ?? { url: "", method: "", headers: new Headers(), body: "{}" })).toMatchObject({
      type: "template",
      template: { name: "order_followup", language: { code: "en_US" } },
    });
    await db()
      .update(schema.inboxes)
      .set({ settings: { phoneNumberId: "106540352242922" } })
      .where(eq(schema.inboxes.id, "demo-whatsapp"));
  });

  it("WhatsApp outside the window without a template fails permanently and is dead-lettered", async () => {
    const body = await setup("whatsapp", "972501110003", { inboundAt: Date.now() - 2 * 24 * 3600_000 });
    const fetchMock = mockFetch(() => json({ messages: [{ id: "wamid.never" }] }));
    restore = fetchMock.restore;
    const { result, id } = await runOutbound(body);
    expect(result.explicitAcks).toContain(id);
    expect(fetchMock.calls.filter((c) => c.url.endsWith("/messages") && bodyOf(c).to === "972501110003")).toHaveLength(
      0,
    );
    expect(await stored(body.messageId)).toMatchObject({ deliveryStatus: "failed" });
    expect((await stored(body.messageId))?.deliveryError).toContain("window");
    const dl = (await deadLetters()).find((d) => d.body.messageId === body.messageId);
    expect(dl).toMatchObject({ queue: "omnisupport-outbound", workspaceId: DEMO_WORKSPACE_ID });
  });

  it("Messenger: quick replies carry our payloads; read watermarks come back as read", async () => {
    const body = await setup("messenger", "2470001");
    const fetchMock = mockFetch(() => json({ recipient_id: "2470001", message_id: "m_out-1" }));
    restore = fetchMock.restore;
    await runOutbound(body);
    const send = fetchMock.calls.find((c) => c.url === "https://graph.facebook.com/v21.0/me/messages");
    expect(send?.headers.get("authorization")).toBe("Bearer dev-messenger-page-token");
    expect(JSON.parse(send?.body ?? "{}")).toEqual({
      recipient: { id: "2470001" },
      messaging_type: "RESPONSE",
      message: {
        text: "Shall I pause your subscription?",
        quick_replies: [
          { content_type: "text", title: "Yes, pause", payload: "action:act_1:confirm" },
          { content_type: "text", title: "No", payload: "action:act_1:cancel" },
        ],
      },
    });
    expect(await stored(body.messageId)).toMatchObject({ channelMessageId: "m_out-1", deliveryStatus: "sent" });
    const read = JSON.stringify({
      object: "page",
      entry: [
        {
          id: "1234567890123",
          time: Date.now(),
          messaging: [
            {
              sender: { id: "2470001" },
              recipient: { id: "1234567890123" },
              timestamp: Date.now(),
              read: { watermark: Date.now() + 1000 },
            },
          ],
        },
      ],
    });
    expect((await postMeta("messenger", read)).status).toBe(200);
    expect((await stored(body.messageId))?.deliveryStatus).toBe("read");
  });

  it("Email: a threaded reply through send_email, marked auto-submitted when the bot wrote it", async () => {
    const body = await setup("email", "<root-1@customer.example>", {
      subject: "Damaged mug",
      email: "jane@customer.example",
    });
    const sent: Array<{ from: string; to: string }> = [];
    const spy = vi.spyOn(env.EMAIL, "send").mockImplementation(async (m) => {
      if ("from" in m && typeof m.from === "string" && "to" in m && typeof m.to === "string")
        sent.push({ from: m.from, to: m.to });
      return { messageId: "<cf@levhaolam.test>" };
    });
    const { result, id } = await runOutbound({ ...body, buttons: [] });
    expect(result.explicitAcks).toContain(id);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([{ from: "support@levhaolam.test", to: "jane@customer.example" }]);
    const row = await stored(body.messageId);
    expect(row?.deliveryStatus).toBe("sent");
    expect(row?.channelMessageId).toMatch(/^<[0-9a-f-]+@levhaolam\.test>$/);
  });
});

describe("retries and dead letters", () => {
  it("retries a 429 no sooner than Telegram's retry_after", async () => {
    const body = await setup("telegram", "7770003");
    const fetchMock = mockFetch(() =>
      json(
        {
          ok: false,
          error_code: 429,
          description: "Too Many Requests: retry after 30",
          parameters: { retry_after: 30 },
        },
        429,
      ),
    );
    restore = fetchMock.restore;
    const { result, id, retryOptions } = await runOutbound(body);
    expect(result.explicitAcks).not.toContain(id);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([id]);
    expect(retryOptions).toHaveLength(1);
    expect(retryOptions[0]?.delaySeconds).toBeGreaterThanOrEqual(30);
    expect((await stored(body.messageId))?.deliveryStatus).toBe("pending");
  });

  it("retries a 5xx with backoff and keeps the message pending", async () => {
    const body = await setup("messenger", "2470002");
    const fetchMock = mockFetch(() => json({ error: { message: "An unexpected error has occurred", code: 2 } }, 500));
    restore = fetchMock.restore;
    const { result, id, retryOptions } = await runOutbound(body, 3);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([id]);
    // Third attempt: exponential ceiling 2 s · 2² = 8 s with full jitter, at least 1 s.
    expect(retryOptions[0]?.delaySeconds).toBeGreaterThanOrEqual(1);
    expect(retryOptions[0]?.delaySeconds).toBeLessThanOrEqual(8);
    expect((await stored(body.messageId))?.deliveryStatus).toBe("pending");
  });

  it("a blocked bot (403) fails at once: message failed, dead letter recorded", async () => {
    const body = await setup("telegram", "7770004");
    const fetchMock = mockFetch(() =>
      json({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }, 403),
    );
    restore = fetchMock.restore;
    const { result, id } = await runOutbound(body);
    expect(result.explicitAcks).toContain(id);
    expect(await stored(body.messageId)).toMatchObject({ deliveryStatus: "failed" });
    const dl = (await deadLetters()).find((d) => d.body.messageId === body.messageId);
    expect(dl?.error).toContain("blocked");
  });

  it("a provider that keeps failing ends in dead_letters after the retry budget, with nothing lost", async () => {
    const body = await setup("whatsapp", "972501110004");
    const fetchMock = mockFetch(() => json({ error: { message: "Service temporarily unavailable", code: 2 } }, 503));
    restore = fetchMock.restore;
    // max_retries = 5 in wrangler.toml: every attempt is retried, never acknowledged...
    for (let attempt = 1; attempt <= 6; attempt++) {
      const { result, id } = await runOutbound(body, attempt);
      expect(result.retryMessages.map((r) => r.msgId)).toContain(id);
    }
    expect((await deadLetters()).some((d) => d.body.messageId === body.messageId)).toBe(false);
    // ...then Cloudflare moves the message to the DLQ, whose consumer keeps it.
    const { result, id } = await runOutbound(body, 1, "omnisupport-outbound-dlq");
    expect(result.explicitAcks).toContain(id);
    const dl = (await deadLetters()).find((d) => d.body.messageId === body.messageId);
    expect(dl).toMatchObject({ queue: "omnisupport-outbound", error: "retry budget exhausted" });
    expect(dl?.body).toEqual(body);
    expect(await stored(body.messageId)).toMatchObject({
      deliveryStatus: "failed",
      deliveryError: "retry budget exhausted",
    });
  });

  it("keeps an unrecognised outbound body as a dead letter instead of looping", async () => {
    const { result, id } = await runOutbound({ kind: "mystery", workspaceId: DEMO_WORKSPACE_ID });
    expect(result.explicitAcks).toContain(id);
    expect((await deadLetters()).find((d) => d.id === `dl_${id}`)?.error).toBe("unrecognised outbound message");
  });
});
