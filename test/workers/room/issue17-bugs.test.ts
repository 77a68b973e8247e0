/**
 * Issue 17's room bugs, each reproduced through the object:
 * 1. a confirmed action that fails on an external channel: the failure reply was stored
 *    without delivery status and never queued, and the hand-over was silent;
 * 2. after an SLA breach fired, a bot turn overwrote the shared `ai` record and the next
 *    alarm fired the same breach again.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConversationRoom } from "../../../durable-objects/conversation.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { rawDb, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { RoomSnapshot } from "../../../workers/protocol/frames.ts";
import { resolveContact } from "../../../workers/services/contacts.ts";
import { conversationForThread } from "../../../workers/services/conversations.ts";
import { seedDemo } from "../helpers.ts";
import { nthBot, openWidget } from "../ai/helpers.ts";

beforeAll(async () => {
  await seedDemo();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const LogItems = (text: string) =>
  (
    JSON.parse(text) as {
      items: Array<{ type: string; senderType: string; content: string; deliveryStatus: string | null; id: string }>;
    }
  ).items;

describe("a confirmed action that fails on Telegram", () => {
  it("queues the failure reply like every outgoing message and hands over", async () => {
    // Telegram answers every send, so deliveries complete.
    vi.spyOn(globalThis, "fetch").mockImplementation(
      async () =>
        new Response(JSON.stringify({ ok: true, result: { message_id: 77, chat: { id: 1 }, date: 1 } }), {
          headers: { "content-type": "application/json" },
        }),
    );
    const queued = vi.spyOn(env.OUTBOUND_QUEUE, "send");
    const tdb = new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
    const contact = await resolveContact(tdb, { channel: "telegram", inboxId: "demo-telegram", externalId: "8880001" });
    const conv = await conversationForThread(tdb, {
      inboxId: "demo-telegram",
      channel: "telegram",
      threadKey: "8880001",
      contactId: contact.contactId,
      identityId: contact.identityId,
      subject: null,
    });
    const stub = roomStub(env, conv.id);
    // An action offered to a customer the shop cannot find: executing it fails.
    const actionId = await runInDurableObject(stub, async (room: ConversationRoom) => {
      await room.meta();
      return room.store.createAction({
        id: "act_fail_tg",
        tool: "skip_next_box",
        args: { month: "2026-12" },
        summary: "Skip the 2026-12 box",
        customerRef: null,
        proposedBy: "bot",
        expiresAt: Date.now() + 60_000,
        status: "pending",
      }).id;
    });
    await stub.ingest({
      channelMessageId: "tg-confirm-1",
      text: "",
      attachments: [],
      senderName: null,
      sentAt: Date.now(),
      actionPayload: `action:${actionId}:confirm`,
    });
    const items = LogItems(await stub.log(0, 100));
    const reply = items.find((m) => m.type === "outgoing" && /couldn't complete/.test(m.content));
    expect(reply).toBeDefined();
    expect(reply?.deliveryStatus).not.toBeNull();
    expect(queued.mock.calls.some(([body]) => (body as { messageId?: string }).messageId === reply?.id)).toBe(true);
    const snap = RoomSnapshot.parse(JSON.parse(await stub.snapshot()));
    expect(snap.actions.find((a) => a.id === actionId)?.status).toBe("failed");
    expect(snap.state?.owner).not.toBe("bot");
    // The reason stays with the operators.
    expect(reply?.content).not.toMatch(/skip_next_box|unverified/);
  });
});

describe("SLA breaches", () => {
  it("fire once, even when a bot turn runs between two alarms", async () => {
    const w = await openWidget();
    const stub = roomStub(env, w.conversationId);
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
    await runDurableObjectAlarm(stub);
    // The bot still owns the conversation and answers: its turn writes the engine's memory.
    w.send("What is in the box this month?");
    await nthBot(w, 0);
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    const snap = RoomSnapshot.parse(JSON.parse(await stub.snapshot()));
    expect(snap.messages.filter((m) => /SLA breached: first response/.test(m.content))).toHaveLength(1);
    w.close();
  }, 30_000);
});
