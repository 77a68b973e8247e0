/**
 * Operator assignment for one workspace: who gets the next waiting conversation.
 *
 * The Presence Durable Object keeps operators and the waiting queue in storage and calls
 * these functions on every change (operator online, conversation enqueued, conversation
 * closed, heartbeat alarm). Everything here is plain data in, plain data out, with `now`
 * injected, so the rules are tested in Node and the DO stays a thin wiring layer.
 *
 * Modes (seed 003, section 5): round-robin, skill-based, manual pick from the shared
 * queue, and combined (skills first, then anyone free).
 */
import type { Language } from "../../workers/lib/categories.ts";
import { priorityRank } from "./priority.ts";
import type { Priority } from "./priority.ts";

export type OperatorStatus = "online" | "away" | "break" | "offline";

export interface OperatorState {
  id: string;
  status: OperatorStatus;
  /** Category keys (workers/lib/categories.ts) the operator handles. */
  skills: string[];
  languages: Language[];
  teamIds: string[];
  maxConcurrent: number;
  activeCount: number;
  /** Epoch ms of the last automatic or manual assignment; 0 if never. */
  lastAssignedAt: number;
  /** Epoch ms of the last heartbeat from any of the operator's sockets. */
  lastHeartbeatAt: number;
}

export interface WaitingItem {
  conversationId: string;
  /** Epoch ms. */
  enqueuedAt: number;
  priority: Priority;
  category: string | null;
  language: string | null;
  /** Set when the conversation was routed or transferred to a team. */
  teamId: string | null;
}

export type AssignmentMode = "round_robin" | "skill_based" | "manual" | "combined";

export interface Assignment {
  conversationId: string;
  operatorId: string;
}

export interface PickOptions {
  /** Operators silent for longer than this are not offered work. */
  heartbeatTimeoutMs?: number;
}

/**
 * A browser tab that crashed stops sending heartbeats without closing the socket;
 * 90 s is three missed 30 s heartbeats.
 */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 90_000;

/** Online, answering heartbeats, and below the concurrency limit. */
export function hasCapacity(operator: OperatorState, now: number, heartbeatTimeoutMs: number): boolean {
  return (
    operator.status === "online" &&
    operator.activeCount < operator.maxConcurrent &&
    now - operator.lastHeartbeatAt <= heartbeatTimeoutMs
  );
}

/**
 * A team target is a hard constraint in every automatic mode: it is an explicit decision
 * (a transfer or a routing rule), so round-robin must not hand it to someone outside.
 */
function inTargetTeam(operator: OperatorState, item: WaitingItem): boolean {
  return item.teamId === null || operator.teamIds.includes(item.teamId);
}

function matchesSkills(operator: OperatorState, item: WaitingItem): boolean {
  if (item.category !== null && !operator.skills.includes(item.category)) return false;
  if (item.language !== null && !operator.languages.some((l) => l === item.language)) return false;
  return true;
}

/**
 * Least recently assigned first. Assignments in one drain share the same `now`, so equal
 * times fall back to the fewer active conversations (keeps a burst rotating), then id.
 */
function byLastAssigned(a: OperatorState, b: OperatorState): number {
  return a.lastAssignedAt - b.lastAssignedAt || a.activeCount - b.activeCount || a.id.localeCompare(b.id);
}

/** Lowest utilisation first (cross-multiplied to stay in integers), then round-robin order. */
function byLoad(a: OperatorState, b: OperatorState): number {
  const load = a.activeCount * b.maxConcurrent - b.activeCount * a.maxConcurrent;
  return load || byLastAssigned(a, b);
}

function best(candidates: OperatorState[], compare: (a: OperatorState, b: OperatorState) => number): string | null {
  let chosen: OperatorState | null = null;
  for (const c of candidates) if (chosen === null || compare(c, chosen) < 0) chosen = c;
  return chosen === null ? null : chosen.id;
}

/**
 * Choose the operator for one waiting conversation, or null to leave it queued.
 * - round_robin: the least recently assigned free operator.
 * - skill_based: must have the item's category as a skill and speak its language (when the
 *   item has them); ties go to the lowest load, then the least recently assigned.
 * - combined: skill_based, falling back to round_robin among all free operators.
 * - manual: always null; operators pick from the queue themselves.
 * In every mode only online operators with free capacity and a fresh heartbeat qualify,
 * and a team-targeted item only goes to members of that team.
 */
export function pickOperator(
  mode: AssignmentMode,
  item: WaitingItem,
  operators: readonly OperatorState[],
  now: number,
  options: PickOptions = {},
): string | null {
  if (mode === "manual") return null;
  const timeout = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const free = operators.filter((o) => hasCapacity(o, now, timeout) && inTargetTeam(o, item));
  if (mode === "round_robin") return best(free, byLastAssigned);
  const skilled = best(
    free.filter((o) => matchesSkills(o, item)),
    byLoad,
  );
  if (mode === "skill_based" || skilled !== null) return skilled;
  return best(free, byLastAssigned);
}

