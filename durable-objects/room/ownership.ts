/**
 * Who owns the turn, wired to storage and the Presence object: every change goes
 * through `applyTurnEvent` (lib/turn.ts) and its effects (queue, operator slots) are
 * carried out here. Operator commands (socket and REST) land in `runCommand`.
 *
 * When people take over from the bot, actions the bot offered expire; when the
 * conversation leaves the queue, a held answer is no longer waiting (`held` cleared).
 */
import { eq } from "drizzle-orm";
import { schema } from "../../workers/db/client.ts";
import type { ConversationState, OperatorCommand } from "../../workers/protocol/frames.ts";
import { applyTurnEvent, type TurnEffect, type TurnEvent } from "../lib/turn.ts";
import { presenceOf } from "../../workers/services/data-location.ts";
import { planCommand } from "./commands.ts";
import { expireOffered } from "./handoff.ts";
import type { RoomHost } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import { settingsOf } from "./outgoing.ts";
import { customerText } from "../../workers/copy/customer.ts";
import { stateOf } from "./broadcast.ts";

export async function operatorName(host: RoomHost, meta: RoomMeta, id: string): Promise<string | null> {
  const op = await host.tdb(meta).first(schema.operators, eq(schema.operators.id, id));
  return op?.name ?? null;
}

/**
 * Runs one ownership event. `customerNotice` is the customer's own, localised wording of
 * the activity (e.g. "Connecting you to Lucía"), shown to them by the visibility rule;
 * without it the activity line is for operators only.
 */
export async function applyTurn(
  host: RoomHost,
  event: TurnEvent,
  activity: string,
  actorId: string | null,
  fromPresence = false,
  customerNotice: string | null = null,
): Promise<string | null> {
  const meta = await host.meta();
  if (!meta) return "not_found";
  const res = applyTurnEvent(meta.turn, event);
  if (!res.ok) return res.error;
  const assigneeName = res.state.assigneeId ? await operatorName(host, meta, res.state.assigneeId) : null;
  const after = host.store.updateMeta((m) => {
    m.turn = res.state;
    m.assigneeName = assigneeName;
    if (res.state.status === "open" && m.csatRequested && event.type === "reopen") m.csatRequested = false;
    if (res.state.owner !== "queue") m.held = null;
  });
  if (!after) return "not_found";
  if (meta.turn.owner === "bot" && res.state.owner !== "bot") expireOffered(host);
  await host.append({
    type: "activity",
    senderType: "system",
    senderId: actorId,
    senderName: null,
    content: customerNotice ?? activity,
    ...(customerNotice ? { internal: { customerVisible: true, operatorText: activity } } : {}),
  });
  await runEffects(host, after, fromPresence ? res.effects.filter((e) => e.type !== "claim_slot") : res.effects);
  host.broadcastState(host.store.getMeta() ?? after);
  if (meta.turn.owner !== res.state.owner) await host.ownerChanged(after);
  if (meta.turn.status !== res.state.status)
    await host.automationEvent("status_changed", `${res.state.status}@${Date.now()}`);
  await host.scheduleAlarm();
  host.kickMirror();
  host.pushInbox(null);
  return null;
}

/** Carries out a turn change's effects on the Presence object (queue, operator slots). */
export async function runEffects(host: RoomHost, meta: RoomMeta, effects: TurnEffect[]): Promise<void> {
  if (!effects.length) return;
  const presence = await presenceOf(host.bindings, meta.workspaceId);
  for (const e of effects) {
    if (e.type === "enqueue") {
      const res = await presence.enqueue({
        conversationId: meta.conversationId,
        enqueuedAt: Date.now(),
        priority: meta.priority,
        category: meta.category,
        language: meta.language,
        teamId: e.teamId ?? meta.teamId,
      });
      if (res.assignedTo) {
        const current = host.store.getMeta() ?? meta;
        const r2 = applyTurnEvent(current.turn, { type: "operator_assign", operatorId: res.assignedTo });
        if (r2.ok) {
          const name = await operatorName(host, meta, res.assignedTo);
          host.store.updateMeta((m) => {
            m.turn = r2.state;
            m.assigneeName = name;
            m.held = null;
          });
          await host.append({
            type: "activity",
            senderType: "system",
            senderId: null,
            senderName: null,
            content: `Assigned to ${name ?? "an operator"}`,
          });
        }
      } else {
        host.broadcastState(host.store.getMeta() ?? meta, res.position);
      }
    } else if (e.type === "dequeue") await presence.dequeue(meta.conversationId);
    else if (e.type === "claim_slot") await presence.claim(e.operatorId, meta.conversationId);
    else if (e.type === "release_slot") await presence.release(e.operatorId, meta.conversationId);
    // Snooze alarms are derived from meta.turn.snoozedUntil by the alarm schedule.
  }
}

