/**
 * Soak: 200 widget clients × 50 messages against a real platform (`wrangler dev` on
 * loopback), each dropping its socket at random — sometimes between a send and its ack —
 * then reconnecting with `lastSeq` and resending what was not acknowledged under the same
 * clientId. Afterwards every conversation's log (the room's own, and the D1 mirror) must
 * hold each message exactly once and in the order it was sent, and every client must
 * have seen the whole log without gaps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { d1Query } from "../../../bench/lib/d1.mjs";
import { startPlatform, stopAll, type Platform } from "../../../bench/lib/processes.mjs";

const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 200);
const MESSAGES = Number(process.env.SOAK_MESSAGES ?? 50);
const DROP_BEFORE_ACK = 0.06;
const DROP_WHEN_IDLE = 0.04;
const ACK_TIMEOUT_MS = 15_000;
const PORT = Number(process.env.SOAK_PORT ?? 18887);

interface WireMsg {
  seq: number;
  type: string;
  clientId: string | null;
  content: string;
}
interface Session {
  conversationId: string;
  visitorToken: string;
  socketPath: string;
}

let platform: Platform;
let operatorToken = "";

let address = 0;

async function post(path: string, body: unknown, token?: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${platform.base}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      // 200 visitors from 200 addresses: widget sessions are limited per address (issue 21, item 9).
      "cf-connecting-ip": `127.0.3.${address++ % 250}`,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

function field<T>(value: unknown, key: string): T {
  if (typeof value !== "object" || value === null || !(key in value))
    throw new Error(`missing ${key} in ${JSON.stringify(value)}`);
  return (value as Record<string, T>)[key] as T;
}

async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

function parseFrame(data: WebSocket.RawData): Record<string, unknown> | null {
  try {
    const f: unknown = JSON.parse(String(data));
    return typeof f === "object" && f !== null ? (f as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** One widget client: its socket, what it has seen, and a resend-until-acked send. */
class Client {
  readonly seen = new Map<number, WireMsg>();
  lastSeq = 0;
  reconnects = 0;
  private ws: WebSocket | null = null;
  private acks = new Map<string, () => void>();

  readonly index: number;
  readonly session: Session;

  constructor(index: number, session: Session) {
    this.index = index;
    this.session = session;
  }

  private record(m: WireMsg): void {
    this.seen.set(m.seq, m);
    this.lastSeq = Math.max(this.lastSeq, m.seq);
  }

  async connect(): Promise<void> {
    const url = `${platform.base.replace(/^http/, "ws")}${this.session.socketPath}?token=${this.session.visitorToken}&lastSeq=${this.lastSeq}`;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`client ${this.index}: no sync`)), 20_000);
      ws.on("message", (data) => {
        const f = parseFrame(data);
        if (!f) return;
        if (f.type === "sync") {
          for (const m of field<WireMsg[]>(f, "messages")) this.record(m);
          clearTimeout(t);
          resolve();
        } else if (f.type === "message") this.record(field<WireMsg>(f, "message"));
        else if (f.type === "ack") this.acks.get(field<string>(f, "clientId"))?.();
      });
      ws.once("error", (e) => {
        clearTimeout(t);
        reject(e);
      });
      ws.once("unexpected-response", (_req, res) => {
        clearTimeout(t);
        reject(new Error(`upgrade refused ${res.statusCode}`));
      });
    });
  }

  drop(): void {
    this.ws?.terminate();
    this.ws = null;
  }

  /** Sends until acknowledged: a drop or a missing ack leads to reconnect + resend with the same clientId. */
  async send(clientId: string, text: string): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        if (this.ws) this.reconnects++;
        this.drop();
        await this.connect();
      }
      const acked = new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), ACK_TIMEOUT_MS);
        this.acks.set(clientId, () => {
          clearTimeout(t);
          resolve(true);
        });
      });
      this.ws?.send(JSON.stringify({ type: "send", clientId, text }));
      if (Math.random() < DROP_BEFORE_ACK) {
        this.drop();
        this.reconnects++;
        await this.connect();
        continue;
      }
      if (await acked) {
        this.acks.delete(clientId);
        if (Math.random() < DROP_WHEN_IDLE) this.drop();
        return;
      }
      this.drop();
    }
    throw new Error(`client ${this.index}: ${clientId} never acknowledged`);
  }

  close(): void {
    this.drop();
  }
}

/** Sends the pre-chat form over the visitor's socket: the room creates the conversation's rows. */
async function startWithForm(session: Session): Promise<void> {
  const ws = new WebSocket(
    `${platform.base.replace(/^http/, "ws")}${session.socketPath}?token=${session.visitorToken}`,
    { perMessageDeflate: false },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no welcome")), 20_000);
      ws.on("message", (data) => {
        if (parseFrame(data)?.type !== "sync") return;
        clearTimeout(t);
        ws.send(JSON.stringify({ type: "form", form: "prechat", fields: { name: "Soak visitor" } }));
        resolve();
      });
      ws.once("error", reject);
    });
  } finally {
    // The frame is on its way; closing after a short flush is enough (the assign retries until the rows exist).
    setTimeout(() => ws.close(), 200);
  }
}

