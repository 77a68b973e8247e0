/**
 * Consumer of `omnisupport-evals`: one message = one slice of an eval run (see
 * workers/evals/runs.ts). Malformed messages are dropped; a slice that failed is retried
 * with the delay the run asked for (provider back-off), and the last attempt pauses the
 * run rather than dead-lettering it, so its finished cases stay counted.
 */
import { EvalBatchMessage, EVAL_GIVE_UP_ATTEMPTS, pauseRun, processEvalBatch, type BatchHooks } from "../evals/runs.ts";
import { handleDeadLetterBatch } from "./dead-letter.ts";

export async function handleEvalBatch(batch: MessageBatch<unknown>, env: Env, hooks: BatchHooks = {}): Promise<void> {
  // Slices of a delivery run side by side: a case waits on D1 and the judge far more than on CPU.
  await Promise.all(batch.messages.map((message) => handleOne(message, env, hooks)));
}

async function handleOne(message: Message<unknown>, env: Env, hooks: BatchHooks): Promise<void> {
  const parsed = EvalBatchMessage.safeParse(message.body);
  if (!parsed.success) {
    console.error("evals: malformed message dropped", message.id);
    message.ack();
    return;
  }
  try {
    const outcome = await processEvalBatch(env, parsed.data, message.attempts, hooks);
    if (outcome.kind === "ack") message.ack();
    else message.retry({ delaySeconds: outcome.delaySeconds });
  } catch (err) {
    const reason = err instanceof Error ? err.message.slice(0, 200) : "unknown";
    console.error("evals: slice failed", parsed.data.runId, parsed.data.from, reason);
    if (message.attempts < EVAL_GIVE_UP_ATTEMPTS) return message.retry({ delaySeconds: 5 * message.attempts });
    // Out of retries: the run pauses with its finished cases kept; resume re-enqueues what is left.
    await pauseRun(env, parsed.data, `a slice failed ${message.attempts} times: ${reason}`).catch(() => undefined);
    message.ack();
  }
}

/** `omnisupport-evals-dlq`: a slice that still reached the dead-letter queue pauses its run, then is recorded. */
export async function handleEvalDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const m of batch.messages) {
    const parsed = EvalBatchMessage.safeParse(m.body);
    if (parsed.success)
      await pauseRun(env, parsed.data, "a slice reached the dead-letter queue").catch(() => undefined);
  }
  await handleDeadLetterBatch(batch, env);
}
