/**
 * Faults inside workerd: rooms aborted or evicted mid-conversation (the client resends
 * unacknowledged messages with the same clientId), a queue consumer whose sends throw
 * (retry with backoff, then the dead-letter queue), D1 failing under a room (nothing is
 * lost: rows stay unmirrored and the alarm retries; a webhook accepted while D1 is down is
 * journaled, acknowledged and processed once it is back), and a provider that times out
 * (the fallback answers).
 */
import {
  abortAllDurableObjects,
  createExecutionContext,
  createMessageBatch,
  evictAllDurableObjects,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../../workers/index.ts";
import type { ConversationRoom } from "../../../durable-objects/conversation.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { intakeStub } from "../../../durable-objects/stubs.ts";
import type { InboxIntake } from "../../../durable-objects/intake/object.ts";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { RoomSnapshot } from "../../../workers/protocol/frames.ts";
import { chatWithFallback } from "../../../workers/ai/providers/resilient.ts";
import { LocalProvider } from "../../../workers/ai/providers/local.ts";
import {
  ProviderError,
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
} from "../../../workers/ai/providers/types.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../../workers/helpers.ts";
import { clientId, isType, openSocket, widgetSession, type TestSocket } from "../../workers/ws.ts";

beforeAll(seedDemo);
afterEach(() => vi.restoreAllMocks());

async function ownedByOperator(): Promise<Awaited<ReturnType<typeof widgetSession>>> {
  const s = await widgetSession();
  const res = await call(`/api/conversations/${s.conversationId}/commands`, {
    method: "POST",
    token: await loginOperator(),
    json: { command: "assign", operatorId: "op_operator" },
  });
  expect(res.status).toBe(200);
  return s;
}

async function snapshot(conversationId: string): Promise<RoomSnapshot> {
  return RoomSnapshot.parse(JSON.parse(await roomStub(env, conversationId).snapshot()));
}

describe("rooms aborted or evicted mid-conversation", () => {
  it("every message is stored exactly once and in order when the client resends with the same clientId", async () => {
    const s = await ownedByOperator();
    const path = (lastSeq: number) => `${s.socketPath}?token=${s.visitorToken}&lastSeq=${lastSeq}`;
    let sock: TestSocket = await openSocket(path(0));
    await sock.next(isType("sync"));
    let lastSeq = 0;
    const sent: string[] = [];
    for (let k = 0; k < 24; k++) {
      const id = clientId();
      sent.push(id);
      sock.send({ type: "send", clientId: id, text: `message ${k}` });
      if (k % 4 === 1 || k % 4 === 3) {
        // The object dies with the frame maybe half-processed: reconnect and resend.
        if (k % 4 === 1) await abortAllDurableObjects();
        else await evictAllDurableObjects();
        sock.close();
        sock = await openSocket(path(lastSeq));
        await sock.next(isType("sync"));
        sock.send({ type: "send", clientId: id, text: `message ${k}` });
      }
      const ack = await sock.next((f) => f.type === "ack" && f.clientId === id);
      lastSeq = Math.max(lastSeq, Number(ack.seq));
    }
    sock.close();
    const snap = await snapshot(s.conversationId);
    const incoming = snap.messages.filter((m) => m.type === "incoming");
    expect(incoming.map((m) => m.clientId)).toEqual(sent);
    expect(incoming.map((m) => m.content)).toEqual(sent.map((_, k) => `message ${k}`));
    const seqs = snap.messages.map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});

/** A D1 binding whose every call fails, as during an outage. */
const brokenD1 = {
  prepare() {
    throw new Error("D1_ERROR: simulated outage");
  },
  batch() {
    return Promise.reject(new Error("D1_ERROR: simulated outage"));
  },
  exec() {
    return Promise.reject(new Error("D1_ERROR: simulated outage"));
  },
  dump() {
    return Promise.reject(new Error("D1_ERROR: simulated outage"));
  },
  withSession() {
    throw new Error("D1_ERROR: simulated outage");
  },
} as unknown as D1Database;

describe("D1 errors under a room", () => {
  it("keeps the message, acknowledges the sender, and mirrors it when the alarm retries", async () => {
    const s = await ownedByOperator();
    const stub = roomStub(env, s.conversationId);
    const customer = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await customer.next(isType("sync"));
    const id = clientId();
    await runInDurableObject(stub, async (room: ConversationRoom) => {
      await room.meta();
      room["env"] = { ...env, DB: brokenD1 };
    });
    try {
      customer.send({ type: "send", clientId: id, text: "sent during a D1 outage" });
      const ack = await customer.next((f) => f.type === "ack" && f.clientId === id);
      expect(ack.duplicate).toBe(false);
      const unmirrored = await runInDurableObject(stub, (room: ConversationRoom) =>
        room.store.unmirroredMessages(10).map((m) => m.clientId),
      );
      expect(unmirrored).toContain(id);
      // The alarm fails too while D1 is down, and the row stays queued.
      await runDurableObjectAlarm(stub).catch(() => false);
      expect(
        await runInDurableObject(stub, (room: ConversationRoom) => room.store.unmirroredMessages(10).length),
      ).toBeGreaterThan(0);
    } finally {
      await runInDurableObject(stub, (room: ConversationRoom) => {
        room["env"] = env;
      });
    }
    const ran = await runDurableObjectAlarm(stub);
    // If the failed alarm above was already retried by the runtime, the row is mirrored anyway.
    expect(typeof ran).toBe("boolean");
    const row = await rawDb(env.DB).select().from(schema.messages).where(eq(schema.messages.clientId, id)).get();
    expect(row?.content).toBe("sent during a D1 outage");
    expect(await runInDurableObject(stub, (room: ConversationRoom) => room.store.unmirroredMessages(10).length)).toBe(
      0,
    );
    customer.close();
  });
});

describe("D1 errors under the webhook intake", () => {
  it("acknowledges and journals a delivery during the outage, then processes and copies it exactly once", async () => {
    const stub = intakeStub(env, "demo-telegram");
    const update = JSON.stringify({
      update_id: 990001,
      message: {
        message_id: 77,
        date: 1700000000,
        chat: { id: 7770001, type: "private" },
        from: { id: 7770001, is_bot: false, first_name: "Outage" },
        text: "sent while D1 is down",
      },
    });
    const post = () =>
      call("/webhooks/telegram/demo-telegram", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "dev-telegram-secret" },
        body: update,
      });
    await runInDurableObject(stub, (o: InboxIntake) => {
      o["env"] = { ...env, DB: brokenD1 };
    });
    try {
      const res = await post();
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: 1, duplicates: 0 });
      // Processing and the D1 copy fail; the journal keeps the event for a retry.
      const st = await stub.settle();
      expect(st.failed).toBe(1);
      expect(st.unmirrored).toBeGreaterThan(0);
      // A redelivery during the outage is still recognised.
      expect(await (await post()).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    } finally {
      await runInDurableObject(stub, (o: InboxIntake) => {
        o["env"] = env;
      });
    }
    // D1 is back and the retry falls due: the alarm processes it and copies the journal.
    await runInDurableObject(stub, (_o: InboxIntake, state) => {
      state.storage.sql.exec(`UPDATE events SET next_at = 0 WHERE status = 'failed'`);
    });
    await runDurableObjectAlarm(stub);
    expect(await stub.settle()).toMatchObject({ failed: 0, unmirrored: 0 });
    const events = await rawDb(env.DB)
      .select()
      .from(schema.inboundEvents)
      .where(eq(schema.inboundEvents.channelMessageId, "7770001:77"))
      .all();
    expect(events.map((e) => e.status)).toEqual(["processed"]);
    const messages = await rawDb(env.DB)
      .select()
      .from(schema.messages)
      .where(eq(schema.messages.channelMessageId, "7770001:77"))
      .all();
    expect(messages.map((m) => m.content)).toEqual(["sent while D1 is down"]);
  });
});

