/// <reference types="vite/client" />
/**
 * Test support for the channel edge in workerd. Webhook fixtures are the real payloads in
 * test/fixtures/webhooks (provenance in each folder's SOURCE.txt), imported as raw text at
 * build time (workerd has no fs). Requests go through the Worker's own fetch handler with
 * an ExecutionContext we can wait on, so the processing after the 200 is observable.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { vi } from "vitest";
import worker from "../../../workers/index.ts";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { hmacSha256Hex, utf8 } from "../../../workers/channels/common/crypto.ts";
import { intakeStub } from "../../../durable-objects/stubs.ts";

export const META_APP_SECRET = "dev-meta-app-secret";
export const META_VERIFY_TOKEN = "dev-verify-token";
export const TELEGRAM_SECRET = "dev-telegram-secret";

type Provider = "telegram" | "whatsapp" | "messenger";

const rawFixtures: Record<string, string> = import.meta.glob("../../fixtures/webhooks/*/*.json", {
  eager: true,
  query: "?raw",
  import: "default",
});

/** Every JSON fixture of a provider as [file name, exact file text]. */
export function fixtures(provider: Provider): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [path, text] of Object.entries(rawFixtures)) {
    const m = /\/webhooks\/([a-z]+)\/([^/]+\.json)$/.exec(path);
    if (m?.[1] === provider && m[2]) out.push([m[2], text]);
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}

/** One fixture's text. */
export function fixture(provider: Provider, name: string): string {
  const found = fixtures(provider).find(([n]) => n === name);
  if (!found) throw new Error(`missing fixture ${provider}/${name}`);
  return found[1];
}

/** `sha256=<hex>` over the exact body bytes, as Meta signs. */
export async function metaSignature(body: string, secret = META_APP_SECRET): Promise<string> {
  return `sha256=${await hmacSha256Hex(secret, utf8(body))}`;
}

/**
 * Let an inbox's intake object finish: process what is due, copy the journal to D1 and
 * flush the touched rooms' mirrors (production never waits for this; tests read D1).
 */
export function settleIntake(inboxId: string) {
  return intakeStub(env, inboxId).settle();
}

/** Call the Worker, wait for everything it scheduled with waitUntil and, for a webhook, for the intake. */
export async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://localhost${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  const inbox = /^\/webhooks\/[a-z]+\/([^/?]+)/.exec(path)?.[1];
  if (inbox && init.method === "POST" && res.status === 200) await settleIntake(decodeURIComponent(inbox));
  return res;
}

/** POST a Telegram update with (by default) the right secret header. */
export function postTelegram(body: string, opts: { inboxId?: string; secret?: string | null } = {}): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json" });
  const secret = opts.secret === undefined ? TELEGRAM_SECRET : opts.secret;
  if (secret !== null) headers.set("X-Telegram-Bot-Api-Secret-Token", secret);
  return send(`/webhooks/telegram/${opts.inboxId ?? "demo-telegram"}`, { method: "POST", headers, body });
}

/** POST a Meta (WhatsApp/Messenger) delivery, signed with the demo app secret unless told otherwise. */
export async function postMeta(
  channel: "whatsapp" | "messenger",
  body: string,
  opts: { signature?: string | null } = {},
): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json" });
  const signature = opts.signature === undefined ? await metaSignature(body) : opts.signature;
  if (signature !== null) headers.set("X-Hub-Signature-256", signature);
  return send(`/webhooks/${channel}/demo-${channel}`, { method: "POST", headers, body });
}

/** Rows in the intake journal and the message mirror: "nothing stored" is checked with these. */
export async function counts(): Promise<{ events: number; messages: number }> {
  const db = rawDb(env.DB);
  const events = await db
    .select({ n: sql<number>`count(*)` })
    .from(schema.inboundEvents)
    .get();
  const messages = await db
    .select({ n: sql<number>`count(*)` })
    .from(schema.messages)
    .get();
  return { events: events?.n ?? 0, messages: messages?.n ?? 0 };
}

/** Journal rows of one provider message id. */
export function eventsFor(channelMessageId: string) {
  return rawDb(env.DB)
    .select()
    .from(schema.inboundEvents)
    .where(eq(schema.inboundEvents.channelMessageId, channelMessageId))
    .all();
}

/** A recorded outbound HTTP call. */
export interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

/**
 * Replace global fetch: each call is recorded and answered by `respond` with a fresh
 * Response (a shared Response cannot cross requests in workerd).
 */
export function mockFetch(respond: (call: Call) => Response): { calls: Call[]; restore: () => void } {
  const calls: Call[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const call: Call = {
      url: req.url,
      method: req.method,
      headers: req.headers,
      body: req.method === "GET" ? "" : await req.text(),
    };
    calls.push(call);
    return respond(call);
  });
  return { calls, restore: () => spy.mockRestore() };
}

/** JSON response helper. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** JSON.parse with a type guard-free record result, for asserting request bodies. */
export function bodyOf(call: Call): Record<string, unknown> {
  const parsed: unknown = JSON.parse(call.body);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("body is not a JSON object");
  return Object.fromEntries(Object.entries(parsed));
}