/** Priority first (urgent → low), then first come first served; stable on equal times. */
export function orderQueue(items: readonly WaitingItem[]): WaitingItem[] {
  return [...items].sort(
    (a, b) =>
      priorityRank(b.priority) - priorityRank(a.priority) ||
      a.enqueuedAt - b.enqueuedAt ||
      a.conversationId.localeCompare(b.conversationId),
  );
}

/**
 * 1-based position the customer is told ("you are number 3 in line"); 0 when the
 * conversation is not queued. It counts the whole workspace queue, which over-estimates
 * for team-targeted items but never promises a shorter wait than reality.
 */
export function queuePosition(items: readonly WaitingItem[], conversationId: string): number {
  return orderQueue(items).findIndex((i) => i.conversationId === conversationId) + 1;
}

export interface DrainResult {
  assignments: Assignment[];
  /** Still waiting, in queue order. */
  remaining: WaitingItem[];
  /** Operators with activeCount and lastAssignedAt updated for the new assignments. */
  operators: OperatorState[];
}

/**
 * Assign as many waiting conversations as capacity allows, in queue order. An item nobody
 * can take (wrong language, full team) is skipped rather than blocking the ones behind it.
 */
export function drainQueue(
  mode: AssignmentMode,
  queue: readonly WaitingItem[],
  operators: readonly OperatorState[],
  now: number,
  options: PickOptions = {},
): DrainResult {
  let current = operators.map((o) => ({ ...o }));
  const assignments: Assignment[] = [];
  const remaining: WaitingItem[] = [];
  for (const item of orderQueue(queue)) {
    const operatorId = pickOperator(mode, item, current, now, options);
    if (operatorId === null) {
      remaining.push(item);
      continue;
    }
    assignments.push({ conversationId: item.conversationId, operatorId });
    current = current.map((o) =>
      o.id === operatorId ? { ...o, activeCount: o.activeCount + 1, lastAssignedAt: now } : o,
    );
  }
  return { assignments, remaining, operators: current };
}

/**
 * Operators who still look present but stopped sending heartbeats. The DO marks them
 * offline and re-queues their conversations; already-offline operators are not reported.
 */
export function detectDroppedOperators(
  operators: readonly OperatorState[],
  now: number,
  heartbeatTimeoutMs: number = DEFAULT_HEARTBEAT_TIMEOUT_MS,
): string[] {
  return operators
    .filter((o) => o.status !== "offline" && now - o.lastHeartbeatAt > heartbeatTimeoutMs)
    .map((o) => o.id);
}

/** One conversation closed or moved away: free a slot (never below zero). */
export function releaseSlot(operators: readonly OperatorState[], operatorId: string): OperatorState[] {
  return operators.map((o) => (o.id === operatorId ? { ...o, activeCount: Math.max(0, o.activeCount - 1) } : o));
}

export type TransferTarget = { kind: "operator"; operatorId: string } | { kind: "team"; teamId: string };

export type TransferRefusal =
  "same_operator" | "unknown_operator" | "operator_unavailable" | "operator_at_capacity" | "unknown_team";

export type TransferDecision =
  | { ok: true; kind: "operator"; operatorId: string }
  /** The conversation goes back to the queue targeted at the team; 0 members online is allowed but worth a warning. */
  | { ok: true; kind: "team"; teamId: string; onlineMembers: number }
  | { ok: false; reason: TransferRefusal };

export interface TransferOptions {
  /** A supervisor may push a conversation to a full operator. */
  allowOverCapacity?: boolean;
}

/**
 * Whether a conversation may be handed to `target`.
 *
 * To an operator: the target must be `online`. Away/break operators are refused because a
 * transfer moves the customer's wait onto someone who is not looking; send it to their
 * team instead and it is picked up when someone is free. The target must also have a free
 * slot unless `allowOverCapacity`. Skills are not checked: a transfer is a human judgement.
 * To a team: the team must exist; the result tells the DO to enqueue with that teamId.
 */
export function canTransfer(
  target: TransferTarget,
  fromOperatorId: string | null,
  operators: readonly OperatorState[],
  knownTeamIds: readonly string[],
  options: TransferOptions = {},
): TransferDecision {
  if (target.kind === "team") {
    if (!knownTeamIds.includes(target.teamId)) return { ok: false, reason: "unknown_team" };
    const onlineMembers = operators.filter((o) => o.status === "online" && o.teamIds.includes(target.teamId)).length;
    return { ok: true, kind: "team", teamId: target.teamId, onlineMembers };
  }
  if (target.operatorId === fromOperatorId) return { ok: false, reason: "same_operator" };
  const operator = operators.find((o) => o.id === target.operatorId);
  if (operator === undefined) return { ok: false, reason: "unknown_operator" };
  if (operator.status !== "online") return { ok: false, reason: "operator_unavailable" };
  if (!options.allowOverCapacity && operator.activeCount >= operator.maxConcurrent) {
    return { ok: false, reason: "operator_at_capacity" };
  }
  return { ok: true, kind: "operator", operatorId: operator.id };
}

/** The queue entry for a conversation transferred to a team; it re-enters the queue now. */
export function teamTransferItem(
  conversation: Pick<WaitingItem, "conversationId" | "priority" | "category" | "language">,
  teamId: string,
  now: number,
): WaitingItem {
  return { ...conversation, teamId, enqueuedAt: now };
}
