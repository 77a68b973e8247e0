/**
 * SLA clocks of one conversation: first response and resolution.
 *
 * The ConversationRoom stores the due times computed when the conversation starts (or
 * its priority changes), asks `nextSlaAlarm` when to wake up, and on the alarm reads
 * `slaStatus` against the breaches it already announced (room/alarms.ts). All instants
 * are epoch milliseconds so they store and serialise as they are. What "at risk" means
 * (the fraction, and the comparison with the instants) is `workers/protocol/sla.ts`, the
 * one definition the REST inbox and the dashboard use too.
 */
import { slaAtRiskAt, slaState } from "../../workers/protocol/sla.ts";
import { addBusinessMinutes, ClosedScheduleError, hasOpenTime } from "./business-hours.ts";
import type { BusinessHours } from "./business-hours.ts";
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

export type SlaEvent =
  "first_response_at_risk" | "first_response_breached" | "resolution_at_risk" | "resolution_breached";

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
    firstResponseAtRiskAt: slaAtRiskAt(first, add),
    resolutionDueAt: add(resolution),
    resolutionAtRiskAt: slaAtRiskAt(resolution, add),
  };
}

function clockStatus(dueAt: number, atRiskAt: number, doneAt: number | null, now: number): SlaClockStatus {
  if (doneAt !== null) return doneAt <= dueAt ? "met" : "breached";
  const running = slaState(now, { dueAt, atRiskAt });
  return running === "ok" || running === "none" ? "pending" : running;
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
