/**
 * The websocket round-trip load: N conversations in parallel, each with one customer
 * socket and one operator socket; the customer sends M messages one after another and
 * each round trip is the time from `send` to the operator socket receiving the stored
 * message (matched by clientId). Targets adapt the same loop to each server.
 */
import WebSocket from "ws";
import { io } from "socket.io-client";
import { pool, sleep, summarize } from "./stats.mjs";

let idCounter = 0;
const newClientId = () => `b${process.pid.toString(36)}_${(idCounter++).toString(36).padStart(6, "0")}`;

/** Opens a `ws` socket; resolves when open (and, if `until` is given, when a frame matches it). */
export function openWs(url, until, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const t = setTimeout(() => {
      ws.terminate();
      reject(new Error(`socket timeout ${url.split("?")[0]}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(t);
      ws.off("message", onFrame);
      resolve(ws);
    };
    const onFrame = (data) => {
      if (!until) return;
      try {
        if (until(JSON.parse(String(data)))) done();
      } catch {
        /* not JSON */
      }
    };
    ws.on("message", onFrame);
    ws.once("open", () => {
      if (!until) done();
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

/**
 * Round trips matched by clientId: `roundTrip` sends through `send(clientId, text)` and
 * resolves with the elapsed ms once `arrived(clientId)` is called (or null after the timeout).
 */
function roundTrips(send) {
  const waiters = new Map();
  return {
    arrived(id) {
      const w = id ? waiters.get(id) : undefined;
      if (w) {
        waiters.delete(id);
        w();
      }
    },
    roundTrip(text, timeoutMs) {
      const clientId = newClientId();
      return new Promise((resolve) => {
        const t0 = performance.now();
        const timer = setTimeout(() => {
          waiters.delete(clientId);
          resolve(null);
        }, timeoutMs);
        waiters.set(clientId, () => {
          clearTimeout(timer);
          resolve(performance.now() - t0);
        });
        send(clientId, text);
      });
    },
  };
}

/** A pair whose operator side resolves waiters by clientId. */
function pairFromWs(customer, operator) {
  const trips = roundTrips((clientId, text) => customer.send(JSON.stringify({ type: "send", clientId, text })));
  operator.on("message", (data) => {
    let f;
    try {
      f = JSON.parse(String(data));
    } catch {
      return;
    }
    // Stored servers answer with a `message` frame; the raw relay echoes the `send` frame itself.
    trips.arrived(f?.type === "message" ? f.message?.clientId : f?.type === "send" ? f.clientId : null);
  });
  return {
    roundTrip: trips.roundTrip,
    close() {
      customer.terminate();
      operator.terminate();
    },
  };
}

/** Target: the platform's ConversationRoom (conversations prepared by the caller). */
export function platformTarget(base, conversations) {
  const ws = base.replace(/^http/, "ws");
  const synced = (f) => f.type === "sync";
  return {
    name: "ConversationRoom",
    async open(i) {
      const c = conversations[i];
      const customer = await openWs(`${ws}${c.socketPath}?token=${c.visitorToken}`, synced);
      const operator = await openWs(`${ws}${c.socketPath}?token=${c.operatorToken}`, synced);
      return pairFromWs(customer, operator);
    },
  };
}

/** Target: a room-per-path broadcast server (minimal DO or raw ws). */
export function pathTarget(name, urlFor) {
  return {
    name,
    async open(i) {
      const customer = await openWs(urlFor(i));
      const operator = await openWs(urlFor(i));
      return pairFromWs(customer, operator);
    },
  };
}

/** Target: Socket.IO server with rooms from the handshake query. */
export function socketIoTarget(base, runTag) {
  const connect = (room) =>
    new Promise((resolve, reject) => {
      const s = io(base, {
        transports: ["websocket"],
        query: { room },
        reconnection: false,
        forceNew: true,
        timeout: 15_000,
      });
      s.once("connect", () => resolve(s));
      s.once("connect_error", reject);
    });
  return {
    name: "Socket.IO + SQLite",
    async open(i) {
      const room = `${runTag}-${i}`;
      const customer = await connect(room);
      const operator = await connect(room);
      const trips = roundTrips((clientId, text) => customer.emit("send", { type: "send", clientId, text }));
      operator.on("message", (f) => trips.arrived(f?.message?.clientId));
      return {
        roundTrip: trips.roundTrip,
        close() {
          customer.disconnect();
          operator.disconnect();
        },
      };
    },
  };
}

/**
 * Runs the load: opens `conversations` pairs (8 at a time), warms each up with
 * `warmup` unmeasured messages, then every conversation sends `perConversation`
 * sequential messages, back to back (closed loop, the server's saturation latency) or,
 * with `intervalMs`, one per interval (a paced load where latency is not queueing-bound).
 * Stops early at `deadlineMs` (reported as `complete: false`).
 */
export async function runRoundTrips(
  target,
  { conversations, perConversation, warmup = 5, deadlineMs = 90_000, timeoutMs = 10_000, offset = 0, intervalMs = 0 },
) {
  const pairs = await pool(
    Array.from({ length: conversations }, (_, i) => i + offset),
    8,
    (i) => target.open(i),
  );
  const samples = [];
  let timeouts = 0;
  try {
    await Promise.all(
      pairs.map(async (p) => {
        for (let k = 0; k < warmup; k++) await p.roundTrip(`warm-up ${k}`, timeoutMs);
      }),
    );
    await sleep(200);
    const started = performance.now();
    const stopAt = Date.now() + deadlineMs;
    await Promise.all(
      pairs.map(async (p, i) => {
        // Paced mode: a random phase, then one message per interval (think time = interval − rtt).
        if (intervalMs > 0) await sleep(Math.random() * intervalMs);
        for (let k = 0; k < perConversation && Date.now() < stopAt; k++) {
          const ms = await p.roundTrip(`conversation ${i} message ${k}: where is my parcel?`, timeoutMs);
          if (ms === null) timeouts++;
          else samples.push(ms);
          if (intervalMs > 0) await sleep(Math.max(0, intervalMs - (ms ?? timeoutMs)));
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const expected = conversations * perConversation;
    return {
      ...summarize(samples),
      timeouts,
      expected,
      complete: samples.length === expected,
      msgPerSec: Math.round(samples.length / elapsed),
    };
  } finally {
    for (const p of pairs) p.close();
  }
}
