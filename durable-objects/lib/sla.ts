/**
 * SLA clocks of one conversation: first response and resolution.
 *
 * The ConversationRoom stores the due times computed when the conversation starts (or
 * its priority changes), asks `nextSlaAlarm` when to wake up, and on the alarm compares
 * `slaStatus` before and after to know which events to publish. All instants are epoch
 * milliseconds so they store and serialise as they are.
 */
import { addBusinessMinutes, ClosedScheduleError, hasOpenTime } from "./business-hours.ts";
import type { BusinessHours } from "./business-hours.ts";
import { bumpPriority } from "./priority.ts";
import type { Priority } from "./priority.ts";

export interface SlaPolicy {
  firstResponseMinutes: Record<Priority, number>;
  resolutionMinutes: Record<Priority, number>;
  /** Count only open time (nights, weekends and holidays pause the clock). */
  businessHoursOnly: boolean;
}

export interface SlaDue {
  startedAt: number;
  firstResponseDueAt: number;
  /** From here on the first response is at risk (less than 20 % of its window left). */
  firstResponseAtRiskAt: number;
  resolutionDueAt: number;
  resolutionAtRiskAt: number;
}

export type SlaClockStatus = "met" | "pending" | "at_risk" | "breached";

export interface SlaStatus {
  firstResponse: SlaClockStatus;
  resolution: SlaClockStatus;
}

export type SlaClock = "first_response" | "resolution";

export type SlaEvent =
  "first_response_at_risk" | "first_response_breached" | "resolution_at_risk" | "resolution_breached";

/** Share of the window that, once all that is left, makes a clock "at risk". */
export const AT_RISK_FRACTION = 0.2;

/**
 * Due and at-risk instants for a conversation created at `createdAt`. With
 * `businessHoursOnly` and usable hours the minutes are business minutes, so the at-risk
 * point is also measured in open time (80 % of the business window, not of the night).
 * A schedule with no open time falls back to calendar minutes rather than never due.
 */
export function computeDueTimes(
  policy: SlaPolicy,
  hours: BusinessHours | null,
  createdAt: number,
  priority: Priority,
): SlaDue {
  const useHours = policy.businessHoursOnly && hours !== null && hasOpenTime(hours) ? hours : null;
  const add = (minutes: number): number => {
    if (useHours !== null) {
      try {
        return addBusinessMinutes(useHours, new Date(createdAt), minutes).getTime();
      } catch (error) {
        if (!(error instanceof ClosedScheduleError)) throw error;
      }
    }
    return createdAt + Math.max(0, minutes) * 60_000;
  };
  const first = policy.firstResponseMinutes[priority];
  const resolution = policy.resolutionMinutes[priority];
  return {
    startedAt: createdAt,
    firstResponseDueAt: add(first),
    firstResponseAtRiskAt: add(first * (1 - AT_RISK_FRACTION)),
    resolutionDueAt: add(resolution),
    resolutionAtRiskAt: add(resolution * (1 - AT_RISK_FRACTION)),
  };
}

function clockStatus(dueAt: number, atRiskAt: number, doneAt: number | null, now: number): SlaClockStatus {
  if (doneAt !== null) return doneAt <= dueAt ? "met" : "breached";
  if (now >= dueAt) return "breached";
  if (now >= atRiskAt) return "at_risk";
  return "pending";
}

/**
 * Where both clocks stand at `now`. A clock stops when its event happens; a late event
 * leaves it "breached" for good. Resolving without any reply also stops the
 * first-response clock (nothing is left to answer).
 */
export function slaStatus(
  due: SlaDue,
  firstRespondedAt: number | null,
  resolvedAt: number | null,
  now: number,
): SlaStatus {
  return {
    firstResponse: clockStatus(due.firstResponseDueAt, due.firstResponseAtRiskAt, firstRespondedAt ?? resolvedAt, now),
    resolution: clockStatus(due.resolutionDueAt, due.resolutionAtRiskAt, resolvedAt, now),
  };
}

/**
 * The next instant after `now` at which an SLA event must fire, for the DO alarm; null
 * when both clocks have stopped or every event has passed.
 */
export function nextSlaAlarm(
  due: SlaDue,
  firstRespondedAt: number | null,
  resolvedAt: number | null,
  now: number,
): { at: number; event: SlaEvent } | null {
  const candidates: Array<{ at: number; event: SlaEvent }> = [];
  if (firstRespondedAt === null && resolvedAt === null) {
    candidates.push({ at: due.firstResponseAtRiskAt, event: "first_response_at_risk" });
    candidates.push({ at: due.firstResponseDueAt, event: "first_response_breached" });
  }
  if (resolvedAt === null) {
    candidates.push({ at: due.resolutionAtRiskAt, event: "resolution_at_risk" });
    candidates.push({ at: due.resolutionDueAt, event: "resolution_breached" });
  }
  let next: { at: number; event: SlaEvent } | null = null;
  for (const c of candidates) if (c.at > now && (next === null || c.at < next.at)) next = c;
  return next;
}

/**
 * Events to publish when the status moved from `before` to `after` (e.g. on an alarm).
 * A clock that skipped straight to breached reports only the breach.
 */
export function newSlaEvents(before: SlaStatus, after: SlaStatus): SlaEvent[] {
  const events: SlaEvent[] = [];
  const step = (from: SlaClockStatus, to: SlaClockStatus, clock: SlaClock): void => {
    if (to === from) return;
    if (to === "breached") events.push(`${clock}_breached`);
    else if (to === "at_risk" && from === "pending") events.push(`${clock}_at_risk`);
  };
  step(before.firstResponse, after.firstResponse, "first_response");
  step(before.resolution, after.resolution, "resolution");
  return events;
}

export interface SlaBreach {
  clock: SlaClock;
  priority: Priority;
  assigneeId: string | null;
  /** How many escalations this clock already caused for this conversation. */
  escalationLevel: number;
}

export type EscalationAudience = "assignee" | "team_leads" | "admins";

export type Escalation =
  /** Take it from `fromOperatorId`, re-queue at `priority`, and do not offer it to them again. */
  | { kind: "reassign"; fromOperatorId: string; priority: Priority; notify: EscalationAudience[] }
  | { kind: "notify"; audience: EscalationAudience[]; priority: Priority };

/**
 * What to do about a breach. A missed first response means the customer is waiting on
 * nobody: the first time, an assigned conversation is taken from its silent operator and
 * re-queued one priority higher; an unassigned one is bumped and team leads are told.
 * A conversation is reassigned at most once (no ping-pong); later breaches go to admins.
 * A missed resolution keeps the owner, who has the context, and reminds them first.
 */
export function escalationFor(breach: SlaBreach): Escalation {
  const bumped = bumpPriority(breach.priority);
  if (breach.clock === "first_response") {
    if (breach.escalationLevel === 0 && breach.assigneeId !== null) {
      return { kind: "reassign", fromOperatorId: breach.assigneeId, priority: bumped, notify: ["team_leads"] };
    }
    if (breach.escalationLevel === 0) return { kind: "notify", audience: ["team_leads"], priority: bumped };
    return { kind: "notify", audience: ["team_leads", "admins"], priority: bumped };
  }
  if (breach.escalationLevel === 0) {
    return {
      kind: "notify",
      audience: [breach.assigneeId !== null ? "assignee" : "team_leads"],
      priority: breach.priority,
    };
  }
  return {
    kind: "notify",
    audience: breach.assigneeId !== null ? ["assignee", "team_leads", "admins"] : ["team_leads", "admins"],
    priority: bumped,
  };
}
