/**
 * Which socket frames each role may send, for every object that takes frames: one table
 * per object, checked before dispatch (issue 21, item 4: an analyst could pick
 * conversations from the queue over the presence socket). A frame type missing from a
 * table is refused, so a new command is closed until someone decides who may run it.
 *
 * Roles: `contact` (a customer's visitor token), and the operator JWT's `admin`,
 * `operator`, `analyst` (read-only: watches, never writes, picks or changes status).
 */
import type { ClientFrame, PresenceClientFrame } from "../../workers/protocol/frames.ts";

export type SocketRole = "contact" | "admin" | "operator" | "analyst";

const STAFF: readonly SocketRole[] = ["admin", "operator"];
const EVERYONE: readonly SocketRole[] = ["contact", "admin", "operator", "analyst"];
const WRITERS: readonly SocketRole[] = ["contact", "admin", "operator"];
const CUSTOMER: readonly SocketRole[] = ["contact"];

export const ROOM_POLICY: Readonly<Record<ClientFrame["type"], readonly SocketRole[]>> = {
  ping: EVERYONE,
  resume: EVERYONE,
  typing: WRITERS,
  // A read receipt tells the customer that support has read them: not an analyst's to give.
  read: WRITERS,
  send: WRITERS,
  note: STAFF,
  "action.decide": WRITERS,
  csat: CUSTOMER,
  nps: CUSTOMER,
  form: CUSTOMER,
  command: STAFF,
};

export const PRESENCE_POLICY: Readonly<Record<PresenceClientFrame["type"], readonly SocketRole[]>> = {
  // Dashboards send heartbeats for every role; an analyst's is harmless (not in the roster).
  heartbeat: ["admin", "operator", "analyst"],
  status: STAFF,
  pick: STAFF,
};

export function mayRun<T extends string>(
  policy: Readonly<Record<T, readonly SocketRole[]>>,
  frame: T,
  role: SocketRole,
): boolean {
  return policy[frame]?.includes(role) ?? false;
}

/** The policy role of an operator token's role (the workspace owner acts as an admin; anything unknown reads only). */
export function staffRole(role: string | null): SocketRole {
  return role === "owner" || role === "admin" ? "admin" : role === "operator" ? "operator" : "analyst";
}

/** The policy role of a room socket identity. */
export function roomRole(id: { role: "contact" | "operator"; operatorRole: string | null }): SocketRole {
  return id.role === "contact" ? "contact" : staffRole(id.operatorRole);
}
