/**
 * Dead letters. Messages land here two ways: the outbound consumer gives up at once on
 * a permanent failure, and Cloudflare moves a message to `<queue>-dlq` after the queue's
 * retry budget, whose consumer is `handleDeadLetterBatch`. Either way the body is kept in
 * D1 `dead_letters` (admins list and replay it, see workers/api/channels.ts) and an
 * undeliverable reply is marked failed in its conversation, so nothing is silently lost.
 */
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { roomOf } from "../services/data-location.ts";

/** Workspace recorded for a body that names none (still visible to operators of the platform). */
export const UNATTRIBUTED_WORKSPACE = "unattributed";

/** The queue a dead letter came from: `<queue>-dlq` is recorded as `<queue>` so replay goes back there. */
export function originQueue(queue: string): string {
  return queue.endsWith("-dlq") ? queue.slice(0, -"-dlq".length) : queue;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a dead letter records. */
export interface DeadLetterInput {
  queue: string;
  /** The queue message id; redelivery of the same message records one row. */
  messageId: string;
  body: unknown;
  error: string;
  attempts: number;
}

/** Insert one dead letter (idempotent per queue message). */
export async function recordDeadLetter(env: Env, d: DeadLetterInput): Promise<void> {
  const body = isRecord(d.body) ? d.body : { value: d.body };
  const workspaceId =
    typeof body.workspaceId === "string" && body.workspaceId ? body.workspaceId : UNATTRIBUTED_WORKSPACE;
  await rawDb(env.DB)
    .insert(schema.deadLetters)
    .values({
      id: `dl_${d.messageId}`.slice(0, 120),
      workspaceId,
      queue: originQueue(d.queue),
      body,
      error: d.error.slice(0, 1000),
      attempts: d.attempts,
    })
    .onConflictDoNothing();
}

/** Mark an undeliverable reply failed: in the room (operators see it live) and in D1 with the reason. */
export async function markDeliveryFailed(
  env: Env,
  target: { workspaceId: string; conversationId: string; messageId: string },
  error: string,
): Promise<void> {
  await (await roomOf(env, target.workspaceId, target.conversationId)).delivery(target.messageId, "failed");
  const tdb = new TenantDb(rawDb(env.DB), target.workspaceId);
  await tdb.update(schema.messages, { deliveryError: error.slice(0, 500) }, eq(schema.messages.id, target.messageId));
}

function deliverTarget(body: unknown): { workspaceId: string; conversationId: string; messageId: string } | null {
  if (!isRecord(body) || body.kind !== "deliver") return null;
  const { workspaceId, conversationId, messageId } = body;
  return typeof workspaceId === "string" && typeof conversationId === "string" && typeof messageId === "string"
    ? { workspaceId, conversationId, messageId }
    : null;
}

/** Consumer of every `*-dlq` queue. */
export async function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    try {
      const error = "retry budget exhausted";
      await recordDeadLetter(env, {
        queue: batch.queue,
        messageId: msg.id,
        body: msg.body,
        error,
        attempts: msg.attempts,
      });
      const target = deliverTarget(msg.body);
      if (target) await markDeliveryFailed(env, target, error);
      msg.ack();
    } catch (err) {
      // D1 or the room is unavailable; DLQ messages can be retried like any other.
      console.error("dead-letter consumer failed", err instanceof Error ? err.message : "unknown");
      msg.retry();
    }
  }
}
