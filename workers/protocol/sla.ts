/**
 * The one definition of "at risk" for SLA clocks, shared by the room's alarm, the REST
 * inbox rows and the dashboard's badge.
 *
 * A clock is at risk once less than AT_RISK_FRACTION of its window is left. With business
 * hours the window is counted in open time, which only the server can do (it knows the
 * workspace's schedule and holidays), so the server computes both instants once —
 * `dueAt` and `atRiskAt` — stores them with the conversation and sends them out; everyone
 * else only compares `now` with those instants through `slaState`.
 */

/** Share of the window that, once it is all that is left, makes a clock "at risk". */
export const AT_RISK_FRACTION = 0.2;

/**
 * When a window of `windowMinutes` starting at `startedAt` turns at risk, given how the
 * server adds minutes (calendar or business time): the same clock as the due time.
 */
export function slaAtRiskAt(windowMinutes: number, addMinutes: (minutes: number) => number): number {
  return addMinutes(windowMinutes * (1 - AT_RISK_FRACTION));
}

/** A running SLA clock as the server computed it (epoch ms). */
export interface SlaClock {
  dueAt: number;
  atRiskAt: number;
}

/** Where a running clock stands: "none" when there is no clock to watch. */
export const SLA_STATES = ["none", "ok", "at_risk", "breached"] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** The state of a running clock at `now`; breached from its due instant, at risk from its at-risk instant. */
export function slaState(now: number, clock: SlaClock | null): SlaState {
  if (clock === null) return "none";
  if (now >= clock.dueAt) return "breached";
  if (now >= clock.atRiskAt) return "at_risk";
  return "ok";
}

/** The SLA instants a conversation carries (REST row, room meta); null where none was set. */
export interface ConversationSla {
  firstResponseDueAt: number | null;
  firstResponseAtRiskAt: number | null;
  resolutionDueAt: number | null;
  resolutionAtRiskAt: number | null;
  firstRespondedAt: number | null;
  resolvedAt: number | null;
}

/**
 * The clock an inbox row shows: the first response until someone answered, then the
 * resolution; none once resolved. Rows stored before the at-risk instants existed read
 * their due time as the at-risk time (they turn breached, never falsely at risk).
 */
export function inboxSlaClock(c: ConversationSla): SlaClock | null {
  if (c.resolvedAt !== null) return null;
  const [dueAt, atRiskAt] =
    c.firstRespondedAt === null
      ? [c.firstResponseDueAt, c.firstResponseAtRiskAt]
      : [c.resolutionDueAt, c.resolutionAtRiskAt];
  return dueAt === null ? null : { dueAt, atRiskAt: atRiskAt ?? dueAt };
}
