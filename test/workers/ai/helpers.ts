/** Helpers for the AI engine's workerd tests: a widget socket client and the AI API mounted like the lead mounts it. */
import { SELF } from "cloudflare:test";
import { ServerFrame, type WireMessage } from "../../../workers/protocol/frames.ts";
import { BASE, call } from "../helpers.ts";
import { startConversation } from "../ws.ts";

/** POST to the real Worker with an operator token. */
export async function aiCall(path: string, token: string, json: unknown): Promise<Response> {
  return call(path, { method: "POST", token, json });
}

export interface WidgetClient {
  conversationId: string;
  visitorToken: string;
  frames: ServerFrame[];
  send(text: string): void;
  decide(actionId: string, decision: "confirm" | "cancel"): void;
  /** Resolves once `pick` finds something in the frames received so far or later. */
  waitFor<T>(pick: (frames: ServerFrame[]) => T | undefined): Promise<T>;
  botMessages(): WireMessage[];
  close(): void;
}

let counter = 0;

/** Starts a widget session and opens its conversation socket. */
export async function openWidget(opts: { identity?: { email: string; hash: string } } = {}): Promise<WidgetClient> {
  const res = await call("/api/widget/session", {
    method: "POST",
    json: { widgetKey: "demo-widget-key", language: "en", ...(opts.identity ? { identity: opts.identity } : {}) },
  });
  if (res.status !== 200) throw new Error(`session failed: ${res.status} ${await res.text()}`);
  const session: { conversationId: string; visitorToken: string; socketPath: string } = await res.json();
  // The rows exist from the visitor's first message on; tests reach into the room before it.
  await startConversation(session);
  const up = await SELF.fetch(`${BASE}${session.socketPath}?token=${encodeURIComponent(session.visitorToken)}`, {
    headers: { Upgrade: "websocket" },
  });
  const ws = up.webSocket;
  if (!ws) throw new Error(`no websocket: ${up.status}`);
  ws.accept();
  const frames: ServerFrame[] = [];
  const listeners = new Set<() => void>();
  ws.addEventListener("message", (ev) => {
    const parsed = ServerFrame.safeParse(JSON.parse(typeof ev.data === "string" ? ev.data : ""));
    if (parsed.success) frames.push(parsed.data);
    for (const l of [...listeners]) l();
  });
  return {
    conversationId: session.conversationId,
    visitorToken: session.visitorToken,
    frames,
    send: (text) =>
      ws.send(JSON.stringify({ type: "send", clientId: `client_${String(++counter).padStart(6, "0")}`, text })),
    decide: (actionId, decision) => ws.send(JSON.stringify({ type: "action.decide", actionId, decision })),
    waitFor<T>(pick: (f: ServerFrame[]) => T | undefined): Promise<T> {
      return new Promise((resolve) => {
        const check = () => {
          const v = pick(frames);
          if (v !== undefined) {
            listeners.delete(check);
            resolve(v);
          }
        };
        listeners.add(check);
        check();
      });
    },
    botMessages: () =>
      frames.flatMap((f) => (f.type === "message" && f.message.senderType === "bot" ? [f.message] : [])),
    close: () => ws.close(1000, "done"),
  };
}

/** The n-th (0-based) bot message, once it arrives. */
export function nthBot(client: WidgetClient, n: number): Promise<WireMessage> {
  return client.waitFor(() => client.botMessages()[n]);
}
