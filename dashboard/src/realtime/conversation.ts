/**
 * One ConversationRoom socket per open conversation. Resumes from the last seen seq
 * (the room replays what was missed in `sync`), merges messages by seq, keeps pending
 * actions, live state, the AI side-channel and streamed bot replies. Sends are
 * idempotent through client ids; an unacknowledged send stays visible as pending.
 */
import PartySocket from "partysocket";
import { useEffect, useReducer, useRef } from "preact/hooks";
import {
  parseFrame,
  ServerFrame,
  type ClientFrame,
  type AttachmentRef,
  type ConversationState,
  type OperatorCommand,
  type WireAction,
  type WireMessage,
} from "../../../workers/protocol/frames.ts";
import { runCommand, socketTicket } from "../api/endpoints.ts";
import { newClientId } from "../lib/format.ts";
import { ApiError } from "../api/client.ts";
import { humanError } from "../lib/errors.ts";
import { langStore } from "../lib/i18n.ts";
import type { ConnState } from "./presence.ts";

export type AiInfo = Extract<ServerFrame, { type: "ai" }>;

export interface TimelineMessage {
  key: string;
  seq: number;
  type: WireMessage["type"];
  senderType: WireMessage["senderType"];
  senderName: string | null;
  content: string;
  createdAt: number;
  actionId: string | null;
  pending: boolean;
  clientId: string | null;
  attachments: AttachmentRef[];
}

export interface RoomState {
  conn: ConnState;
  messages: TimelineMessage[];
  actions: WireAction[];
  state: ConversationState | null;
  ai: AiInfo | null;
  streams: Array<{ id: string; text: string }>;
  typing: { from: string; name: string | null } | null;
  error: string | null;
  lastSeq: number;
}

type Act =
  | { t: "conn"; conn: ConnState }
  | { t: "frame"; frame: ServerFrame }
  | { t: "seed"; messages: TimelineMessage[] }
  | { t: "pending"; msg: TimelineMessage }
  | { t: "typingOff" };

const initial: RoomState = {
  conn: "connecting",
  messages: [],
  actions: [],
  state: null,
  ai: null,
  streams: [],
  typing: null,
  error: null,
  lastSeq: 0,
};

function fromWire(m: WireMessage): TimelineMessage {
  return {
    key: m.id,
    seq: m.seq,
    type: m.type,
    senderType: m.senderType,
    senderName: m.senderName,
    content: m.content,
    createdAt: m.createdAt,
    actionId: m.actionId,
    pending: false,
    clientId: m.clientId,
    attachments: m.attachments,
  };
}

function merge(list: TimelineMessage[], incoming: TimelineMessage[]): TimelineMessage[] {
  const bySeq = new Map<number, TimelineMessage>();
  const pending: TimelineMessage[] = [];
  const confirmedClientIds = new Set<string>();
  for (const m of [...list, ...incoming]) {
    if (m.pending) pending.push(m);
    else {
      bySeq.set(m.seq, m);
      if (m.clientId) confirmedClientIds.add(m.clientId);
    }
  }
  const stillPending = pending.filter((p) => !p.clientId || !confirmedClientIds.has(p.clientId));
  return [...[...bySeq.values()].sort((a, b) => a.seq - b.seq), ...stillPending];
}

function reduce(s: RoomState, a: Act): RoomState {
  switch (a.t) {
    case "conn":
      return { ...s, conn: a.conn };
    case "seed":
      return {
        ...s,
        messages: merge(s.messages, a.messages),
        lastSeq: Math.max(s.lastSeq, ...a.messages.map((m) => m.seq)),
      };
    case "pending":
      return { ...s, messages: [...s.messages, a.msg] };
    case "typingOff":
      return { ...s, typing: null };
    case "frame": {
      const f = a.frame;
      switch (f.type) {
        case "welcome":
          return { ...s, state: f.state, error: null };
        case "sync":
          return {
            ...s,
            messages: merge(s.messages, f.messages.map(fromWire)),
            actions: f.actions,
            lastSeq: Math.max(s.lastSeq, f.lastSeq),
          };
        case "message": {
          // A finished stream is replaced by the stored message.
          return {
            ...s,
            messages: merge(s.messages, [fromWire(f.message)]),
            lastSeq: Math.max(s.lastSeq, f.message.seq),
            streams: f.message.senderType === "bot" ? [] : s.streams,
            typing: null,
          };
        }
        case "ack":
          return {
            ...s,
            messages: s.messages
              .map((m) =>
                m.clientId === f.clientId && m.pending ? { ...m, seq: f.seq, key: f.messageId, pending: false } : m,
              )
              .sort((x, y) => (x.pending ? 1 : 0) - (y.pending ? 1 : 0) || x.seq - y.seq),
            lastSeq: Math.max(s.lastSeq, f.seq),
          };
        case "typing":
          return { ...s, typing: f.on ? { from: f.from, name: f.name } : null };
        case "read":
          return s;
        case "stream": {
          const existing = s.streams.find((x) => x.id === f.streamId);
          const text = (existing?.text ?? "") + f.delta;
          const others = s.streams.filter((x) => x.id !== f.streamId);
          return { ...s, streams: f.done && !text ? others : [...others, { id: f.streamId, text }] };
        }
        case "action":
          return { ...s, actions: [...s.actions.filter((x) => x.id !== f.action.id), f.action] };
        case "state":
          return { ...s, state: f.state };
        case "ai":
          return { ...s, ai: f };
        case "error":
          return {
            ...s,
            error: humanError(langStore.get(), f.code, 0, f.message),
            messages: f.clientId ? s.messages.filter((m) => m.clientId !== f.clientId || !m.pending) : s.messages,
          };
        case "pong":
          return s;
      }
    }
  }
}

