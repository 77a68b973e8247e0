/**
 * Frames to the room's sockets, with the visibility rule (visibility.ts) applied on every
 * path: live messages, action updates and the sync a socket gets on (re)connect.
 * Serialised once per frame, on the first socket that gets it (channel conversations
 * often have no socket open).
 */
import type { Connection } from "partyserver";
import type { ConversationState, ServerFrame } from "../../workers/protocol/frames.ts";
import type { ConnState } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import { toWire, toWireAction, type RoomStore, type StoredAction, type StoredMessage } from "./store.ts";
import { customerMaySeeAction, customerMaySeeMessage } from "./visibility.ts";

type Sockets = Iterable<Connection<ConnState>>;

const isStaff = (c: Connection<ConnState>): boolean => c.state?.role === "operator";

export function sendFrame(conn: Connection, frame: ServerFrame): void {
  conn.send(JSON.stringify(frame));
}

export function broadcastFrame(
  sockets: Sockets,
  frame: ServerFrame,
  exceptId?: string,
  audience?: "contact" | "operator",
): void {
  let text: string | null = null;
  for (const c of sockets) {
    if (c.id === exceptId || !c.state) continue;
    if (audience && c.state.role !== audience) continue;
    text ??= JSON.stringify(frame);
    c.send(text);
  }
}

export function broadcastMessage(sockets: Sockets, m: StoredMessage): void {
  const visible = customerMaySeeMessage(m);
  let frame: string | null = null;
  for (const c of sockets) {
    if (!c.state || (!visible && !isStaff(c))) continue;
    frame ??= JSON.stringify({ type: "message", message: toWire(m) } satisfies ServerFrame);
    c.send(frame);
  }
}

export function broadcastAction(sockets: Sockets, a: StoredAction): void {
  const visible = customerMaySeeAction(a);
  let frame: string | null = null;
  for (const c of sockets) {
    if (!c.state || (!visible && !isStaff(c))) continue;
    frame ??= JSON.stringify({ type: "action", action: toWireAction(a) } satisfies ServerFrame);
    c.send(frame);
  }
}

/** The messages and actions after `after` that this socket may see. */
export function sendSync(conn: Connection<ConnState>, store: RoomStore, after: number): void {
  const staff = isStaff(conn);
  sendFrame(conn, {
    type: "sync",
    messages: store
      .after(after)
      .filter((m) => staff || customerMaySeeMessage(m))
      .map(toWire),
    lastSeq: store.lastSeq(),
    actions: store
      .actions()
      .filter((a) => staff || customerMaySeeAction(a))
      .map(toWireAction),
  });
}

export function stateOf(meta: RoomMeta, queuePosition: number | null = null): ConversationState {
  return {
    id: meta.conversationId,
    status: meta.turn.status,
    owner: meta.turn.owner,
    assigneeId: meta.turn.assigneeId,
    assigneeName: meta.assigneeName,
    teamId: meta.teamId,
    priority: meta.priority,
    tags: meta.tags,
    category: meta.category,
    language: meta.language,
    snoozedUntil: meta.turn.snoozedUntil,
    queuePosition,
    csatRequested: meta.csatRequested,
  };
}
