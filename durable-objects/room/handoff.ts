/**
 * Hand-overs from the bot to people, and what the customer is told (issue 18: no silent
 * hand-offs, no internal reasons in the customer's view).
 *
 * - `handoff`: the conversation goes to the queue; the customer gets a localised notice
 *   with the expected response time (business-hours aware); the reason stays in an
 *   operator-only activity line. Offered actions expire with the hand-over (ownership.ts):
 *   once people take over, a confirmation the bot asked for no longer stands.
 * - `holdForOperator`: the gate held the bot's answer (draft) — the customer is
 *   acknowledged and told when a human will answer; the conversation waits in the queue
 *   marked `held`, where the bot still answers read-only questions until an operator
 *   takes it.
 */
import { handoffNotice, heldNotice } from "../../workers/copy/customer.ts";
import type { RoomHost } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import { replyWindowOf, sendOutgoing } from "./outgoing.ts";

export async function handoff(
  host: RoomHost,
  meta: RoomMeta,
  reason: string,
  opts: { announce: boolean; held?: "draft" | "escalate" },
): Promise<void> {
  if (opts.announce) {
    const window = await replyWindowOf(host, meta);
    await sendOutgoing(host, meta, {
      content: opts.held === "draft" ? heldNotice(meta.language, window) : handoffNotice(meta.language, window),
      internal: { handoffReason: reason },
    });
  }
  const current = host.store.getMeta() ?? meta;
  if (current.turn.owner === "bot") {
    await host.applyTurn(
      { type: "bot_handoff", teamId: current.teamId },
      opts.held === "draft" ? `AI draft awaiting operator approval: ${reason}` : `Handed to a human: ${reason}`,
      null,
    );
  } else if (opts.held) {
    await host.append({
      type: "activity",
      senderType: "system",
      senderId: null,
      senderName: null,
      content: `AI answer held for an operator: ${reason}`,
    });
  }
  if (opts.held) {
    const after = host.store.updateMeta((m) => {
      m.held = m.turn.owner === "queue" ? { since: Date.now(), kind: opts.held ?? "draft" } : null;
    });
    if (after) host.broadcastState(after);
  }
}

/** Offered (pending) bot actions expire once people take over; held proposals stay for operators. */
export function expireOffered(host: RoomHost): void {
  for (const a of host.store.actions())
    if (a.status === "pending" && a.proposedBy === "bot" && host.store.transitionAction(a.id, "pending", "expired"))
      host.broadcastAction(a.id);
}