describe("a queue consumer that throws", () => {
  it("retries with a delay, then the dead-letter consumer records it and marks the reply failed", async () => {
    const s = await ownedByOperator();
    const messageId = await runInDurableObject(roomStub(env, s.conversationId), async (room: ConversationRoom) => {
      await room.meta();
      const { message } = await room["append"]({
        type: "outgoing",
        senderType: "bot",
        senderId: null,
        senderName: "Assistant",
        content: "reply to deliver",
        deliveryStatus: "pending",
      });
      return message.id;
    });
    const body = {
      kind: "deliver",
      workspaceId: DEMO_WORKSPACE_ID,
      conversationId: s.conversationId,
      messageId,
      inboxId: "demo-telegram",
      channel: "telegram",
      threadKey: "555000111",
      text: "reply to deliver",
      attempt: 0,
    };
    vi.spyOn(globalThis, "fetch").mockImplementation(() => Promise.reject(new TypeError("network down")));
    const qid = `qm-fault-${Date.now()}`;
    const batch = createMessageBatch("omnisupport-outbound", [{ id: qid, timestamp: new Date(), attempts: 1, body }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([qid]);
    expect(result.explicitAcks).toEqual([]);

    // After max_retries the runtime moves it to the DLQ, whose consumer records it.
    const dlq = createMessageBatch("omnisupport-outbound-dlq", [{ id: qid, timestamp: new Date(), attempts: 6, body }]);
    const ctx2 = createExecutionContext();
    await worker.queue(dlq, env, ctx2);
    expect((await getQueueResult(dlq, ctx2)).explicitAcks).toEqual([qid]);
    const letters = await call("/api/dead-letters", { token: await loginAdmin() });
    expect(letters.status).toBe(200);
    expect(JSON.stringify(await letters.json())).toContain(messageId);
    const snap = await snapshot(s.conversationId);
    const delivery = await rawDb(env.DB).select().from(schema.messages).where(eq(schema.messages.id, messageId)).get();
    expect(delivery?.deliveryStatus ?? snap.messages.find((m) => m.id === messageId)?.type).toBe("failed");
  });
});

/** A provider that never answers until its AbortSignal fires. */
class HangingProvider implements ChatProvider {
  readonly id = "openai-compatible";
  calls = 0;
  chat(req: ChatRequest): Promise<ChatResponse> {
    this.calls++;
    return new Promise((_resolve, reject) => {
      req.signal?.addEventListener("abort", () => reject(new ProviderError(this.id, "timed out", { retryable: true })));
    });
  }
}

describe("a provider that times out", () => {
  it("is retried within its budget, then the fallback provider answers", async () => {
    const hanging = new HangingProvider();
    const started = Date.now();
    const { response, attempts } = await chatWithFallback(
      [
        { provider: hanging, model: "slow-model" },
        { provider: new LocalProvider(), model: "local-answer-v1" },
      ],
      { model: "slow-model", messages: [{ role: "user", content: "Where is my box?" }] },
      { retries: 1, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 100 },
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hanging.calls).toBe(2);
    expect(attempts.filter((a) => !a.ok).map((a) => a.provider)).toEqual(["openai-compatible", "openai-compatible"]);
    expect(response.provider).toBe("local");
  });
});
