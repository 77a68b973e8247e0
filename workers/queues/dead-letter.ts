/** Placeholder dead-letter consumer. */
export async function handleDeadLetterBatch(batch: MessageBatch<unknown>, _env: Env): Promise<void> {
  batch.retryAll();
}
