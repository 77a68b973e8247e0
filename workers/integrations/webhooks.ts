/**
 * Outgoing workspace webhooks: events (conversation created/assigned/resolved, message
 * created, CSAT received, action executed, flow completed) become one delivery row per
 * subscribed endpoint (the exact JSON body is stored before anything is queued), then a
 * queue job per delivery. The consumer signs the stored body with the endpoint's secret:
 * `X-OmniSupport-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
 * posts it through the outbound-URL policy, logs every attempt's response code, and
 * retries 408/429/5xx and network failures with exponential backoff; other 4xx fail at
 * once. A manual redelivery re-queues the same body under a fresh timestamp.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { hmacSha256Hex, utf8 } from "../channels/common/crypto.ts";
import { nextRetryDelayMs, type RetryPolicy } from "../channels/common/retry.ts";
import { timingSafeEqualBytes } from "../lib/encoding.ts";
import { newId } from "../lib/ids.ts";
import { decryptSecret } from "../lib/secrets.ts";
import { getConfig } from "../lib/config.ts";
import { safeFetch } from "../lib/outbound-url.ts";
import type { WebhookEventType } from "../protocol/flows.ts";

const SIGNATURE_HEADER = "X-OmniSupport-Signature";
/** Receivers should refuse signatures older than this (replay window). */
export const REPLAY_WINDOW_SECONDS = 300;
/** Attempts before a delivery is marked failed (the queue's max_retries is set above this). */
export const MAX_ATTEMPTS = 8;
/** Exponential from 10 s, capped at 1 h, full jitter: 8 attempts span roughly an hour or two. */
export const WEBHOOK_RETRY_POLICY: RetryPolicy = { baseMs: 10_000, maxMs: 60 * 60_000, jitter: "full" };
const MAX_RESPONSE_BYTES = 64 * 1024;
const TIMEOUT_MS = 10_000;

export const WebhookJob = z.object({
  kind: z.literal("webhook"),
  workspaceId: z.string().min(1),
  deliveryId: z.string().min(1),
});
export type WebhookJob = z.infer<typeof WebhookJob>;

/** The signature header value for `body` at unix second `t`. */
export async function signatureHeader(secret: string, body: string, t: number): Promise<string> {
  return `t=${t},v1=${await hmacSha256Hex(secret, utf8(`${t}.${body}`))}`;
}

