/**
 * What the room's concern modules (AI turn, actions, forms, alarms, ownership, outgoing
 * delivery) may use of the ConversationRoom object: its storage, its sockets through the
 * broadcast helpers, and a few wired services. The object implements it; the modules
 * hold the rules. The flow and rule runners (room/flow.ts, room/rules.ts) get their own,
 * smaller hosts from the object and are reached from the modules through the two hooks at
 * the end.
 */
import type { TenantDb } from "../../workers/db/client.ts";
import type { ServerFrame } from "../../workers/protocol/frames.ts";
import type { SocketIdentity } from "../../workers/lib/socket-auth.ts";
import type { RuleEventKind } from "../../workers/protocol/flows.ts";
import type { TurnEvent } from "../lib/turn.ts";
import type { RoomMeta } from "./meta.ts";
import type { NewMessage, RoomStore, StoredMessage } from "./store.ts";

/** A socket's verified identity plus the display name resolved at connect and when it connected. */
export type ConnState = SocketIdentity & { name: string | null; since?: number };

export interface RoomHost {
  /** The Worker bindings (the object's env). */
  readonly bindings: Env;
  /** The conversation id (the object's name). */
  readonly name: string;
  readonly store: RoomStore;
  /** The room's meta, loaded from D1 the first time. */
  meta(): Promise<RoomMeta | null>;
  /** Keeps a meta built from D1 rows the room has in hand (a visitor's first message) and arms the alarm. */
  keepMeta(meta: RoomMeta): Promise<RoomMeta>;
  /** Tenant-scoped D1 for this conversation's workspace. */
  tdb(meta: RoomMeta): TenantDb;
  /** Durable append, then broadcast (by the visibility rule), then mirror. */
  append(m: NewMessage): Promise<{ message: StoredMessage; duplicate: boolean }>;
  /** A frame to every socket, or one audience; never a note to a customer. */
  broadcastFrame(frame: ServerFrame, exceptId?: string, audience?: "contact" | "operator"): void;
  broadcastAction(id: string): void;
  broadcastState(meta: RoomMeta, queuePosition?: number | null): void;
  /** Runs a turn-ownership event and its effects; returns the refusal code or null. */
  applyTurn(
    event: TurnEvent,
    activity: string,
    actorId: string | null,
    fromPresence?: boolean,
    customerNotice?: string | null,
  ): Promise<string | null>;
  kickMirror(): void;
  mirrorNow(): Promise<void>;
  scheduleAlarm(): Promise<void>;
  pushInbox(message: StoredMessage | null): void;
  /**
   * Tells the workspace's automation rules (room/rules.ts) that something happened here;
   * `occurrence` makes the event idempotent (each rule fires once per occurrence).
   */
  automationEvent(event: RuleEventKind, occurrence: string, extra?: { csat?: number; text?: string }): Promise<void>;
  /** The turn's owner changed: a waiting scenario flow (room/flow.ts) stops when people take over. */
  ownerChanged(meta: RoomMeta): Promise<void>;
}
