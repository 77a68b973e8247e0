/** Placeholder consumer: retries everything until the real consumer lands. */
export async function handleIngestBatch(batch: MessageBatch<unknown>, _env: Env, _ctx: ExecutionContext): Promise<void> {
  batch.retryAll();
}
