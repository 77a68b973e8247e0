/**
 * The widget's ChatClient (widget/src/client.ts) in Node: the offline outbox, exactly-once
 * delivery across reconnects (clientId), resume from lastSeq and dedupe of echoed messages.
 * The real class runs unchanged against a minimal browser: a fake PartySocket (records what
 * is sent and lets the test play the server), an in-memory localStorage, a fetch answering
 * the session request, and fake timers for the resume fallback. The e2e suite covers the
 * same paths in chromium; this keeps them in `npm test`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ClientFrame, ConversationState, ServerFrame, WireMessage } from "../../../workers/protocol/frames.ts";

const OPEN = 1;
const CLOSED = 3;

type Listener = (event: { data?: unknown }) => void;

/** Stands in for PartySocket: the test opens it, plays server frames and reads what the client sent. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = CLOSED;
  sent: ClientFrame[] = [];
  reconnects = 0;
  private listeners = new Map<string, Listener[]>();
  readonly options: { query: () => Record<string, string> };
  /** The client passes a URL provider: every (re)connect asks it for the URL to open. */
  constructor(url: () => string) {
    this.options = { query: () => Object.fromEntries(new URL(url()).searchParams) };
    this.url = url;
    FakeSocket.all.push(this);
  }
  readonly url: () => string;
  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  private emit(type: string, event: { data?: unknown } = {}): void {
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }
  close(): void {
    this.readyState = CLOSED;
  }
  reconnect(): void {
    this.reconnects++;
  }
  open(): void {
    this.readyState = OPEN;
    this.emit("open");
  }
  drop(): void {
    this.readyState = CLOSED;
    this.emit("close");
  }
  serve(frame: ServerFrame): void {
    this.emit("message", { data: JSON.stringify(frame) });
  }
}

vi.mock("partysocket/ws", () => ({ default: FakeSocket }));

const CONV = "conv_1";
const SESSION = {
  visitorId: "v1",
  visitorToken: "tok",
  conversationId: CONV,
  socketPath: `/parties/conversation-room/${CONV}`,
  appearance: {},
  businessHours: { open: true, description: "" },
};
const STATE: ConversationState = {
  id: CONV,
  status: "open",
  owner: "bot",
  assigneeId: null,
  assigneeName: null,
  teamId: null,
  priority: "normal",
  tags: [],
  category: null,
  language: "en",
  snoozedUntil: null,
  queuePosition: null,
  csatRequested: false,
};

let storage: Map<string, string>;
const windowListeners = new Map<string, () => void>();

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  storage = new Map();
  vi.stubGlobal("localStorage", {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
    removeItem: (k: string) => void storage.delete(k),
  });
  vi.stubGlobal("navigator", { onLine: true, language: "en-US" });
  vi.stubGlobal("window", globalThis);
  vi.stubGlobal("WebSocket", { OPEN });
  vi.stubGlobal("addEventListener", (type: string, fn: () => void) => windowListeners.set(type, fn));
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify(SESSION), { headers: { "content-type": "application/json" } })),
  );
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const { ChatClient } = await import("../../../widget/src/client.ts");

const outboxKey = `omnisupport:outbox:${CONV}`;
const storedOutbox = (): unknown => JSON.parse(storage.get(outboxKey) ?? "null");

function msg(seq: number, over: Partial<WireMessage> = {}): WireMessage {
  return {
    id: `m${seq}`,
    seq,
    type: "outgoing",
    senderType: "bot",
    senderName: null,
    content: `reply ${seq}`,
    attachments: [],
    buttons: [],
    actionId: null,
    clientId: null,
    language: "en",
    createdAt: 1,
    ...over,
  };
}

/** A started client whose socket exists but is not open yet. */
async function started() {
  const client = new ChatClient("https://support.example", "wk_1", "en");
  await client.start();
  const socket = FakeSocket.all.at(-1);
  if (!socket) throw new Error("no socket");
  return { client, socket };
}

const welcome = (lastSeq: number): ServerFrame => ({
  type: "welcome",
  conversationId: CONV,
  role: "contact",
  lastSeq,
  state: STATE,
});
const sends = (s: FakeSocket) => s.sent.filter((f) => f.type === "send");

