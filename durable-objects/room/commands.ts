/**
 * Operator commands → turn events (pure). The socket `command` frame and the REST
 * `POST /api/conversations/:id/commands` both land here, so both paths obey the same rules.
 *
 * Activities are shown to the customer too, so they never carry a transfer's note: the note
 * comes back as `note` and the room stores it as an internal note (operators only).
 */
import type { OperatorCommand } from "../../workers/protocol/frames.ts";
import type { TurnEvent } from "../lib/turn.ts";

export type CommandPlan =
  | { kind: "turn"; event: TurnEvent; activity: string; note?: string }
  | { kind: "meta"; patch: { tags?: string[]; priority?: "low" | "normal" | "high" | "urgent" }; activity: string }
  | { kind: "error"; code: string; message: string };

/** The internal note a transfer carries, if any (blank notes are dropped). */
function transferNote(note: string | undefined): { note?: string } {
  const text = note?.trim();
  return text ? { note: text } : {};
}

export function planCommand(
  cmd: OperatorCommand,
  actor: { id: string; name: string },
  now: number,
  unassignTo: "queue" | "bot",
  /** Display name of the transfer's target (operator or team), for the customer-visible activity. */
  targetName?: string | null,
): CommandPlan {
  switch (cmd.command) {
    case "assign":
      return {
        kind: "turn",
        event: { type: "operator_assign", operatorId: cmd.operatorId },
        activity:
          cmd.operatorId === actor.id
            ? `${actor.name} took the conversation`
            : `${actor.name} assigned the conversation`,
      };
    case "unassign":
      return {
        kind: "turn",
        event: { type: "operator_unassign", to: unassignTo },
        activity: `${actor.name} unassigned the conversation`,
      };
    case "transfer":
      if (cmd.operatorId)
        return {
          kind: "turn",
          event: { type: "transfer_to_operator", operatorId: cmd.operatorId },
          activity: targetName ? `Connecting you to ${targetName}` : `${actor.name} transferred the conversation`,
          ...transferNote(cmd.note),
        };
      if (cmd.teamId)
        return {
          kind: "turn",
          event: { type: "transfer_to_team", teamId: cmd.teamId },
          activity: targetName
            ? `Connecting you to the ${targetName} team`
            : `${actor.name} transferred the conversation to a team`,
          ...transferNote(cmd.note),
        };
      return { kind: "error", code: "invalid_command", message: "Transfer needs an operatorId or a teamId" };
    case "resolve":
      return { kind: "turn", event: { type: "operator_resolve" }, activity: `${actor.name} resolved the conversation` };
    case "reopen":
      return { kind: "turn", event: { type: "reopen" }, activity: `${actor.name} reopened the conversation` };
    case "snooze":
      return {
        kind: "turn",
        event: { type: "snooze", until: cmd.until, now },
        activity: `${actor.name} snoozed the conversation until ${new Date(cmd.until).toISOString()}`,
      };
    case "return_to_bot":
      return {
        kind: "turn",
        event: { type: "return_to_bot" },
        activity: `${actor.name} handed the conversation back to the assistant`,
      };
    case "set_tags":
      return {
        kind: "meta",
        patch: { tags: [...new Set(cmd.tags)] },
        activity: `${actor.name} set tags: ${cmd.tags.join(", ") || "none"}`,
      };
    case "set_priority":
      return {
        kind: "meta",
        patch: { priority: cmd.priority },
        activity: `${actor.name} set priority to ${cmd.priority}`,
      };
  }
}