export type CommandResult = { ok: true; state: ConversationState } | { ok: false; code: string; message: string };

/** An operator command from the socket or REST (both obey the same rules, lib/commands.ts). */
export async function runCommand(
  host: RoomHost,
  actor: { id: string; name: string },
  cmd: OperatorCommand,
): Promise<CommandResult> {
  const meta = await host.meta();
  if (!meta) return { ok: false, code: "not_found", message: "Conversation not found" };
  const settings = await settingsOf(host, meta);
  const tdb = host.tdb(meta);
  // The transfer's target is checked first and named in the customer-visible line.
  let targetName: string | null = null;
  let teamId: string | null = null;
  if (cmd.command === "transfer" && cmd.teamId) {
    const team = await tdb.first(schema.teams, eq(schema.teams.id, cmd.teamId));
    if (!team) return { ok: false, code: "unknown_team", message: "No such team" };
    teamId = team.id;
    targetName = team.name;
  }
  if (cmd.command === "assign" || (cmd.command === "transfer" && cmd.operatorId)) {
    const target = cmd.command === "assign" ? cmd.operatorId : (cmd.operatorId ?? "");
    const op = await tdb.first(schema.operators, eq(schema.operators.id, target));
    if (!op || op.role === "analyst" || op.disabled)
      return { ok: false, code: "unknown_operator", message: "No such operator" };
    targetName = op.name;
  }
  const plan = planCommand(cmd, actor, Date.now(), settings.unassignReturnsTo, targetName);
  if (plan.kind === "error") return { ok: false, code: plan.code, message: plan.message };
  if (plan.kind === "meta") {
    const added = plan.patch.tags?.filter((t) => !meta.tags.includes(t)) ?? [];
    const after = host.store.updateMeta((m) => {
      if (plan.patch.tags) m.tags = plan.patch.tags;
      if (plan.patch.priority) m.priority = plan.patch.priority;
    });
    await host.append({
      type: "activity",
      senderType: "system",
      senderId: actor.id,
      senderName: null,
      content: plan.activity,
    });
    if (after) host.broadcastState(after);
    if (added.length) await host.automationEvent("tag_added", `${added.join(",")}@${Date.now()}`);
    await host.mirrorNow();
    return { ok: true, state: stateOf(host.store.getMeta() ?? after ?? meta) };
  }
  if (teamId) {
    const team = teamId;
    host.store.updateMeta((m) => {
      m.teamId = team;
    });
  }
  const transfer = cmd.command === "transfer" && targetName !== null;
  const err = await applyTurn(
    host,
    plan.event,
    plan.activity,
    actor.id,
    false,
    transfer ? transferNotice(meta, cmd, targetName) : null,
  );
  if (err) return { ok: false, code: err, message: `Not possible now: ${err.replace(/_/g, " ")}` };
  // A transfer's note is for colleagues: an internal note, never in the customer's view.
  if (plan.note)
    await host.append({
      type: "note",
      senderType: "operator",
      senderId: actor.id,
      senderName: actor.name,
      content: plan.note,
    });
  const after = await host.meta();
  // The resolved customer is asked to rate the conversation unless CSAT is off (workspace or inbox).
  if (after && cmd.command === "resolve" && settings.csat.enabled) {
    const asked = host.store.updateMeta((m) => {
      m.csatRequested = true;
    });
    if (asked) host.broadcastState(asked);
  }
  await host.mirrorNow();
  return { ok: true, state: stateOf(host.store.getMeta() ?? after ?? meta) };
}

/** The customer's line for a transfer, in their language ("Connecting you to Lucía"). */
function transferNotice(meta: RoomMeta, cmd: OperatorCommand, targetName: string | null): string | null {
  if (cmd.command !== "transfer" || !targetName) return null;
  return customerText(meta.language, cmd.teamId && !cmd.operatorId ? "connectingTeam" : "connectingTo", {
    name: targetName,
  });
}
