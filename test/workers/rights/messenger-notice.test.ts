/**
 * Issue 20, data rights 1 on messengers: a Telegram contact's first message (through the
 * real webhook route and intake) gets the processing notice, in their language and with
 * the workspace's policy link, delivered once to the (fake) Telegram API by the outbound
 * consumer; the consent basis "notice" is stored; the second message gets no notice; the
 * notice can be switched off. Fixture: test/fixtures/webhooks/telegram/message_text.json.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../../workers/index.ts";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { DEFAULT_NOTICE_TEXT } from "../../../workers/copy/consent.ts";
import type { DeliverBody } from "../../../workers/queues/outbound.ts";
import { seedDemo } from "../helpers.ts";
import { bodyOf, fixture, json, mockFetch, postTelegram, type Call } from "../channels/support.ts";

const db = () => rawDb(env.DB);
const POLICY = "https://shop.example.com/privacy";

async function setConsent(notice: { enabled: boolean; texts?: Record<string, string> }): Promise<void> {
  const ws = await db().select().from(schema.workspaces).where(eq(schema.workspaces.id, DEMO_WORKSPACE_ID)).get();
  await db()
    .update(schema.workspaces)
    .set({
      settings: {
        ...ws?.settings,
        consent: {
          required: false,
          version: "2026-12",
          policyUrl: POLICY,
          texts: {},
          notice: { texts: {}, ...notice },
        },
      },
    })
    .where(eq(schema.workspaces.id, DEMO_WORKSPACE_ID));
}

let updateId = 50_000;
/** The published text-message fixture from a fresh chat, with a language and our own ids. */
function update(chatId: number, text: string, languageCode = "ru"): string {
  const u = JSON.parse(fixture("telegram", "message_text.json")) as {
    update_id: number;
    message: { message_id: number; chat: { id: number }; from: { id: number; language_code?: string }; text: string };
  };
  updateId += 1;
  u.update_id = updateId;
  u.message.message_id = updateId;
  u.message.chat.id = chatId;
  u.message.from.id = chatId;
  u.message.from.language_code = languageCode;
  u.message.text = text;
  return JSON.stringify(u);
}

/** Posts an update and runs every delivery it queued through the real outbound consumer; returns the Telegram sends. */
async function deliverAfter(body: string, calls: Call[]): Promise<Array<Record<string, unknown>>> {
  // Held here (not handed to the local queue's own consumer) and run below, so every send is seen in order.
  const queued = vi
    .spyOn(env.OUTBOUND_QUEUE, "send")
    .mockResolvedValue({ metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } });
  expect((await postTelegram(body)).status).toBe(200);
  const bodies = queued.mock.calls.map(([b]) => b as DeliverBody);
  queued.mockRestore();
  const before = calls.length;
  expect(bodies.length).toBeGreaterThan(0);
  for (const [i, b] of bodies.entries()) {
    const batch = createMessageBatch("omnisupport-outbound", [
      { id: `notice-${updateId}-${i}`, timestamp: new Date(), attempts: 1, body: b },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
  }
  return calls
    .slice(before)
    .filter((c) => c.url.endsWith("/sendMessage"))
    .map(bodyOf);
}

const consents = (chatId: number) =>
  db()
    .select({ c: schema.contactConsents })
    .from(schema.contactConsents)
    .innerJoin(
      schema.contactIdentities,
      and(
        eq(schema.contactIdentities.contactId, schema.contactConsents.contactId),
        eq(schema.contactIdentities.externalId, String(chatId)),
      ),
    )
    .all()
    .then((rows) => rows.map((r) => r.c));

let fetchMock: ReturnType<typeof mockFetch>;
let providerId = 900;
/** Telegram's sendMessage answer, a new message id each time (ids are unique per inbox). */
const telegramOk = () => json({ ok: true, result: { message_id: ++providerId, chat: { id: 1 }, date: 1 } });
beforeAll(async () => {
  await seedDemo();
});
afterEach(() => {
  fetchMock.restore();
  vi.restoreAllMocks();
});

describe("first-message notice on Telegram", () => {
  it("is delivered once, in the contact's language with the policy link, and the basis is recorded", async () => {
    await setConsent({ enabled: true });
    fetchMock = mockFetch(telegramOk);
    const chat = 424_242_001;
    const first = await deliverAfter(update(chat, "Здравствуйте, где мой заказ?"), fetchMock.calls);
    const notices = first.filter((b) => String(b.text).startsWith(DEFAULT_NOTICE_TEXT.ru.replace("{policy}", "")));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.chat_id).toBe(String(chat));
    expect(String(notices[0]?.text)).toContain(POLICY);
    // The notice goes before any reply to the message.
    expect(first.indexOf(notices[0] ?? {})).toBe(0);

    const rows = await consents(chat);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workspaceId: DEMO_WORKSPACE_ID,
      channel: "telegram",
      basis: "notice",
      textVersion: "2026-12",
      language: "ru",
      granted: true,
    });
    expect(rows[0]?.createdAt).toEqual(expect.any(Number));

    const second = await deliverAfter(update(chat, "И ещё вопрос"), fetchMock.calls);
    expect(second.filter((b) => String(b.text).includes(POLICY))).toHaveLength(0);
    expect(await consents(chat)).toHaveLength(1);
  });

  it("uses the workspace's per-language text, and is not sent when switched off", async () => {
    await setConsent({ enabled: true, texts: { en: "We store your messages to help you.{policy}" } });
    fetchMock = mockFetch(telegramOk);
    const sent = await deliverAfter(update(424_242_002, "Hello", "en-GB"), fetchMock.calls);
    expect(sent[0]?.text).toBe(`We store your messages to help you. Privacy policy: ${POLICY}`);

    await setConsent({ enabled: false });
    const off = 424_242_003;
    const none = await deliverAfter(update(off, "Hello"), fetchMock.calls);
    expect(none.filter((b) => String(b.text).includes(POLICY))).toHaveLength(0);
    expect(await consents(off)).toHaveLength(0);
  });
});
