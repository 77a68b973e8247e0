/**
 * ChatClient: the conversation as the visitor sees it, independent of the UI.
 * Owns the PartySocket to the ConversationRoom, parses every server frame with the
 * shared protocol schemas, keeps an offline outbox in localStorage (messages carry a
 * clientId, so resending after a reconnect is safe: the server stores each id once),
 * and resumes from the last seen seq after reconnects.
 */
// partysocket's reconnecting socket without the PartySocket URL builder: the widget builds
// its one URL itself, which keeps ~1 KB gzip out of the 25 KB budget.
import ReconnectingWebSocket from "partysocket/ws";
import { z } from "zod";
import { AttachmentRef, ClientId, ServerFrame, parseFrame } from "../../workers/protocol/frames.ts";
import type { ClientFrame, ConversationState, WireAction, WireMessage } from "../../workers/protocol/frames.ts";
import type { Lang } from "./i18n.ts";
import { LANGUAGE } from "../../workers/protocol/frames.ts";
import { CLOSE_TOO_MANY_SOCKETS } from "../../workers/protocol/widget.ts";
import {
  attachmentLinks,
  ConsentRequired,
  openSession,
  readJson,
  uploadImage,
  WidgetHttpError,
  writeJson,
  type ConsentAsk,
} from "./session.ts";
import type { Identity, Session } from "./session.ts";

const OutboxItem = z.object({
  clientId: ClientId,
  text: z.string(),
  attachments: z.array(AttachmentRef),
  language: LANGUAGE,
  createdAt: z.number(),
});
const Outbox = z.array(OutboxItem);

/** A message typed by the visitor and not yet acknowledged by the server. */
export type Outgoing = z.infer<typeof OutboxItem> & {
  previews?: string[];
  uploading?: boolean;
  failed?: string;
  /** The server's customer-facing reason (e.g. the message cap), shown instead of the generic note. */
  reason?: string;
};
export type Stream = { id: string; text: string; done: boolean };
export type Status = "connecting" | "online" | "offline" | "error" | "consent";

export type ChatState = {
  status: Status;
  /** Set while the workspace waits for the visitor's consent (nothing is stored before it). */
  consent: ConsentAsk | null;
  error: string | null;
  /** The server's customer-facing sentence to show instead of the generic status (rate limits). */
  notice: string | null;
  /** This window's socket was pushed out by a newer window of the same visitor. */
  elsewhere: boolean;
  session: Session | null;
  conv: ConversationState | null;
  messages: WireMessage[];
  outbox: Outgoing[];
  actions: Record<string, WireAction>;
  streams: Stream[];
  typing: { name: string | null } | null;
  operatorRead: number;
  lastSeq: number;
  synced: boolean;
};

const PING_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;

