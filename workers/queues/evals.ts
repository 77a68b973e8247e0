/**
 * Consumer of `omnisupport-evals`: one message = one slice of an eval run (see
 * workers/evals/runs.ts). Malformed messages are dropped; a slice that failed is retried
 * with the delay the run asked for (provider back-off), and the last attempt pauses the
 * run rather than dead-lettering it, so its finished cases stay counted.
 */
import { EvalBatchMessage, processEvalBatch, type BatchHooks } from "../evals/runs.ts";

export async function handleEvalBatch(batch: MessageBatch<unknown>, env: Env, hooks: BatchHooks = {}): Promise<void> {
  for (const message of batch.messages) {
    const parsed = EvalBatchMessage.safeParse(message.body);
    if (!parsed.success) {
      console.error("evals: malformed message dropped", message.id);
      message.ack();
      continue;
    }
    try {
      const outcome = await processEvalBatch(env, parsed.data, message.attempts, hooks);
      if (outcome.kind === "ack") message.ack();
      else message.retry({ delaySeconds: outcome.delaySeconds });
    } catch (err) {
      console.error("evals: slice failed", err instanceof Error ? err.message : "unknown");
      message.retry({ delaySeconds: 5 * message.attempts });
    }
  }
}
