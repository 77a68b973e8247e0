/**
 * What a customer may see of the room: the one rule every socket path (sync, live
 * broadcast, action frames) applies. Customers see the conversation's messages and the
 * actions that were offered to them; everything else — notes, activity lines (hand-over
 * reasons, assignments, SLA, "draft awaiting approval") and proposals held for an
 * operator — is operator-only. What the customer should be told about those is sent as
 * a localised outgoing message (workers/copy/customer.ts), or — for an ownership change
 * the customer should see happen ("Connecting you to Lucía") — an activity line written
 * in their language and marked `customerVisible` by the room itself.
 */
import type { WireMessage } from "../../workers/protocol/frames.ts";

export function customerMaySeeMessage(m: Pick<WireMessage, "type"> & { internal?: Record<string, unknown> }): boolean {
  if (m.type === "incoming" || m.type === "outgoing") return true;
  return m.type === "activity" && m.internal?.customerVisible === true;
}

export function customerMaySeeAction(a: { status: string; offeredAt: number | null }): boolean {
  return a.status !== "proposed" && a.offeredAt !== null;
}