/** 24 hex chars from the CSPRNG: valid as a ClientId and available outside secure contexts. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class ChatClient {
  state: ChatState = {
    status: "connecting",
    consent: null,
    error: null,
    notice: null,
    elsewhere: false,
    session: null,
    conv: null,
    messages: [],
    outbox: [],
    actions: {},
    streams: [],
    typing: null,
    operatorRead: 0,
    lastSeq: 0,
    synced: false,
  };
  language: Lang;
  private origin: string;
  private widgetKey: string;
  private identity: Identity | null = null;
  private agreed: { granted: true; version: string } | null = null;
  private socket: ReconnectingWebSocket | null = null;
  private listeners = new Set<() => void>();
  private readSent = 0;
  private typingOn = false;
  private pingTimer = 0;
  private pongTimer = 0;
  private resumeTimer = 0;
  private started = false;
  private links = new Map<string, Promise<{ url: string; expiresAt: number } | null>>();

  constructor(origin: string, widgetKey: string, language: Lang) {
    this.origin = origin;
    this.widgetKey = widgetKey;
    this.language = language;
    addEventListener("online", () => this.onNetworkBack());
    addEventListener("offline", () => this.set({ status: "offline" }));
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Opens (or reopens, after identify) the session and the socket. */
  async start(): Promise<void> {
    this.started = true;
    this.socket?.close();
    this.socket = null;
    this.set({ status: "connecting", error: null, notice: null, elsewhere: false });
    let session: Session;
    try {
      session = await openSession(this.origin, this.widgetKey, this.language, this.identity, this.agreed);
    } catch (err) {
      if (err instanceof ConsentRequired) {
        this.set({ status: "consent", consent: err.ask });
        return;
      }
      this.set({
        status: "error",
        error: err instanceof Error ? err.message : String(err),
        notice: err instanceof WidgetHttpError ? err.notice : null,
      });
      return;
    }
    const sameConversation = this.state.session?.conversationId === session.conversationId;
    const outbox = Outbox.safeParse(readJson(this.outboxKey(session.conversationId)));
    this.set({
      session,
      outbox: outbox.success ? outbox.data : [],
      ...(sameConversation
        ? {}
        : { messages: [], actions: {}, streams: [], lastSeq: 0, operatorRead: 0, synced: false }),
    });
    this.connect(session);
  }

  /** The visitor agreed to the consent text shown: open the session with that version. */
  agree(version: string): void {
    this.agreed = { granted: true, version };
    this.set({ consent: null });
    void this.start();
  }

  identify(identity: Identity): void {
    this.identity = identity;
    if (this.started) void this.start();
  }

  private outboxKey(conversationId: string): string {
    return `omnisupport:outbox:${conversationId}`;
  }

  private connect(session: Session): void {
    // A function, so every reconnect asks only for what was missed.
    const socket = new ReconnectingWebSocket(() => {
      const url = new URL(session.socketPath, this.origin);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("token", session.visitorToken);
      url.searchParams.set("lastSeq", String(this.state.lastSeq));
      return url.toString();
    });
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.readSent = 0;
      this.set({ status: navigator.onLine ? "online" : "offline" });
      this.heartbeat();
    });
    socket.addEventListener("close", (event: CloseEvent) => {
      if (this.socket !== socket) return;
      // Pushed out by a newer window of the same visitor: reconnecting would push that one out in turn.
      if (event.code === CLOSE_TOO_MANY_SOCKETS) {
        socket.close();
        this.set({ status: "error", elsewhere: true, typing: null });
        return;
      }
      this.set({ status: this.state.status === "error" ? "error" : "offline", typing: null });
    });
    socket.addEventListener("message", (event: MessageEvent<unknown>) => {
      if (typeof event.data !== "string") return;
      const parsed = parseFrame(ServerFrame, event.data);
      if (parsed.ok) this.onFrame(parsed.frame);
    });
  }

  private heartbeat(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = window.setInterval(() => {
      if (!this.sendFrame({ type: "ping" })) return;
      clearTimeout(this.pongTimer);
      // A half-open socket never errors by itself: no pong in time means reconnect.
      this.pongTimer = window.setTimeout(() => this.socket?.reconnect(), PONG_TIMEOUT_MS);
    }, PING_MS);
  }

  /** The old socket may be silently dead after an outage: a fresh one resumes from lastSeq and flushes on welcome. */
  private onNetworkBack(): void {
    this.socket?.reconnect();
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        this.set({ conv: frame.state, status: "online" });
        this.flush();
        clearTimeout(this.resumeTimer);
        // The lastSeq query normally triggers a sync; if none arrives, ask explicitly.
        this.resumeTimer = window.setTimeout(() => {
          if (!this.state.synced || frame.lastSeq > this.state.lastSeq)
            this.sendFrame({ type: "resume", lastSeq: this.state.lastSeq });
        }, 800);
        return;
      case "sync": {
        const actions = { ...this.state.actions };
        for (const a of frame.actions) actions[a.id] = a;
        this.merge(frame.messages, { actions, synced: true });
        return;
      }
      case "message": {
        const fromOthers = frame.message.senderType !== "contact";
        // The final bot message replaces the streamed draft that preceded it.
        this.merge(
          [frame.message],
          fromOthers ? { streams: this.state.streams.filter((s) => !s.done), typing: null } : {},
        );
        return;
      }
      case "ack":
        this.onAck(frame.clientId, frame.seq, frame.messageId);
        return;
      case "typing":
        if (frame.from !== "contact") this.set({ typing: frame.on ? { name: frame.name } : null });
        return;
      case "read":
        if (frame.by === "operator" && frame.seq > this.state.operatorRead) this.set({ operatorRead: frame.seq });
        return;
      case "stream": {
        const streams = [...this.state.streams];
        const i = streams.findIndex((s) => s.id === frame.streamId);
        const prev = i >= 0 ? streams[i] : undefined;
        const next = { id: frame.streamId, text: (prev?.text ?? "") + frame.delta, done: frame.done };
        if (prev) streams[i] = next;
        else streams.push(next);
        this.set({ streams, typing: null });
        return;
      }
      case "action":
        this.set({ actions: { ...this.state.actions, [frame.action.id]: frame.action } });
        return;
      case "state":
        this.set({ conv: frame.state });
        return;
      case "error":
        if (frame.clientId)
          this.updateOutbox(
            this.state.outbox.map((o) =>
              o.clientId === frame.clientId
                ? { ...o, failed: "send", ...(frame.code === "rate_limited" ? { reason: frame.message } : {}) }
                : o,
            ),
          );
        else this.set({ error: frame.message });
        return;
      case "pong":
        clearTimeout(this.pongTimer);
        return;
      case "ai":
        return; // operator-only frame
    }
  }

  private merge(incoming: WireMessage[], patch: Partial<ChatState>): void {
    const byId = new Map(this.state.messages.map((m) => [m.id, m]));
    let lastSeq = this.state.lastSeq;
    for (const m of incoming) {
      if (m.type === "note") continue;
      byId.set(m.id, m);
      lastSeq = Math.max(lastSeq, m.seq);
    }
    const acked = new Set(incoming.map((m) => m.clientId));
    const outbox = this.state.outbox.filter((o) => !acked.has(o.clientId));
    const messages = [...byId.values()].sort((a, b) => a.seq - b.seq);
    this.set({ ...patch, messages, lastSeq });
    if (outbox.length !== this.state.outbox.length) this.updateOutbox(outbox);
  }

  private onAck(clientId: string, seq: number, messageId: string): void {
    const item = this.state.outbox.find((o) => o.clientId === clientId);
    if (item && !this.state.messages.some((m) => m.clientId === clientId)) {
      // The server may or may not echo our own message; the ack alone is enough to show it as delivered.
      const own: WireMessage = {
        id: messageId,
        seq,
        type: "incoming",
        senderType: "contact",
        senderName: null,
        content: item.text,
        attachments: item.attachments,
        buttons: [],
        actionId: null,
        clientId,
        language: item.language,
        createdAt: Date.now(),
      };
      this.merge([own], {});
    } else this.updateOutbox(this.state.outbox.filter((o) => o.clientId !== clientId));
  }

  private updateOutbox(outbox: Outgoing[]): void {
    this.set({ outbox });
    const conversationId = this.state.session?.conversationId;
    if (!conversationId) return;
    const persistable = outbox
      .filter((o) => !o.uploading && !o.failed)
      .map(({ clientId, text, attachments, language, createdAt }) => ({
        clientId,
        text,
        attachments,
        language,
        createdAt,
      }));
    writeJson(this.outboxKey(conversationId), persistable.length ? persistable : null);
  }

  private canSend(): boolean {
    return this.socket?.readyState === WebSocket.OPEN && navigator.onLine && this.state.conv !== null;
  }

  private sendFrame(frame: ClientFrame): boolean {
    if (!this.canSend() || !this.socket) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Sends every queued message; duplicates from earlier attempts are deduped by clientId on the server. */
  private flush(): void {
    for (const o of this.state.outbox) {
      if (o.uploading || o.failed) continue;
      this.sendFrame({
        type: "send",
        clientId: o.clientId,
        text: o.text,
        attachments: o.attachments,
        language: o.language,
      });
    }
  }

  async send(text: string, files: File[] = []): Promise<void> {
    const session = this.state.session;
    if (!session || (!text.trim() && files.length === 0)) return;
    const item: Outgoing = {
      clientId: newClientId(),
      text: text.trim(),
      attachments: [],
      language: this.language,
      createdAt: Date.now(),
      previews: files.map((f) => URL.createObjectURL(f)),
      uploading: files.length > 0,
    };
    this.updateOutbox([...this.state.outbox, item]);
    this.typing(false);
    if (files.length) {
      try {
        const attachments = await Promise.all(files.map((f) => uploadImage(this.origin, session.visitorToken, f)));
        this.updateOutbox(
          this.state.outbox.map((o) => (o.clientId === item.clientId ? { ...o, attachments, uploading: false } : o)),
        );
      } catch {
        this.updateOutbox(
          this.state.outbox.map((o) =>
            o.clientId === item.clientId ? { ...o, uploading: false, failed: "upload" } : o,
          ),
        );
        return;
      }
    }
    const ready = this.state.outbox.find((o) => o.clientId === item.clientId);
    if (ready)
      this.sendFrame({
        type: "send",
        clientId: ready.clientId,
        text: ready.text,
        attachments: ready.attachments,
        language: ready.language,
      });
  }

  /** A signed link to one of the conversation's files, cached until shortly before it expires. */
  async fileUrl(key: string): Promise<string | null> {
    const session = this.state.session;
    if (!session) return null;
    const cached = this.links.get(key);
    const hit = cached ? await cached : null;
    if (hit && hit.expiresAt - 30_000 > Date.now()) return hit.url;
    const next = attachmentLinks(this.origin, session.visitorToken, [key]).then(
      (r) => {
        const link = r.items[0];
        return link ? { url: `${this.origin}${link.url}`, expiresAt: link.expiresAt } : null;
      },
      () => null,
    );
    this.links.set(key, next);
    return (await next)?.url ?? null;
  }

  typing(on: boolean): void {
    if (on === this.typingOn) return;
    this.typingOn = on;
    this.sendFrame({ type: "typing", on });
  }

  /** Marks everything up to the newest message as read, once per seq. */
  markRead(): void {
    const seq = this.state.lastSeq;
    if (seq > this.readSent && this.sendFrame({ type: "read", seq })) this.readSent = seq;
  }

  decide(actionId: string, decision: "confirm" | "cancel"): boolean {
    return this.sendFrame({ type: "action.decide", actionId, decision });
  }

  csat(score: number, comment: string): boolean {
    return this.sendFrame({ type: "csat", score, ...(comment ? { comment } : {}) });
  }

  nps(score: number): boolean {
    return this.sendFrame({ type: "nps", score });
  }

  form(
    form: "prechat" | "after_hours",
    fields: { name?: string; email?: string; phone?: string; question?: string; callback?: boolean },
  ): boolean {
    return this.sendFrame({ type: "form", form, fields });
  }
}
