/**
 * Messages of the ingest queue and the one place that sends them. A document is
 * ingested as a chain of small messages (parse, then embed slices with a cursor) so no
 * single invocation does all the work of a large file; crawls run as their own message.
 * Tests replace `ingestQueue.send` to capture the chain and run it step by step.
 */
import { z } from "zod";

const Id = z.string().min(1).max(100);

export const IngestMessage = z.discriminatedUnion("type", [
  /** Read the original from R2, parse, chunk and store the chunks in D1. */
  z.object({ type: z.literal("parse"), workspaceId: Id, documentId: Id }),
  /** Embed and index the chunks with ordinal ≥ cursor (one slice), then chain the next. */
  z.object({ type: z.literal("embed"), workspaceId: Id, documentId: Id, cursor: z.number().int().min(0) }),
  /** Crawl one crawl source and queue the new or changed pages. */
  z.object({ type: z.literal("crawl"), workspaceId: Id, sourceId: Id }),
]);
export type IngestMessage = z.infer<typeof IngestMessage>;

/** The producer side; an object so tests can spy on `send`. */
export const ingestQueue = {
  async send(env: Pick<Env, "INGEST_QUEUE">, message: IngestMessage): Promise<void> {
    await env.INGEST_QUEUE.send(message);
  },
};