export interface RoomApi {
  send(text: string): void;
  note(text: string): void;
  command(cmd: OperatorCommand): void;
  decide(actionId: string, decision: "confirm" | "cancel"): void;
  typing(on: boolean): void;
  read(seq: number): void;
  seed(messages: TimelineMessage[]): void;
}

export function useConversationRoom(conversationId: string, operatorName: string): [RoomState, RoomApi] {
  const [state, dispatch] = useReducer(reduce, initial);
  const sock = useRef<PartySocket | null>(null);
  const lastSeq = useRef(0);
  lastSeq.current = state.lastSeq;

  useEffect(() => {
    dispatch({ t: "conn", conn: "connecting" });
    const ws = new PartySocket({
      host: location.host,
      party: "conversation-room",
      room: conversationId,
      // A function, so every reconnect resumes from what we already have with a fresh ticket.
      query: async () => ({ token: (await socketTicket()).ticket, lastSeq: String(lastSeq.current) }),
    });
    sock.current = ws;
    ws.addEventListener("open", () => dispatch({ t: "conn", conn: "open" }));
    ws.addEventListener("close", () => dispatch({ t: "conn", conn: "closed" }));
    ws.addEventListener("message", (ev: MessageEvent<unknown>) => {
      if (typeof ev.data !== "string") return;
      const parsed = parseFrame(ServerFrame, ev.data);
      if (parsed.ok) dispatch({ t: "frame", frame: parsed.frame });
    });
    return () => {
      ws.close();
      sock.current = null;
    };
  }, [conversationId]);

  const raw = (frame: ClientFrame): boolean => {
    const ws = sock.current;
    if (ws?.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  };

  const api: RoomApi = {
    send(text) {
      const clientId = newClientId();
      dispatch({
        t: "pending",
        msg: {
          key: clientId,
          seq: Number.MAX_SAFE_INTEGER,
          type: "outgoing",
          senderType: "operator",
          senderName: operatorName,
          content: text,
          createdAt: Date.now(),
          actionId: null,
          pending: true,
          clientId,
          attachments: [],
        },
      });
      if (!raw({ type: "send", clientId, text, attachments: [] }))
        dispatch({
          t: "frame",
          frame: {
            type: "error",
            code: "not_connected",
            message: "The conversation socket is not connected; the message was not sent",
            clientId,
          },
        });
    },
    note(text) {
      const clientId = newClientId();
      dispatch({
        t: "pending",
        msg: {
          key: clientId,
          seq: Number.MAX_SAFE_INTEGER,
          type: "note",
          senderType: "operator",
          senderName: operatorName,
          content: text,
          createdAt: Date.now(),
          actionId: null,
          pending: true,
          clientId,
          attachments: [],
        },
      });
      if (!raw({ type: "note", clientId, text }))
        dispatch({
          t: "frame",
          frame: {
            type: "error",
            code: "not_connected",
            message: "The conversation socket is not connected; the note was not saved",
            clientId,
          },
        });
    },
    command(cmd) {
      if (raw({ type: "command", cmd })) return;
      // Socket down: the same command over REST, which answers with the new state.
      runCommand(conversationId, cmd).then(
        (state) => dispatch({ t: "frame", frame: { type: "state", state } }),
        (e: unknown) =>
          dispatch({
            t: "frame",
            frame: {
              type: "error",
              code: e instanceof ApiError ? e.code : "generic",
              message: e instanceof Error ? e.message : String(e),
            },
          }),
      );
    },
    decide(actionId, decision) {
      raw({ type: "action.decide", actionId, decision });
    },
    typing(on) {
      raw({ type: "typing", on });
    },
    read(seq) {
      raw({ type: "read", seq });
    },
    seed(messages) {
      dispatch({ t: "seed", messages });
    },
  };
  return [state, api];
}