describe("widget ChatClient", () => {
  it("queues a message typed while offline in the outbox and in localStorage, and sends nothing", async () => {
    const { client, socket } = await started();
    await client.send("  hello  ");
    expect(client.state.outbox).toHaveLength(1);
    expect(client.state.outbox[0]?.text).toBe("hello");
    expect(storedOutbox()).toEqual([
      expect.objectContaining({ text: "hello", clientId: client.state.outbox[0]?.clientId }),
    ]);
    expect(socket.sent).toEqual([]);
  });

  it("ignores blank messages", async () => {
    const { client } = await started();
    await client.send("   ");
    expect(client.state.outbox).toEqual([]);
  });

  it("flushes the outbox on welcome, and the ack turns it into one delivered message", async () => {
    const { client, socket } = await started();
    await client.send("hello");
    const id = client.state.outbox[0]?.clientId;
    socket.open();
    socket.serve(welcome(0));
    expect(sends(socket)).toEqual([{ type: "send", clientId: id, text: "hello", attachments: [], language: "en" }]);
    socket.serve({ type: "ack", clientId: id ?? "", seq: 1, messageId: "m1", duplicate: false });
    expect(client.state.outbox).toEqual([]);
    expect(storage.has(outboxKey)).toBe(false);
    expect(client.state.messages.map((m) => [m.id, m.clientId, m.content])).toEqual([["m1", id, "hello"]]);
    expect(client.state.lastSeq).toBe(1);
  });

  it("resends an unacknowledged message after a reconnect with the SAME clientId, and shows it once", async () => {
    const { client, socket } = await started();
    socket.open();
    socket.serve(welcome(0));
    await client.send("once");
    const id = client.state.outbox[0]?.clientId ?? "";
    expect(sends(socket).map((f) => f.type === "send" && f.clientId)).toEqual([id]);
    // The connection dies before the ack; a reconnect welcomes us again and the outbox is flushed.
    socket.drop();
    expect(client.state.status).toBe("offline");
    socket.open();
    socket.serve(welcome(0));
    expect(sends(socket).map((f) => f.type === "send" && f.clientId)).toEqual([id, id]);
    // The server stored it once: it echoes the message and acks the retry as a duplicate.
    socket.serve({
      type: "message",
      message: msg(1, { type: "incoming", senderType: "contact", clientId: id, content: "once" }),
    });
    socket.serve({ type: "ack", clientId: id, seq: 1, messageId: "m1", duplicate: true });
    expect(client.state.messages.filter((m) => m.clientId === id)).toHaveLength(1);
    expect(client.state.outbox).toEqual([]);
  });

  it("restores the outbox from localStorage after a reload and sends it on welcome", async () => {
    const queued = { clientId: "abcdefgh1234", text: "from before", attachments: [], language: "en", createdAt: 5 };
    storage.set(outboxKey, JSON.stringify([queued]));
    const { client, socket } = await started();
    expect(client.state.outbox).toEqual([queued]);
    socket.open();
    socket.serve(welcome(0));
    expect(sends(socket)).toEqual([
      { type: "send", clientId: "abcdefgh1234", text: "from before", attachments: [], language: "en" },
    ]);
  });

  it("drops a stored outbox that does not match the schema instead of sending it", async () => {
    storage.set(outboxKey, JSON.stringify([{ clientId: "bad id!", text: 1 }]));
    const { client, socket } = await started();
    expect(client.state.outbox).toEqual([]);
    socket.open();
    socket.serve(welcome(0));
    expect(sends(socket)).toEqual([]);
  });

  it("reconnects asking only for what it missed (lastSeq in the query), and resumes explicitly if no sync comes", async () => {
    const { client, socket } = await started();
    expect(socket.url()).toMatch(/^wss?:\/\/[^/]+\/parties\/conversation-room\/conv_1\?/);
    expect(socket.options.query()).toMatchObject({ token: "tok", lastSeq: "0" });
    socket.open();
    socket.serve(welcome(0));
    socket.serve({ type: "sync", messages: [msg(1), msg(2), msg(3)], lastSeq: 3, actions: [] });
    expect(client.state.lastSeq).toBe(3);
    expect(socket.options.query()).toMatchObject({ lastSeq: "3" });
    vi.advanceTimersByTime(1_000);
    expect(socket.sent.filter((f) => f.type === "resume")).toEqual([]);
    // Reconnected; the server is at seq 5 but no sync arrives: the client asks from its own lastSeq.
    socket.drop();
    socket.open();
    socket.serve(welcome(5));
    vi.advanceTimersByTime(1_000);
    expect(socket.sent.filter((f) => f.type === "resume")).toEqual([{ type: "resume", lastSeq: 3 }]);
    socket.serve({ type: "sync", messages: [msg(4), msg(5)], lastSeq: 5, actions: [] });
    expect(client.state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("dedupes echoed and re-synced messages by id, keeps seq order and never shows notes", async () => {
    const { client, socket } = await started();
    socket.open();
    socket.serve(welcome(0));
    socket.serve({ type: "message", message: msg(2) });
    socket.serve({ type: "message", message: msg(1) });
    socket.serve({ type: "message", message: msg(2) });
    socket.serve({ type: "sync", messages: [msg(1), msg(2), msg(3, { type: "note" })], lastSeq: 3, actions: [] });
    expect(client.state.messages.map((m) => m.id)).toEqual(["m1", "m2"]);
  });

  it("an echoed own message clears the outbox even before its ack", async () => {
    const { client, socket } = await started();
    socket.open();
    socket.serve(welcome(0));
    await client.send("hi");
    const id = client.state.outbox[0]?.clientId ?? "";
    socket.serve({ type: "message", message: msg(1, { type: "incoming", senderType: "contact", clientId: id }) });
    expect(client.state.outbox).toEqual([]);
    socket.serve({ type: "ack", clientId: id, seq: 1, messageId: "m1", duplicate: false });
    expect(client.state.messages).toHaveLength(1);
  });

  it("marks a message the server refused as failed, keeps it visible, and stops persisting it", async () => {
    const { client, socket } = await started();
    socket.open();
    socket.serve(welcome(0));
    await client.send("refused");
    const id = client.state.outbox[0]?.clientId ?? "";
    socket.serve({ type: "error", code: "rate_limited", message: "slow down", clientId: id });
    expect(client.state.outbox).toEqual([expect.objectContaining({ clientId: id, failed: "send" })]);
    expect(storage.has(outboxKey)).toBe(false);
    // A later welcome does not resend a failed message.
    socket.serve(welcome(0));
    expect(sends(socket)).toHaveLength(1);
  });

  it("ignores frames that fail the protocol schema", async () => {
    const { client, socket } = await started();
    socket.open();
    socket.serve(welcome(0));
    socket.serve({ type: "message", message: { ...msg(1), seq: "x" } } as unknown as ServerFrame);
    expect(client.state.messages).toEqual([]);
  });

  it("reconnects when the network comes back", async () => {
    const { socket } = await started();
    windowListeners.get("online")?.();
    expect(socket.reconnects).toBe(1);
  });
});
