/**
 * The operator's presence socket (one per dashboard tab): sends status and a heartbeat
 * every 30 s, receives presence of colleagues, the queue, live inbox rows, assignments
 * and notifications. Frames are parsed with the shared protocol schemas.
 */
import PartySocket from "partysocket";
import { type z } from "zod";
import {
  type OperatorPresence,
  parseFrame,
  PresenceServerFrame,
  type InboxItem,
  type PresenceClientFrame,
} from "../../../workers/protocol/frames.ts";
import { socketTicket } from "../api/endpoints.ts";
import { humanError } from "../lib/errors.ts";
import { langStore } from "../lib/i18n.ts";
import { createStore } from "../lib/store.ts";

export type PresenceStatus = "online" | "away" | "break" | "offline";
export type ConnState = "connecting" | "open" | "closed";
export type PresenceNotify = Extract<PresenceServerFrame, { type: "notify" }>;

export const presenceConn = createStore<ConnState>("closed");
export const myStatus = createStore<PresenceStatus>(
  (() => {
    const s = localStorage.getItem("os.status");
    return s === "online" || s === "away" || s === "break" ? s : "offline";
  })(),
);
export const colleagues = createStore<Array<z.infer<typeof OperatorPresence>>>([]);
export const liveItems = createStore<Map<string, InboxItem>>(new Map());
export const queue = createStore<
  Array<{ conversationId: string; position: number; priority: string; category: string | null }>
>([]);
/** True once the server has sent a presence list on this connection (not just an open socket). */
export const presenceSynced = createStore(false);
export const lastPresenceError = createStore<string | null>(null);

let socket: PartySocket | null = null;
let heartbeat: ReturnType<typeof setInterval> | null = null;
const notifyHandlers = new Set<(n: PresenceNotify) => void>();
const assignedHandlers = new Set<(conversationId: string, operatorId: string) => void>();

export function onNotify(fn: (n: PresenceNotify) => void): () => void {
  notifyHandlers.add(fn);
  return () => notifyHandlers.delete(fn);
}

function send(frame: PresenceClientFrame): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function handle(frame: PresenceServerFrame): void {
  switch (frame.type) {
    case "presence":
      colleagues.set(frame.operators);
      presenceSynced.set(true);
      break;
    case "queue":
      queue.set(frame.items);
      break;
    case "inbox":
      liveItems.update((m) => new Map(m).set(frame.item.conversationId, frame.item));
      break;
    case "assigned":
      for (const fn of assignedHandlers) fn(frame.conversationId, frame.operatorId);
      break;
    case "notify":
      for (const fn of notifyHandlers) fn(frame);
      break;
    case "error":
      lastPresenceError.set(humanError(langStore.get(), frame.code, 0, frame.message));
      break;
  }
}

/** Called again when the session changes; the socket itself authenticates with a ticket. */
export function connectPresence(workspaceId: string): void {
  disconnectPresence();
  presenceConn.set("connecting");
  // A fresh 60-second ticket per (re)connect; the session token stays out of the URL.
  socket = new PartySocket({
    host: location.host,
    party: "presence",
    room: workspaceId,
    query: async () => ({ token: (await socketTicket()).ticket }),
  });
  socket.addEventListener("open", () => {
    presenceConn.set("open");
    // Re-announce the chosen status after every (re)connect: the server may have timed us out.
    send({ type: "status", status: myStatus.get() });
  });
  socket.addEventListener("close", () => {
    presenceConn.set("closed");
    presenceSynced.set(false);
  });
  socket.addEventListener("message", (ev: MessageEvent<unknown>) => {
    if (typeof ev.data !== "string") return;
    const parsed = parseFrame(PresenceServerFrame, ev.data);
    if (parsed.ok) handle(parsed.frame);
  });
  heartbeat = setInterval(() => send({ type: "heartbeat" }), 30_000);
}

export function disconnectPresence(): void {
  if (heartbeat) clearInterval(heartbeat);
  heartbeat = null;
  socket?.close();
  socket = null;
  presenceConn.set("closed");
}

export function setStatus(status: PresenceStatus): void {
  myStatus.set(status);
  localStorage.setItem("os.status", status);
  send({ type: "status", status });
}
