/**
 * Outgoing webhooks end to end inside workerd: an event becomes a stored delivery and a
 * queue job; the consumer signs the exact body (verified here as a receiver would), logs
 * each attempt's response code, retries 5xx with a backoff delay, fails 4xx at once, and a
 * manual redelivery sends the same body again under a fresh signature.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../../workers/index.ts";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { emitWebhookEvent, verifySignature, WebhookJob } from "../../../workers/integrations/webhooks.ts";
import { call, loginAdmin, seedDemo } from "../helpers.ts";

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => vi.restoreAllMocks());

let n = 0;
async function runJob(body: WebhookJob, attempts = 1) {
  const batch = createMessageBatch("omnisupport-webhooks", [
    { id: `wh-${++n}`, timestamp: new Date(), attempts, body },
  ]);
  const message = batch.messages[0];
  if (!message) throw new Error("empty batch");
  const delays: Array<number | undefined> = [];
  const original = message.retry.bind(message);
  vi.spyOn(message, "retry").mockImplementation((o?: QueueRetryOptions) => {
    delays.push(o?.delaySeconds);
    original(o);
  });
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { result: await getQueueResult(batch, ctx), delays };
}

async function endpoint(url: string, events: string[]) {
  const res = await call("/api/webhooks", { method: "POST", token: admin, json: { url, events } });
  expect(res.status).toBe(201);
  const body: { id: string; secret: string } = await res.json();
  return body;
}

/** The first job of the first sendBatch call, parsed as the consumer would. */
function firstJob(calls: Array<[Iterable<MessageSendRequest<unknown>>, ...unknown[]]>): WebhookJob {
  const first = calls[0];
  const req = first ? [...first[0]][0] : undefined;
  return WebhookJob.parse(req?.body);
}

function captureFetch(statuses: number[]) {
  const seen: Array<{ url: string; body: string; signature: string | null }> = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push({ url: req.url, body: await req.text(), signature: req.headers.get("X-OmniSupport-Signature") });
    return new Response("ok", { status: statuses.shift() ?? 200 });
  });
  return seen;
}

describe("outgoing webhooks", () => {
  it("signs the stored body, retries a 500 with backoff, logs both codes, then delivers", async () => {
    const hook = await endpoint("https://receiver.example.com/a", ["flow.completed"]);
    const sent = vi.spyOn(env.WEBHOOK_QUEUE, "sendBatch");
    const count = await emitWebhookEvent(
      env,
      DEMO_WORKSPACE_ID,
      "flow.completed",
      { flowId: "f1", outcome: "ended" },
      Date.now() + 20_000,
    );
    expect(count).toBe(1);
    const job = firstJob(sent.mock.calls);

    const seen = captureFetch([500, 200]);
    const first = await runJob(job, 1);
    expect(first.result.retryMessages).toHaveLength(1);
    expect(first.delays[0]).toBeGreaterThanOrEqual(1);
    const second = await runJob(job, 2);
    expect(second.result.explicitAcks).toHaveLength(1);

    expect(seen).toHaveLength(2);
    const [a, b] = seen;
    if (!a || !b) throw new Error("missing requests");
    expect(a.body).toBe(b.body);
    const payload: { id: string; type: string; createdAt: number; data: Record<string, unknown> } = JSON.parse(a.body);
    expect(payload).toMatchObject({ type: "flow.completed", data: { flowId: "f1", outcome: "ended" } });
    const now = Math.floor(Date.now() / 1000);
    expect(await verifySignature(hook.secret, a.signature ?? "", a.body, now)).toBe(true);
    expect(await verifySignature(hook.secret, a.signature ?? "", `${a.body} `, now)).toBe(false);
    expect(await verifySignature("whsec_other", a.signature ?? "", a.body, now)).toBe(false);
    expect(await verifySignature(hook.secret, a.signature ?? "", a.body, now + 3600)).toBe(false);

    const log: {
      items: Array<{ status: string; attempts: number; lastStatusCode: number; log: Array<{ status: number }> }>;
    } = await (await call(`/api/webhooks/${hook.id}/deliveries`, { token: admin })).json();
    expect(log.items[0]).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200 });
    expect(log.items[0]?.log.map((l) => l.status)).toEqual([500, 200]);
  });

  it("fails a 4xx at once, and redelivers on request with a fresh signature", async () => {
    const hook = await endpoint("https://receiver.example.com/b", ["message.created"]);
    const sent = vi.spyOn(env.WEBHOOK_QUEUE, "sendBatch");
    await emitWebhookEvent(env, DEMO_WORKSPACE_ID, "message.created", { messageId: "m1" }, Date.now() + 40_000);
    const job = firstJob(sent.mock.calls);
    captureFetch([410]);
    const r = await runJob(job);
    expect(r.result.explicitAcks).toHaveLength(1);
    const row = await rawDb(env.DB)
      .select()
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.id, job.deliveryId))
      .get();
    expect(row).toMatchObject({ status: "failed", lastStatusCode: 410 });

    const queued = vi.spyOn(env.WEBHOOK_QUEUE, "send");
    const re = await call(`/api/webhooks/${hook.id}/deliveries/${job.deliveryId}/redeliver`, {
      method: "POST",
      token: admin,
    });
    expect(re.status).toBe(200);
    expect(queued).toHaveBeenCalledWith({
      kind: "webhook",
      workspaceId: DEMO_WORKSPACE_ID,
      deliveryId: job.deliveryId,
    });
    const seen = captureFetch([202]);
    await runJob(job);
    expect(seen[0]?.body).toBe(row?.body);
    const after = await rawDb(env.DB)
      .select()
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.id, job.deliveryId))
      .get();
    expect(after).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("refuses a link-local (metadata) target and never calls it", async () => {
    const hook = await endpoint("https://receiver.example.com/c", ["csat.received"]);
    await rawDb(env.DB)
      .update(schema.outgoingWebhooks)
      .set({ url: "http://169.254.169.254/latest" })
      .where(eq(schema.outgoingWebhooks.id, hook.id));
    const sent = vi.spyOn(env.WEBHOOK_QUEUE, "sendBatch");
    await emitWebhookEvent(env, DEMO_WORKSPACE_ID, "csat.received", { score: 1 }, Date.now() + 60_000);
    const job = firstJob(sent.mock.calls);
    const seen = captureFetch([200]);
    const r = await runJob(job);
    expect(seen).toHaveLength(0);
    expect(r.result.retryMessages).toHaveLength(1);
  });
});