/** The room's own log as staff see it (operator socket, sync from 0). */
async function roomLog(session: Session): Promise<WireMsg[]> {
  const ws = new WebSocket(`${platform.base.replace(/^http/, "ws")}${session.socketPath}?token=${operatorToken}`, {
    perMessageDeflate: false,
  });
  try {
    return await new Promise<WireMsg[]>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no operator sync")), 20_000);
      ws.on("message", (data) => {
        const f = parseFrame(data);
        if (f?.type === "sync") {
          clearTimeout(t);
          resolve(field<WireMsg[]>(f, "messages"));
        }
      });
      ws.once("error", reject);
    });
  } finally {
    ws.terminate();
  }
}

beforeAll(async () => {
  platform = await startPlatform(PORT);
  const login = await post("/api/auth/login", { email: "operator@demo.test", password: "demo-operator-password" });
  operatorToken = field<string>(login.json, "token");
});

afterAll(async () => {
  await stopAll();
});

describe("soak: random disconnects and reconnects", () => {
  it(`${CLIENTS} clients × ${MESSAGES} messages arrive exactly once and in order`, async () => {
    const run = Date.now().toString(36);
    const sessions = await pool(
      Array.from({ length: CLIENTS }, (_, i) => i),
      8,
      async () => {
        const s = await post("/api/widget/session", { widgetKey: "demo-widget-key" });
        expect(s.status).toBe(200);
        const session: Session = {
          conversationId: field(s.json, "conversationId"),
          visitorToken: field(s.json, "visitorToken"),
          socketPath: field(s.json, "socketPath"),
        };
        // A session writes nothing: the pre-chat form starts the conversation (no bot turn),
        // then a human owns it, so the log holds only the form's line and what the clients sent.
        await startWithForm(session);
        let a = { status: 0 };
        for (let i = 0; i < 100 && a.status !== 200; i++) {
          a = await post(
            `/api/conversations/${session.conversationId}/commands`,
            { command: "assign", operatorId: "op_operator" },
            operatorToken,
          );
          if (a.status === 404) await new Promise((r) => setTimeout(r, 100));
        }
        expect(a.status).toBe(200);
        return session;
      },
    );
    const clients = sessions.map((s, i) => new Client(i, s));
    await pool(clients, 16, (c) => c.connect());
    const cid = (i: number, k: number) => `soak${run}_${i}_${k}`;
    await Promise.all(
      clients.map(async (c) => {
        for (let k = 0; k < MESSAGES; k++) await c.send(cid(c.index, k), `message ${k} from client ${c.index}`);
      }),
    );
    const reconnects = clients.reduce((n, c) => n + c.reconnects, 0);
    expect(reconnects).toBeGreaterThan(CLIENTS * MESSAGES * DROP_BEFORE_ACK * 0.5);

    // Let every client catch up on its own last messages, then compare with the room's log.
    for (const c of clients) c.drop();
    await pool(clients, 16, (c) => c.connect());
    const problems: string[] = [];
    const logs = await pool(clients, 16, async (c) => ({ c, log: await roomLog(c.session) }));
    for (const { c, log } of logs) {
      const sent = log.filter((m) => m.type === "incoming").map((m) => m.clientId);
      const expected = Array.from({ length: MESSAGES }, (_, k) => cid(c.index, k));
      if (JSON.stringify(sent) !== JSON.stringify(expected))
        problems.push(`client ${c.index}: log ${JSON.stringify(sent.slice(0, 5))}… (${sent.length}) ≠ sent order`);
      const seqs = log.map((m) => m.seq);
      if (seqs.some((s, i) => s !== i + 1)) problems.push(`client ${c.index}: log seqs not 1..n`);
      // Every message of the conversation reaches the customer (activity lines are staff-only).
      const missing = log
        .filter((m) => m.type === "incoming" || m.type === "outgoing")
        .map((m) => m.seq)
        .filter((s) => !c.seen.has(s));
      if (missing.length) problems.push(`client ${c.index}: never saw seqs ${missing.slice(0, 5).join(",")}`);
      c.close();
    }
    expect(problems).toEqual([]);

    // The D1 mirror converges to the same log (each message once).
    const ids = sessions.map((s) => s.conversationId);
    const placeholders = ids.map(() => "?").join(",");
    let rows: Array<Record<string, unknown>> = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      rows = d1Query(
        platform,
        `SELECT COUNT(*) AS n, COUNT(DISTINCT client_id) AS d FROM messages WHERE type = 'incoming' AND conversation_id IN (${placeholders})`,
        ids,
      );
      if (Number(rows[0]?.n) >= CLIENTS * MESSAGES) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(rows[0]).toEqual({ n: CLIENTS * MESSAGES, d: CLIENTS * MESSAGES });
  });
});
