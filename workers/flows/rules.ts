/**
 * The automation rule engine (event + conditions + actions), pure. The room tells it what
 * happened (`matchRules`) and asks it when the next time-based rule is due (`ruleTimers`);
 * the room sets one Durable Object alarm for the earliest and feeds the due ones back.
 * Each timed firing has an occurrence key (rule + the moment it counts from), so a rule
 * fires once per silence, not once per alarm, and survives eviction by being stored.
 */
import {
  addBusinessMinutes,
  isOpen,
  nextOpening,
  type BusinessHours,
  type Weekday,
} from "../../durable-objects/lib/business-hours.ts";
import type { RuleAction, RuleCondition, RuleDefinition, RuleEventKind } from "../protocol/flows.ts";
import { compare } from "./conditions.ts";

export interface StoredRule extends RuleDefinition {
  id: string;
}

/** What the rule conditions can look at, as the room knows it now. */
export interface RuleFacts {
  channel: string;
  status: string;
  priority: string;
  category: string | null;
  urgency: string | null;
  language: string | null;
  tags: readonly string[];
  owner: string;
  csat: number | null;
  messageText: string | null;
  businessHoursOpen: boolean;
  assigned: boolean;
  lastReplyBy: "bot" | "operator" | "rule" | null;
}

export interface RuleMatch {
  ruleId: string;
  /** The key that marks this firing as done (stored by the room; `once` rules use the rule id). */
  key: string;
  actions: RuleAction[];
}

function fieldValue(c: RuleCondition, f: RuleFacts): string | null {
  switch (c.field) {
    case "channel":
      return f.channel;
    case "status":
      return f.status;
    case "priority":
      return f.priority;
    case "category":
      return f.category;
    case "urgency":
      return f.urgency;
    case "language":
      return f.language;
    case "owner":
      return f.owner;
    case "csat":
      return f.csat === null ? null : String(f.csat);
    case "message_text":
      return f.messageText;
    case "business_hours":
      return f.businessHoursOpen ? "open" : "closed";
    case "assigned":
      return f.assigned ? "true" : "false";
    case "last_reply_by":
      return f.lastReplyBy;
    case "tags":
      return null;
  }
}

/** One condition; `tags` matches when any tag satisfies it (`not_exists`/`neq`: when none does). */
export function conditionHolds(c: RuleCondition, f: RuleFacts): boolean {
  if (c.field === "tags") {
    if (c.op === "exists") return f.tags.length > 0;
    if (c.op === "not_exists") return f.tags.length === 0;
    if (c.op === "neq") return !f.tags.some((t) => compare("eq", t, c.value));
    return f.tags.some((t) => compare(c.op, t, c.value));
  }
  return compare(c.op, fieldValue(c, f), c.value);
}

function keyFor(rule: StoredRule, occurrence: string): string {
  return rule.once ? rule.id : `${rule.id}@${occurrence}`;
}

/**
 * Rules for an event that happened now. `occurrence` distinguishes repeated events (a
 * message id, a status change's time); `fired` holds the keys already done.
 */
export function matchRules(
  rules: readonly StoredRule[],
  event: RuleEventKind,
  facts: RuleFacts,
  occurrence: string,
  fired: ReadonlySet<string>,
): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const rule of rules) {
    if (!rule.enabled || rule.event.kind !== event) continue;
    const key = keyFor(rule, occurrence);
    if (fired.has(key)) continue;
    if (!rule.conditions.every((c) => conditionHolds(c, facts))) continue;
    out.push({ ruleId: rule.id, key, actions: rule.actions });
  }
  return out;
}

/** The room's clock facts for timed rules (epoch ms). */
export interface RuleClock {
  now: number;
  /** Last customer message. */
  lastCustomerAt: number | null;
  /** Last message to the customer by the bot or an operator. */
  lastReplyAt: number | null;
  /** Last message by an operator. */
  lastOperatorAt: number | null;
  owner: string;
  status: string;
  hours: BusinessHours | null;
}

export interface RuleTimer {
  ruleId: string;
  key: string;
  at: number;
  event: RuleEventKind;
}

const MINUTE = 60_000;

/** The next `HH:MM` local time after `now` in the hours' zone (DST-safe through the hours module). */
export function nextLocalTime(hhmm: string, timeZone: string, now: number): number {
  const [h, m] = hhmm.split(":").map(Number);
  const startMin = (h ?? 0) * 60 + (m ?? 0);
  const endMin = startMin + 1;
  const fmt = (x: number) =>
    x >= 1440 ? "24:00" : `${String(Math.floor(x / 60)).padStart(2, "0")}:${String(x % 60).padStart(2, "0")}`;
  const window = [{ open: fmt(startMin), close: fmt(endMin) }];
  const weekly: Record<Weekday, Array<{ open: string; close: string }>> = {
    0: window,
    1: window,
    2: window,
    3: window,
    4: window,
    5: window,
    6: window,
  };
  const hours: BusinessHours = { timeZone, weekly, holidays: [] };
  const from = now + MINUTE; // strictly after now: the minute that just fired does not count again
  const at = nextOpening(hours, new Date(from))?.getTime() ?? now + 86_400_000;
  // Inside the minute itself nextOpening answers "now": the occurrence is the minute's start.
  return Math.floor(at / MINUTE) * MINUTE;
}

