/**
 * Account actions: propose → offer → confirm (single use, expiring) → execute exactly once.
 *
 * Only a sent turn puts an action in front of the customer (`pending`, offered now). A
 * held or escalated turn's proposal is `proposed`: operators see it and may approve it,
 * which offers it to the customer with the held reply; until then the customer never
 * sees it and a confirm naming it is refused like any action never offered (issue 18,
 * safety 1). Offered actions expire when people take the conversation over.
 */
import type { ProposedAction } from "../../workers/ai/turn-types.ts";
import { executeAction } from "../../workers/commerce/execute.ts";
import { customerText, withWhen } from "../../workers/copy/customer.ts";
import { schema } from "../../workers/db/client.ts";
import { newId } from "../../workers/lib/ids.ts";
import { handoff } from "./handoff.ts";
import type { RoomHost } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import { replyWindowOf, sendOutgoing } from "./outgoing.ts";
import { customerMaySeeAction } from "./visibility.ts";

/** How long an offered confirmation stands. */
export const ACTION_TTL_MS = 30 * 60_000;

/** Stores a turn's proposals: offered at once when the turn is sent, operator-only otherwise. */
export function storeProposals(
  host: RoomHost,
  meta: RoomMeta,
  actions: ProposedAction[],
  sent: boolean,
  offerTextOf: (index: number) => string | null,
): string[] {
  return actions.map((a, i) => {
    const stored = host.store.createAction({
      id: newId("act"),
      tool: a.tool,
      args: a.args,
      summary: a.summary,
      customerRef: meta.customerRef,
      proposedBy: "bot",
      expiresAt: Date.now() + ACTION_TTL_MS,
      status: sent ? "pending" : "proposed",
      offerText: offerTextOf(i),
    });
    host.broadcastAction(stored.id);
    return stored.id;
  });
}

/** Confirm/Cancel buttons for an offered action (channel payloads and widget buttons alike). */
export function actionButtons(language: string | null, actionId: string): Array<{ title: string; payload: string }> {
  return [
    { title: customerText(language, "confirm"), payload: `action:${actionId}:confirm` },
    { title: customerText(language, "cancel"), payload: `action:${actionId}:cancel` },
  ];
}

export type DecideResult = { ok: true } | { ok: false; code: string; message: string };

/**
 * A decision on an action. `by` is `contact:<id>` or `operator:<id>`: customers may decide
 * only actions offered to them; an operator's confirm of a held proposal approves it
 * (offers it to the customer), of an offered action executes it.
 */
export async function decideAction(
  host: RoomHost,
  actionId: string,
  decision: "confirm" | "cancel",
  by: string,
): Promise<DecideResult> {
  const meta = await host.meta();
  const action = host.store.action(actionId);
  const customer = by.startsWith("contact:");
  if (!meta || !action || (customer && !customerMaySeeAction(action)))
    return { ok: false, code: "not_found", message: "No such action" };
  if (action.status === "proposed") {
    if (decision === "cancel") {
      if (!host.store.transitionAction(actionId, "proposed", "cancelled", { decidedBy: by }))
        return { ok: false, code: "already_decided", message: "This action was already decided" };
      host.broadcastAction(actionId);
      host.kickMirror();
      return { ok: true };
    }
    if (!host.store.offerAction(actionId, Date.now() + ACTION_TTL_MS))
      return { ok: false, code: "already_decided", message: "This action was already decided" };
    host.broadcastAction(actionId);
    await sendOutgoing(host, meta, {
      content: action.offerText ?? action.summary,
      buttons: actionButtons(meta.language, actionId),
      actionId,
      internal: { actionId, approvedBy: by },
    });
    await host.scheduleAlarm();
    await host.mirrorNow();
    return { ok: true };
  }
  if (action.status === "pending" && action.expiresAt < Date.now()) {
    host.store.transitionAction(actionId, "pending", "expired");
    host.broadcastAction(actionId);
    host.kickMirror();
    return { ok: false, code: "expired", message: "This confirmation has expired; please ask again" };
  }
  if (decision === "cancel") {
    if (!host.store.transitionAction(actionId, "pending", "cancelled", { decidedBy: by }))
      return { ok: false, code: "already_decided", message: "This action was already decided" };
    host.broadcastAction(actionId);
    await sendOutgoing(host, meta, {
      content: customerText(meta.language, "actionCancelled"),
      internal: { actionId, cancelled: true },
    });
    return { ok: true };
  }
  if (!host.store.transitionAction(actionId, "pending", "confirmed", { decidedBy: by }))
    return { ok: false, code: "already_decided", message: "This action was already decided" };
  host.broadcastAction(actionId);
  host.kickMirror();
  try {
    const result = await executeAction(host.bindings, meta.workspaceId, action.customerRef, action.tool, action.args);
    host.store.transitionAction(actionId, "confirmed", "executed", { result });
    host.broadcastAction(actionId);
    await sendOutgoing(host, meta, {
      content: typeof result.message === "string" ? result.message : customerText(meta.language, "actionDone"),
      internal: { actionId, executed: true },
    });
    await audit(host, meta, "action.executed", { actionId, tool: action.tool, by });
  } catch (err) {
    host.store.transitionAction(actionId, "confirmed", "failed", {
      result: { error: err instanceof Error ? err.message : "failed" },
    });
    host.broadcastAction(actionId);
    // The customer is told (through the one outgoing path, so it reaches external
    // channels too) and a person takes over; the reason stays with the operators.
    await sendOutgoing(host, meta, {
      content: withWhen(meta.language, "actionFailed", await replyWindowOf(host, meta)),
      internal: { actionId, failed: true },
    });
    await handoff(host, meta, `Action ${action.tool} failed`, { announce: false });
  }
  await host.mirrorNow();
  return { ok: true };
}

async function audit(host: RoomHost, meta: RoomMeta, action: string, detail: Record<string, unknown>): Promise<void> {
  await host.tdb(meta).insert(schema.auditLog, {
    id: newId("aud"),
    actorType: "bot",
    actorId: null,
    action,
    targetType: "conversation",
    targetId: meta.conversationId,
    detail,
  });
}
