import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_WIDGET_KEY } from "../../workers/db/seed/demo.ts";
import { BASE, loginAdmin, seedDemo } from "../workers/helpers.ts";

beforeAll(seedDemo);

/** A chunked body (no Content-Length) of `total` bytes produced lazily; `sent()` tells how much was pulled. */
function chunked(total: number, first = new Uint8Array(0)) {
  let produced = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced === 0 && first.length > 0) {
        produced += first.length;
        controller.enqueue(first);
        return;
      }
      if (produced >= total) return controller.close();
      produced += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, sent: () => produced };
}

async function count(sql: string): Promise<number> {
  return (await env.DB.prepare(sql).first<{ n: number }>())?.n ?? 0;
}

const MB = 1024 * 1024;

describe("item 12: bodies are limited on the stream, before anything reads them", () => {
  it("refuses a chunked 100 MB document upload without reading it all", async () => {
    const admin = await loginAdmin();
    const docs = await count("SELECT count(*) AS n FROM knowledge_documents");
    const body = chunked(100 * MB);
    const res = await SELF.fetch(`${BASE}/api/knowledge/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "multipart/form-data; boundary=x" },
      body: body.stream,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(body.sent()).toBeLessThan(40 * MB);
    expect(await count("SELECT count(*) AS n FROM knowledge_documents")).toBe(docs);
  });

  it("refuses a chunked 100 MB webhook body before the signature is checked", async () => {
    const body = chunked(100 * MB, new TextEncoder().encode('{"update_id":1,"message":{"text":"'));
    const res = await SELF.fetch(`${BASE}/webhooks/telegram/demo-telegram`, {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": "dev-telegram-secret", "content-type": "application/json" },
      body: body.stream,
    });
    expect(res.status).toBe(413);
    expect(body.sent()).toBeLessThan(10 * MB);
  });

  it("refuses a 50 MB JSON session body, creating no contact", async () => {
    const contacts = await count("SELECT count(*) AS n FROM contacts");
    const padding = "x".repeat(50 * MB);
    const res = await SELF.fetch(`${BASE}/api/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ widgetKey: DEMO_WIDGET_KEY, name: padding }),
    });
    expect(res.status).toBe(413);
    expect(await count("SELECT count(*) AS n FROM contacts")).toBe(contacts);
    const small = await SELF.fetch(`${BASE}/api/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ widgetKey: DEMO_WIDGET_KEY }),
    });
    expect(small.status).toBe(200);
  });
});
