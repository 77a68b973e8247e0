/**
 * Helpers for the knowledge integration tests: fixtures as bytes (workerd cannot read
 * the file system, so they are inlined by Vite), uploads through the API, and a
 * captured ingest queue that the tests drain through the real consumer, one message
 * per batch as in production (max_batch_size = 1).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { ingestQueue, type IngestMessage } from "../../../workers/knowledge/messages.ts";
import { handleIngestBatch } from "../../../workers/queues/ingest.ts";
import type { RetrievedPassage } from "../../../workers/knowledge/types.ts";
import { call } from "../helpers.ts";

/** Bytes of a `data:…;base64,` URL. */
export function dataUrlBytes(dataUrl: string): Uint8Array {
  const base64 = dataUrl.slice(dataUrl.indexOf(",") + 1);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Messages sent to the ingest queue since `captureIngestQueue()`; drained by `drain`. */
export interface CapturedQueue {
  pending: IngestMessage[];
  processed: IngestMessage[];
}

/** Replaces the producer so messages are kept for the test instead of the local queue. */
export function captureIngestQueue(): CapturedQueue {
  const q: CapturedQueue = { pending: [], processed: [] };
  vi.spyOn(ingestQueue, "send").mockImplementation(async (_env, message) => {
    q.pending.push(message);
  });
  return q;
}

let sequence = 0;

/** Runs one message through the consumer; returns the queue result. */
export async function deliver(body: unknown, attempts = 1) {
  const batch = createMessageBatch("omnisupport-ingest", [
    { id: `msg-${++sequence}`, timestamp: new Date(), attempts, body },
  ]);
  const ctx = createExecutionContext();
  await handleIngestBatch(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** Delivers captured messages (and the ones they chain) until none is left; every one must be acked. */
export async function drain(q: CapturedQueue, limit = 500): Promise<number> {
  let count = 0;
  for (let message = q.pending.shift(); message !== undefined; message = q.pending.shift()) {
    const result = await deliver(message);
    expect(result.retryMessages, JSON.stringify(message)).toEqual([]);
    q.processed.push(message);
    if (++count > limit) throw new Error("ingest chain does not end");
  }
  return count;
}

/** POST /api/knowledge/documents with a multipart body. */
export function upload(
  token: string,
  name: string,
  bytes: Uint8Array | string,
  fields: Record<string, string> = {},
  type = "",
): Promise<Response> {
  const form = new FormData();
  form.set("file", new File([typeof bytes === "string" ? bytes : Uint8Array.from(bytes)], name, { type }));
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return call("/api/knowledge/documents", { method: "POST", token, body: form });
}

export interface DocumentOut {
  id: string;
  title: string;
  status: string;
  progress: number;
  error: string | null;
  chunkCount: number;
  kind: string;
  source: string;
}

/** A search hit as the API returns it: the retrieval module's passage. */
export type PassageOut = RetrievedPassage;

export async function search(token: string, q: string, category?: string): Promise<PassageOut[]> {
  const params = new URLSearchParams({ q });
  if (category !== undefined) params.set("category", category);
  const res = await call(`/api/knowledge/search?${params}`, { token });
  expect(res.status).toBe(200);
  const body: { items: PassageOut[] } = await res.json();
  return body.items;
}

export async function getDocument(
  token: string,
  id: string,
): Promise<{ document: DocumentOut; chunks: Array<{ id: string; text: string }> }> {
  const res = await call(`/api/knowledge/documents/${id}`, { token });
  expect(res.status).toBe(200);
  return res.json();
}

/** Uploads a file and checks the 202; returns the queued document. */
export async function uploadOk(
  token: string,
  name: string,
  bytes: Uint8Array | string,
  fields: Record<string, string> = {},
): Promise<DocumentOut> {
  const res = await upload(token, name, bytes, fields);
  expect(res.status, await res.clone().text()).toBe(202);
  const body: { document: DocumentOut } = await res.json();
  expect(body.document.status).toBe("queued");
  return body.document;
}
