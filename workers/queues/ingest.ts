/**
 * Consumer of `omnisupport-ingest`: one message = one small step (parse a document,
 * embed one slice of its chunks, or crawl one source); a step that has more to do
 * queues the next message instead of doing it here, so a 200-page PDF is many short
 * invocations. Outcomes:
 * - done / skipped (stale or duplicate message) / unreadable document (status "failed"
 *   with the parser's reason): ack, never retried;
 * - anything else (D1, R2, the embedding provider): retry with backoff, and on the
 *   last attempt mark the document failed so it is not left "embedding" forever.
 */
import { eq } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { runCrawl } from "../knowledge/crawl-job.ts";
import { tenantDb } from "../knowledge/documents.ts";
import { markFailed, runIngestStep } from "../knowledge/ingest.ts";
import { IngestMessage, ingestQueue } from "../knowledge/messages.ts";

/** wrangler.toml gives the ingest consumer max_retries = 3: the third failure gives up. */
export const INGEST_GIVE_UP_ATTEMPTS = 3;

export async function handleIngestBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  for (const message of batch.messages) {
    const parsed = IngestMessage.safeParse(message.body);
    if (!parsed.success) {
      // A malformed message will never become valid: drop it instead of looping.
      console.error("ingest: malformed message dropped", message.id);
      message.ack();
      continue;
    }
    try {
      await handleOne(env, parsed.data);
      message.ack();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (message.attempts >= INGEST_GIVE_UP_ATTEMPTS) {
        await giveUp(env, parsed.data, `ingestion failed after ${message.attempts} attempts: ${reason}`);
        message.ack();
      } else {
        console.warn("ingest: step failed, retrying", parsed.data.type, reason);
        message.retry({ delaySeconds: 15 * message.attempts });
      }
    }
  }
}

async function handleOne(env: Env, message: IngestMessage): Promise<void> {
  if (message.type === "crawl") {
    const result = await runCrawl(env, message.workspaceId, message.sourceId);
    console.log(
      "ingest: crawl",
      message.sourceId,
      result === null ? "source deleted" : JSON.stringify({ ...result, skipped: result.skipped.length }),
    );
    return;
  }
  const outcome = await runIngestStep(env, message);
  console.log("ingest:", outcome.step, message.documentId, outcome.status, outcome.chunks, outcome.reason ?? "");
  if (outcome.next !== null) await ingestQueue.send(env, outcome.next);
}

async function giveUp(env: Env, message: IngestMessage, reason: string): Promise<void> {
  const tdb = tenantDb(env, message.workspaceId);
  if (message.type === "crawl") {
    const c = schema.crawlSources;
    await tdb.update(c, { lastResult: { error: reason.slice(0, 500) } }, eq(c.id, message.sourceId));
  } else {
    await markFailed(tdb, message.documentId, reason);
  }
}
