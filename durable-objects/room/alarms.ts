/**
 * The room's one alarm: snooze wake-ups, expiry of offered actions, SLA breaches and the
 * D1 mirror backstop. `nextAlarmAt` is the pure schedule; `runDueWork` does what is due.
 * Each breach fires once: which ones fired lives in the meta's own `sla` record, which
 * no other writer touches (issue 17, bug 2).
 */
import { bumpPriority } from "../lib/priority.ts";
import { nextSlaAlarm, slaStatus } from "../lib/sla.ts";
import { presenceOf } from "../../workers/services/data-location.ts";
import type { RoomHost } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import { applyTurn } from "./ownership.ts";
import type { StoredAction } from "./store.ts";

/** When the alarm should next fire, or null for none. */
export function nextAlarmAt(
  meta: RoomMeta,
  actions: ReadonlyArray<Pick<StoredAction, "status" | "expiresAt">>,
  now: number,
  mirrorBackstopAt: number | null,
  extraAt?: number,
  automationAt: readonly number[] = [],
): number | null {
  const candidates: number[] = [...automationAt];
  if (extraAt) candidates.push(extraAt);
  if (meta.turn.status === "snoozed" && meta.turn.snoozedUntil) candidates.push(meta.turn.snoozedUntil);
  for (const a of actions) if (a.status === "pending") candidates.push(a.expiresAt);
  if (meta.sla.due && meta.turn.status !== "resolved") {
    const next = nextSlaAlarm(meta.sla.due, meta.sla.firstRespondedAt, null, now);
    if (next) candidates.push(next.at);
  }
  if (mirrorBackstopAt !== null) candidates.push(mirrorBackstopAt);
  return candidates.length ? Math.max(now + 50, Math.min(...candidates)) : null;
}

/** Everything the alarm found due at `now`. */
export async function runDueWork(host: RoomHost, now: number): Promise<void> {
  const meta = await host.meta();
  if (!meta) return;
  if (meta.turn.status === "snoozed" && meta.turn.snoozedUntil !== null && meta.turn.snoozedUntil <= now)
    await applyTurn(host, { type: "snooze_wake", now }, "Snooze ended; the conversation is open again", null);
  for (const a of host.store.actions())
    if (a.status === "pending" && a.expiresAt <= now && host.store.transitionAction(a.id, "pending", "expired"))
      host.broadcastAction(a.id);
  await slaBreaches(host, now);
}

async function slaBreaches(host: RoomHost, now: number): Promise<void> {
  const meta = host.store.getMeta();
  if (!meta?.sla.due) return;
  const status = slaStatus(meta.sla.due, meta.sla.firstRespondedAt, meta.turn.status === "resolved" ? now : null, now);
  const breaches = (["firstResponse", "resolution"] as const).filter(
    (k) => status[k] === "breached" && !meta.sla.fired.includes(k),
  );
  if (!breaches.length) return;
  const after = host.store.updateMeta((m) => {
    m.sla.fired = [...m.sla.fired, ...breaches];
    m.priority = bumpPriority(m.priority);
  });
  if (!after) return;
  await host.append({
    type: "activity",
    senderType: "system",
    senderId: null,
    senderName: null,
    content: `SLA breached: ${breaches.map((b) => (b === "firstResponse" ? "first response" : "resolution")).join(" and ")} is overdue; priority raised to ${after.priority}`,
  });
  await (
    await presenceOf(host.bindings, after.workspaceId)
  ).slaBreach(after.conversationId, after.turn.assigneeId, breaches.join(","));
  await host.automationEvent("sla_breached", breaches.join(","));
  host.broadcastState(host.store.getMeta() ?? after);
}
