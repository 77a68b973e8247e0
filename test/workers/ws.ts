/** Real websockets into the Worker (and through it into the Durable Objects) for tests. */
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { rawDb, TenantDb } from "../../workers/db/client.ts";
import { getConfig } from "../../workers/lib/config.ts";
import { verifyVisitorToken } from "../../workers/lib/tokens.ts";
import { startVisitorConversation } from "../../workers/services/widget-visitors.ts";
import { call } from "./helpers.ts";

export interface TestSocket {
  ws: WebSocket;
  frames: Array<Record<string, unknown>>;
  send(frame: unknown): void;
  /** Resolves with the first frame (after `from`) matching the predicate. */
  next(pred: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

export async function openSocket(path: string): Promise<TestSocket> {
  const res = await SELF.fetch(`http://localhost${path}`, { headers: { Upgrade: "websocket" } });
  const ws = res.webSocket;
  if (!ws) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  ws.accept();
  const frames: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    pred: (f: Record<string, unknown>) => boolean;
    resolve: (f: Record<string, unknown>) => void;
    seen: number;
  }> = [];
  ws.addEventListener("message", (e) => {
    const f = JSON.parse(String(e.data)) as Record<string, unknown>;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  return {
    ws,
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    next(pred, timeoutMs = 5000) {
      const found = frames.find(pred);
      if (found) {
        frames.splice(frames.indexOf(found), 1);
        return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (f: Record<string, unknown>) => {
            clearTimeout(t);
            frames.splice(frames.indexOf(f), 1);
            resolve(f);
          },
          seen: 0,
        };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`timed out waiting for frame; got ${JSON.stringify(frames.slice(-5))}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    close: () => ws.close(),
  };
}

export interface WidgetSession {
  visitorId: string;
  visitorToken: string;
  conversationId: string;
  socketPath: string;
}

/**
 * A widget session whose conversation has started. A session alone writes nothing (the
 * room creates the contact and conversation rows at the visitor's first message); most
 * tests need the rows without a first message (an operator takes the conversation before
 * the customer writes, so the bot stays out), so this creates them the way the room does.
 * `{ started: false }` leaves the conversation reserved only.
 */
export async function widgetSession(
  body: Record<string, unknown> = {},
  opts: { started?: boolean } = {},
): Promise<WidgetSession> {
  const res = await call("/api/widget/session", { method: "POST", json: { widgetKey: "demo-widget-key", ...body } });
  if (res.status !== 200) throw new Error(`session failed ${res.status} ${await res.text()}`);
  const session: WidgetSession = await res.json();
  if (opts.started ?? true) await startConversation(session);
  return session;
}

/** Creates the rows a session reserved, as the room does at the visitor's first message. */
export async function startConversation(session: { visitorToken: string }): Promise<void> {
  const v = await verifyVisitorToken(session.visitorToken, getConfig(env).jwtSecret);
  await startVisitorConversation(new TenantDb(rawDb(env.DB), v.ws), {
    conversationId: v.conv,
    contactId: v.sub,
    visitorId: v.vid,
    verifiedEmail: v.email ?? null,
    name: v.name ?? null,
    language: null,
    consent: v.consent ?? null,
  });
}

export const isType = (t: string) => (f: Record<string, unknown>) => f.type === t;

let n = 0;
export const clientId = () => `cid_${Date.now().toString(36)}_${(n++).toString(36).padStart(4, "0")}`;