/** What a receiver does: parse the header, check the window, compare in constant time. */
export async function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  windowSeconds = REPLAY_WINDOW_SECONDS,
): Promise<boolean> {
  const parts = new Map(
    header.split(",").map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1");
  if (!Number.isInteger(t) || !v1 || Math.abs(nowSeconds - t) > windowSeconds) return false;
  const expected = await hmacSha256Hex(secret, utf8(`${t}.${body}`));
  return timingSafeEqualBytes(utf8(expected), utf8(v1));
}

/** A fresh endpoint secret (shown once at creation). */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Active endpoints per workspace, cached briefly so the room's per-message check costs no D1 read. */
const endpointCache = new Map<string, { at: number; hooks: Array<{ id: string; events: string[] }> }>();
const CACHE_MS = 15_000;

export function forgetWebhookCache(workspaceId: string): void {
  endpointCache.delete(workspaceId);
}

async function endpointsFor(env: Env, workspaceId: string, now: number) {
  const hit = endpointCache.get(workspaceId);
  if (hit && now - hit.at < CACHE_MS) return hit.hooks;
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const rows = await tdb.select(schema.outgoingWebhooks, eq(schema.outgoingWebhooks.active, true));
  const hooks = rows.map((r) => ({ id: r.id, events: r.events }));
  endpointCache.set(workspaceId, { at: now, hooks });
  return hooks;
}

/**
 * Records one event for every endpoint subscribed to it and queues the deliveries.
 * Returns how many were queued. The body is `{id, type, createdAt, data}`.
 */
export async function emitWebhookEvent(
  env: Env,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  now = Date.now(),
): Promise<number> {
  const hooks = (await endpointsFor(env, workspaceId, now)).filter((h) => h.events.includes(type));
  if (hooks.length === 0) return 0;
  const eventId = newId("evt");
  const body = JSON.stringify({ id: eventId, type, createdAt: now, data });
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const rows = hooks.map((h) => ({
    id: newId("whd"),
    webhookId: h.id,
    eventId,
    eventType: type,
    body,
    createdAt: now,
  }));
  await tdb.insert(schema.webhookDeliveries, rows);
  await env.WEBHOOK_QUEUE.sendBatch(
    rows.map((r) => ({ body: { kind: "webhook", workspaceId, deliveryId: r.id } satisfies WebhookJob })),
  );
  return rows.length;
}

export type AttemptResult = { done: true } | { done: false; retryInMs: number };

/** One delivery attempt: sign, send, log. `attempt` is 0-based. */
export async function deliverWebhook(
  env: Env,
  job: WebhookJob,
  attempt: number,
  now = Date.now(),
): Promise<AttemptResult> {
  const tdb = new TenantDb(rawDb(env.DB), job.workspaceId);
  const d = schema.webhookDeliveries;
  const delivery = await tdb.first(d, eq(d.id, job.deliveryId));
  if (!delivery || delivery.status === "delivered") return { done: true };
  const hook = await tdb.first(schema.outgoingWebhooks, eq(schema.outgoingWebhooks.id, delivery.webhookId));
  if (!hook || !hook.active) {
    await tdb.update(d, { status: "failed", lastError: "The endpoint was deleted or disabled" }, eq(d.id, delivery.id));
    return { done: true };
  }
  const config = getConfig(env);
  const secret = await decryptSecret(hook.secretEnc, config.decryptionKeys);
  const t = Math.floor(now / 1000);
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await safeFetch(
      hook.url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "OmniSupport-Webhooks/1",
          [SIGNATURE_HEADER]: await signatureHeader(secret, delivery.body, t),
          "X-OmniSupport-Event": delivery.eventType,
          "X-OmniSupport-Delivery": delivery.id,
        },
        body: delivery.body,
      },
      {
        allowLoopback: !config.production && env.ENVIRONMENT === "development",
        maxBytes: MAX_RESPONSE_BYTES,
        timeoutMs: TIMEOUT_MS,
      },
    );
    status = res.status;
    if (status >= 300) error = `HTTP ${status}`;
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : "Request failed";
  }
  const delivered = status !== null && status >= 200 && status < 300;
  const retryable = !delivered && (status === null || status === 408 || status === 429 || status >= 500);
  const attempts = delivery.attempts + 1;
  const final = delivered || !retryable || attempt + 1 >= MAX_ATTEMPTS;
  const retryInMs = final ? 0 : nextRetryDelayMs(attempt, WEBHOOK_RETRY_POLICY);
  await tdb.update(
    d,
    {
      attempts,
      lastStatusCode: status,
      lastError: error,
      status: delivered ? "delivered" : final ? "failed" : "pending",
      deliveredAt: delivered ? now : null,
      nextAttemptAt: final ? null : now + retryInMs,
      log: [...delivery.log, { at: now, status, error }].slice(-20),
    },
    and(eq(d.id, delivery.id)) ?? eq(d.id, delivery.id),
  );
  return final ? { done: true } : { done: false, retryInMs };
}

/** Queue consumer for `omnisupport-webhooks`. */
export async function handleWebhookBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const job = WebhookJob.safeParse(msg.body);
    if (!job.success) {
      msg.ack();
      continue;
    }
    try {
      const r = await deliverWebhook(env, job.data, msg.attempts - 1);
      if (r.done) msg.ack();
      else msg.retry({ delaySeconds: Math.max(1, Math.ceil(r.retryInMs / 1000)) });
    } catch {
      msg.retry({ delaySeconds: 30 });
    }
  }
}
