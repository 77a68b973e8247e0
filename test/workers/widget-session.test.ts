/**
 * Which conversation a widget session lands in. An identified customer's new session
 * after their last conversation was resolved starts a fresh conversation (a new question,
 * answered by the bot), while the same session (its visitor token) stays on its thread.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDENTITY_SECRET } from "../../workers/db/seed/demo.ts";
import { hmacSha256, toHex } from "../../workers/lib/encoding.ts";
import { call, seedDemo } from "./helpers.ts";

interface Session {
  conversationId: string;
  visitorToken: string;
}

async function session(body: Record<string, unknown>): Promise<Session> {
  const res = await call("/api/widget/session", { method: "POST", json: { widgetKey: "demo-widget-key", ...body } });
  expect(res.status).toBe(200);
  return res.json();
}

const identity = async (email: string) => ({
  email,
  name: "Returning Customer",
  hash: toHex(await hmacSha256(DEMO_IDENTITY_SECRET, email)),
});

beforeAll(seedDemo);

describe("widget sessions of an identified customer", () => {
  it("continue an open conversation, and start a new one once it is resolved", async () => {
    const email = "returning.customer@example.com";
    const first = await session({ identity: await identity(email) });
    const again = await session({ identity: await identity(email) });
    expect(again.conversationId).toBe(first.conversationId);

    await env.DB.prepare("UPDATE conversations SET status = 'resolved' WHERE id = ?").bind(first.conversationId).run();
    // The same session keeps its own (resolved) conversation: a reply there reopens it.
    const resumed = await session({ visitorToken: first.visitorToken });
    expect(resumed.conversationId).toBe(first.conversationId);
    // A new session is a new question.
    const next = await session({ identity: await identity(email) });
    expect(next.conversationId).not.toBe(first.conversationId);
    const rows = await env.DB.prepare("SELECT id, status FROM conversations WHERE thread_key = ? ORDER BY created_at")
      .bind(`email:${email}`)
      .all<{ id: string; status: string }>();
    expect(rows.results.map((r) => r.status)).toEqual(["resolved", "open"]);
  });
});
