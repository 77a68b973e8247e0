/**
 * Who owns the conversation's turn: the bot, the waiting queue, or a human operator.
 *
 * The ConversationRoom keeps one TurnState in storage and runs every change through
 * `applyTurnEvent`. Invalid transitions come back as a typed error (the DO answers the
 * operator's socket with it) instead of throwing. Each accepted transition lists the
 * effects the DO must carry out on the Presence DO and its alarm, so the wiring stays a
 * loop over `effects` with no rules of its own.
 */

export type TurnOwner = "bot" | "human" | "queue";
/** open: someone should act; pending: waiting on the customer; snoozed: hidden until a time. */
export type ConversationStatus = "open" | "pending" | "snoozed" | "resolved";

export interface TurnState {
  owner: TurnOwner;
  assigneeId: string | null;
  status: ConversationStatus;
  snoozedUntil: number | null;
}

export type TurnEvent =
  | { type: "customer_message" }
  | { type: "bot_handoff"; teamId?: string | null }
  | { type: "operator_assign"; operatorId: string }
  | { type: "operator_unassign"; to: "queue" | "bot" }
  | { type: "operator_resolve" }
  | { type: "reopen" }
  | { type: "mark_pending" }
  | { type: "snooze"; until: number; now: number }
  | { type: "snooze_wake"; now: number }
  | { type: "transfer_to_operator"; operatorId: string }
  | { type: "transfer_to_team"; teamId: string }
  | { type: "return_to_bot" };

/** Side effects for the DO; Presence keeps queue membership and operator load. */
export type TurnEffect =
  | { type: "enqueue"; teamId: string | null }
  | { type: "dequeue" }
  | { type: "claim_slot"; operatorId: string }
  | { type: "release_slot"; operatorId: string }
  | { type: "set_snooze_alarm"; at: number }
  | { type: "clear_snooze_alarm" };

export type TurnError =
  | "conversation_resolved"
  | "not_resolved"
  | "not_bot_owned"
  | "not_human_owned"
  | "already_assigned"
  | "same_operator"
  | "not_snoozed"
  | "snooze_not_due"
  | "snooze_in_past"
  | "already_bot_owned";

export type TurnResult =
  { ok: true; state: TurnState; effects: TurnEffect[] } | { ok: false; error: TurnError; state: TurnState };

/** A new conversation: the bot answers first. */
export const INITIAL_TURN: TurnState = { owner: "bot", assigneeId: null, status: "open", snoozedUntil: null };

function ok(state: TurnState, effects: TurnEffect[] = []): TurnResult {
  return { ok: true, state, effects };
}

function fail(state: TurnState, error: TurnError): TurnResult {
  return { ok: false, error, state };
}

/** Effects that undo the current ownership (leaving a queue or freeing an operator slot). */
function releaseOwnership(state: TurnState): TurnEffect[] {
  if (state.owner === "queue") return [{ type: "dequeue" }];
  if (state.owner === "human" && state.assigneeId !== null)
    return [{ type: "release_slot", operatorId: state.assigneeId }];
  return [];
}

/** A snoozed conversation becomes open again; the pending alarm is cancelled. */
function wake(state: TurnState): { state: TurnState; effects: TurnEffect[] } {
  if (state.status !== "snoozed") return { state, effects: [] };
  return { state: { ...state, status: "open", snoozedUntil: null }, effects: [{ type: "clear_snooze_alarm" }] };
}

/**
 * Apply one event to the turn state.
 *
 * Resolving freezes owner and assignee; reopening (by an operator, or by a new customer
 * message) thaws them, so the customer returns to the same operator or queue. The DO
 * checks presence after a reopen and unassigns if that operator has gone offline.
 * A customer message also wakes a snoozed conversation and ends "pending".
 * Events that change ownership of a snoozed conversation wake it: a transfer or handoff
 * means someone must act now. A team transfer is allowed from any owner (from the bot it
 * is a targeted handoff; from the queue it re-targets the waiting item).
 */
