/**
 * Queue consumers, dispatched by queue name. Each consumer acks what it handled and
 * retries the rest; after max_retries Cloudflare moves a message to the dead-letter
 * queue, whose consumer records it in D1 for admins to inspect and replay.
 */
import { handleOutboundBatch } from "./outbound.ts";
import { handleIngestBatch } from "./ingest.ts";
import { handleDeadLetterBatch } from "./dead-letter.ts";
import { handleEvalBatch } from "./evals.ts";
import { handleWebhookBatch } from "../integrations/webhooks.ts";

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const q = batch.queue;
  if (q.endsWith("-dlq")) return handleDeadLetterBatch(batch, env);
  if (q.startsWith("omnisupport-outbound")) return handleOutboundBatch(batch, env, ctx);
  if (q.startsWith("omnisupport-ingest")) return handleIngestBatch(batch, env, ctx);
  if (q.startsWith("omnisupport-evals")) return handleEvalBatch(batch, env);
  if (q.startsWith("omnisupport-webhooks")) return handleWebhookBatch(batch, env);
  batch.ackAll();
}
