/**
 * The widget visitor before and at their first message (issue 21, item 9). A session
 * writes nothing: its token reserves a conversation id and a contact id, and this room
 * accepts that visitor's socket while no row exists yet ("pending"), then creates the
 * rows when the visitor first writes. Also the per-visitor caps on sockets and messages
 * (durable-objects/lib/visitor-limits.ts).
 */
import type { Connection } from "partyserver";
import type { ConversationState } from "../../workers/protocol/frames.ts";
import {
  planVisitorStart,
  startVisitorConversation,
  type VisitorPlan,
  type VisitorStart,
} from "../../workers/services/widget-visitors.ts";
import { readSettings } from "../../workers/protocol/settings.ts";
import { TenantDb, rawDb } from "../../workers/db/client.ts";
import { CLOSE_TOO_MANY_SOCKETS } from "../../workers/protocol/widget.ts";
import { SOCKETS_PER_VISITOR, VISITOR_MESSAGES_PER_MINUTE, socketsToClose } from "../lib/visitor-limits.ts";
import type { ConnState, RoomHost } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import { roomMetaFromRows } from "./meta-load.ts";

/** What a visitor sees of a conversation that has no row yet: a fresh open conversation with the bot. */
export function pendingState(conversationId: string): ConversationState {
  return {
    id: conversationId,
    status: "open",
    owner: "bot",
    assigneeId: null,
    assigneeName: null,
    teamId: null,
    priority: "normal",
    tags: [],
    category: null,
    language: null,
    snoozedUntil: null,
    queuePosition: null,
    csatRequested: false,
  };
}

/** May this socket open a conversation that has no row yet? Only the visitor whose token reserved it. */
export function mayOpenPending(who: ConnState, conversationId: string): boolean {
  return who.role === "contact" && who.conversationId === conversationId && who.visitor !== undefined;
}

/** The reservation in a visitor's token, as the row creation needs it. */
function reservation(host: RoomHost, who: ConnState, language: string | null): VisitorStart | null {
  if (!who.visitor || who.conversationId !== host.name) return null;
  return {
    conversationId: host.name,
    contactId: who.id,
    visitorId: who.visitor.id,
    verifiedEmail: who.visitor.email,
    name: who.visitor.name,
    language,
    consent: who.visitor.consent,
  };
}

/**
 * Reads (never writes) what creating this visitor's rows will need, when their socket
 * opens a pending conversation: their first message then waits for one batch of writes
 * (widget-visitors.ts). Null when there is nothing to plan or the read failed (the first
 * message then reads for itself). The plan lives in the object's memory: a room that
 * hibernated before the first message (a visitor who typed for longer than that) has lost
 * it, and the first message reads for itself — two rounds of reads, then the same batch.
 */
export async function planForVisitor(host: RoomHost, who: ConnState): Promise<VisitorPlan | null> {
  const v = reservation(host, who, null);
  if (!v) return null;
  try {
    return await planVisitorStart(new TenantDb(rawDb(host.bindings.DB), who.workspaceId), v);
  } catch (err) {
    console.error("visitor plan failed", err instanceof Error ? err.message : "unknown");
    return null;
  }
}

/**
 * Creates the contact and conversation rows from the visitor's token (idempotent), then
 * the room's meta — from the rows just written when they were written in one batch, else
 * from D1. The visitor's sockets take the conversation's contact id (an existing contact
 * of a verified email may differ from the one the token reserved).
 */
export async function startForVisitor(
  host: RoomHost,
  sockets: Iterable<Connection<ConnState>>,
  who: ConnState,
  language: string | null,
  plan: VisitorPlan | null,
): Promise<RoomMeta | null> {
  const v = reservation(host, who, language);
  if (!v) return null;
  const started = await startVisitorConversation(new TenantDb(rawDb(host.bindings.DB), who.workspaceId), v, plan);
  if (!started) return null;
  const { contactId, written } = started;
  for (const c of sockets)
    if (c.state?.role === "contact" && c.state.visitor?.id === v.visitorId && c.state.id !== contactId)
      c.setState({ ...c.state, id: contactId });
  if (written && !host.store.getMeta())
    return host.keepMeta(
      roomMetaFromRows(written.conversation, written.contact, readSettings(written.workspace?.settings)),
    );
  return host.meta();
}

/** Closes the oldest sockets of this visitor so that the new one fits under SOCKETS_PER_VISITOR. */
export function makeRoomForSocket(sockets: Iterable<Connection<ConnState>>, newcomer: Connection<ConnState>): void {
  const visitorId = newcomer.state?.visitor?.id;
  if (!visitorId) return;
  const mine = [...sockets]
    .filter((c) => c.id !== newcomer.id && c.state?.visitor?.id === visitorId)
    .sort((a, b) => (a.state?.since ?? 0) - (b.state?.since ?? 0));
  for (const old of socketsToClose(mine, SOCKETS_PER_VISITOR))
    old.close(CLOSE_TOO_MANY_SOCKETS, "This chat was opened in another window");
}

/** The most log rows the message cap reads per message (bot replies and notes sit between a visitor's messages). */
const MAX_SCAN = 3000;

/**
 * Has this visitor sent their quota of messages in the last minute (counted from the
 * durable log)? The quota is the VISITOR_MESSAGES_PER_MINUTE variable of wrangler.toml
 * (the benchmarks lift it), else the rule's default.
 */
export function overMessageCap(host: RoomHost, contactId: string, now: number): boolean {
  const configured = Number(host.bindings.VISITOR_MESSAGES_PER_MINUTE);
  const cap = Number.isInteger(configured) && configured > 0 ? configured : VISITOR_MESSAGES_PER_MINUTE;
  // A cap the scanned rows could never reach is no cap (the benchmarks' setting): skip the query.
  const scan = Math.max(300, cap * 10);
  if (scan > MAX_SCAN) return false;
  return host.store.incomingSince(contactId, now - 60_000, scan) >= cap;
}