export function applyTurnEvent(state: TurnState, event: TurnEvent): TurnResult {
  const resolved = state.status === "resolved";
  switch (event.type) {
    case "customer_message": {
      if (resolved) return ok({ ...state, status: "open", snoozedUntil: null }, reclaim(state));
      const woken = wake(state);
      return ok({ ...woken.state, status: "open" }, woken.effects);
    }
    case "reopen":
      if (!resolved) return fail(state, "not_resolved");
      return ok({ ...state, status: "open", snoozedUntil: null }, reclaim(state));
    case "bot_handoff": {
      if (resolved) return fail(state, "conversation_resolved");
      if (state.owner !== "bot") return fail(state, "not_bot_owned");
      const woken = wake(state);
      return ok({ ...woken.state, owner: "queue", assigneeId: null, status: "open" }, [
        ...woken.effects,
        { type: "enqueue", teamId: event.teamId ?? null },
      ]);
    }
    case "operator_assign": {
      if (resolved) return fail(state, "conversation_resolved");
      if (state.owner === "human") {
        if (state.assigneeId === event.operatorId) return ok(state);
        return fail(state, "already_assigned");
      }
      const woken = wake(state);
      return ok({ ...woken.state, owner: "human", assigneeId: event.operatorId }, [
        ...woken.effects,
        ...releaseOwnership(state),
        { type: "claim_slot", operatorId: event.operatorId },
      ]);
    }
    case "operator_unassign": {
      if (resolved) return fail(state, "conversation_resolved");
      if (state.owner !== "human") return fail(state, "not_human_owned");
      const effects = releaseOwnership(state);
      if (event.to === "queue") effects.push({ type: "enqueue", teamId: null });
      return ok({ ...state, owner: event.to, assigneeId: null }, effects);
    }
    case "operator_resolve": {
      if (resolved) return fail(state, "conversation_resolved");
      const effects: TurnEffect[] = [...releaseOwnership(state)];
      if (state.status === "snoozed") effects.push({ type: "clear_snooze_alarm" });
      return ok({ ...state, status: "resolved", snoozedUntil: null }, effects);
    }
    case "mark_pending": {
      if (resolved) return fail(state, "conversation_resolved");
      const woken = wake(state);
      return ok({ ...woken.state, status: "pending" }, woken.effects);
    }
    case "snooze":
      if (resolved) return fail(state, "conversation_resolved");
      if (event.until <= event.now) return fail(state, "snooze_in_past");
      return ok({ ...state, status: "snoozed", snoozedUntil: event.until }, [
        { type: "set_snooze_alarm", at: event.until },
      ]);
    case "snooze_wake":
      if (state.status !== "snoozed") return fail(state, "not_snoozed");
      if (state.snoozedUntil !== null && event.now < state.snoozedUntil) return fail(state, "snooze_not_due");
      return ok({ ...state, status: "open", snoozedUntil: null });
    case "transfer_to_operator": {
      if (resolved) return fail(state, "conversation_resolved");
      if (state.owner !== "human") return fail(state, "not_human_owned");
      if (state.assigneeId === event.operatorId) return fail(state, "same_operator");
      const woken = wake(state);
      return ok({ ...woken.state, assigneeId: event.operatorId, status: "open" }, [
        ...woken.effects,
        ...releaseOwnership(state),
        { type: "claim_slot", operatorId: event.operatorId },
      ]);
    }
    case "transfer_to_team": {
      if (resolved) return fail(state, "conversation_resolved");
      const woken = wake(state);
      return ok({ ...woken.state, owner: "queue", assigneeId: null, status: "open" }, [
        ...woken.effects,
        ...releaseOwnership(state),
        { type: "enqueue", teamId: event.teamId },
      ]);
    }
    case "return_to_bot": {
      if (resolved) return fail(state, "conversation_resolved");
      if (state.owner === "bot") return fail(state, "already_bot_owned");
      return ok({ ...state, owner: "bot", assigneeId: null }, releaseOwnership(state));
    }
  }
}

/** On reopen the frozen owner takes the conversation back: a queue slot or an operator slot. */
function reclaim(state: TurnState): TurnEffect[] {
  if (state.owner === "queue") return [{ type: "enqueue", teamId: null }];
  if (state.owner === "human" && state.assigneeId !== null)
    return [{ type: "claim_slot", operatorId: state.assigneeId }];
  return [];
}

/**
 * Whether the AI may write a conversational reply now: only while the bot owns the turn
 * and the conversation is open or pending. Never while a human or the queue owns it, so
 * the bot cannot contradict an operator or answer a customer who asked for a human.
 */
export function botMaySpeak(state: TurnState): boolean {
  return state.owner === "bot" && (state.status === "open" || state.status === "pending");
}

export type BotMode = "full" | "read_only" | "silent";

/**
 * How the bot may take part: fully while it owns the turn; read-only while the
 * conversation waits in the queue with an answer held for an operator (`held`), so the
 * customer still gets FAQ and account answers (anything that would propose an action or
 * be held again waits for the operator); not at all while a human owns it.
 */
export function botMode(state: { turn: TurnState; held: unknown }): BotMode {
  if (botMaySpeak(state.turn)) return "full";
  if (state.held && state.turn.owner === "queue" && state.turn.status === "open") return "read_only";
  return "silent";
}

/**
 * Whether the DO may post templated system notices ("you are number 3 in line",
 * "we are closed, we open at 09:00") while the conversation waits in the queue. These
 * are activity messages, not AI replies, so they do not break `botMaySpeak`'s promise.
 */
export function mayAnnounceQueuePosition(state: TurnState): boolean {
  return state.owner === "queue" && state.status === "open";
}