/** When the desk next closes (if open) or opens (if closed), to the minute; null if never within ~8 days. */
export function nextHoursChange(hours: BusinessHours, now: number): number | null {
  const open = isOpen(hours, new Date(now));
  if (!open) return nextOpening(hours, new Date(now))?.getTime() ?? null;
  const step = 15 * MINUTE;
  let t = Math.floor(now / MINUTE) * MINUTE;
  for (let i = 0; i < 8 * 96; i++, t += step) {
    if (!isOpen(hours, new Date(t + step))) {
      let lo = t;
      let hi = t + step;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (isOpen(hours, new Date(mid))) lo = mid;
        else hi = mid;
      }
      return hi;
    }
  }
  return null;
}

/**
 * Every pending time-based firing: customer silent N minutes after our last reply,
 * operator silent N (business) minutes after the customer's last message while a human
 * owns the conversation, a scheduled time, business hours opening or closing.
 */
export function ruleTimers(rules: readonly StoredRule[], clock: RuleClock, fired: ReadonlySet<string>): RuleTimer[] {
  const out: RuleTimer[] = [];
  const open = clock.status !== "resolved";
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const ev = rule.event;
    let at: number | null = null;
    let occurrence = "";
    switch (ev.kind) {
      case "customer_idle":
        if (open && clock.lastReplyAt !== null && (clock.lastCustomerAt ?? 0) < clock.lastReplyAt) {
          at = clock.lastReplyAt + ev.minutes * MINUTE;
          occurrence = String(clock.lastReplyAt);
        }
        break;
      case "operator_idle":
        if (
          open &&
          clock.owner !== "bot" &&
          clock.lastCustomerAt !== null &&
          (clock.lastOperatorAt ?? 0) < clock.lastCustomerAt
        ) {
          at =
            ev.businessHoursOnly && clock.hours
              ? safeBusinessAdd(clock.hours, clock.lastCustomerAt, ev.minutes)
              : clock.lastCustomerAt + ev.minutes * MINUTE;
          occurrence = String(clock.lastCustomerAt);
        }
        break;
      case "scheduled":
        if (open) {
          const tz = clock.hours?.timeZone ?? "UTC";
          at = nextLocalTime(ev.at, tz, clock.now - MINUTE);
          // The minute that just fired is done: look at the next day's.
          if (fired.has(keyFor(rule, String(at)))) at = nextLocalTime(ev.at, tz, at);
          occurrence = String(at);
        }
        break;
      case "business_hours_start":
      case "business_hours_end":
        if (open && clock.hours) {
          const change = nextHoursChange(clock.hours, clock.now);
          const opening = !isOpen(clock.hours, new Date(clock.now));
          if (change !== null && opening === (ev.kind === "business_hours_start")) {
            at = change;
            occurrence = String(change);
          }
        }
        break;
      default:
        break;
    }
    if (at === null) continue;
    const key = keyFor(rule, occurrence);
    if (fired.has(key)) continue;
    out.push({ ruleId: rule.id, key, at, event: ev.kind });
  }
  return out.sort((a, b) => a.at - b.at);
}

function safeBusinessAdd(hours: BusinessHours, from: number, minutes: number): number {
  try {
    return addBusinessMinutes(hours, new Date(from), minutes).getTime();
  } catch {
    return from + minutes * MINUTE;
  }
}

/** The earliest timer (for the alarm) and the ones due now. */
export function dueTimers(timers: readonly RuleTimer[], now: number): { due: RuleTimer[]; next: number | null } {
  const due = timers.filter((t) => t.at <= now);
  const later = timers.filter((t) => t.at > now);
  return { due, next: later.length ? Math.min(...later.map((t) => t.at)) : null };
}

/** Rules whose timed firing is due, with their conditions checked against the facts now. */
export function matchDue(rules: readonly StoredRule[], due: readonly RuleTimer[], facts: RuleFacts): RuleMatch[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const out: RuleMatch[] = [];
  for (const t of due) {
    const rule = byId.get(t.ruleId);
    if (!rule || !rule.conditions.every((c) => conditionHolds(c, facts))) continue;
    out.push({ ruleId: rule.id, key: t.key, actions: rule.actions });
  }
  return out;
}
