/**
 * Opening hours of a workspace: is the desk open, when does it open next, and what is
 * "N business minutes from now" (SLA due times).
 *
 * Hours are local wall-clock times in an IANA zone. No tz library runs in Workers, so
 * local ↔ UTC conversion uses the offsets Intl.DateTimeFormat reports, which keeps DST
 * days right: a 09:00–18:00 day is 9 real hours even when the night before lost or gained
 * an hour, and a 00:00–24:00 day on a transition day is 23 or 25 hours long.
 * Within a day, windows are half-open [open, close).
 */

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay counts. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** "HH:MM" 24-hour local times; close may be "24:00" (midnight at the end of the day). */
export interface OpenWindow {
  open: string;
  close: string;
}

export interface BusinessHours {
  timeZone: string;
  weekly: Record<Weekday, OpenWindow[]>;
  /** Whole local days closed, "YYYY-MM-DD". */
  holidays: string[];
}

/** The schedule has no open time within a year of the start; no due time exists. */
export class ClosedScheduleError extends Error {
  override readonly name = "ClosedScheduleError";
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Longest closure we search across (a year of holidays plus slack). */
const HORIZON_DAYS = 400;
const WEEKDAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (
      part.type === "year" ||
      part.type === "month" ||
      part.type === "day" ||
      part.type === "minute" ||
      part.type === "second"
    ) {
      out[part.type] = Number(part.value);
    } else if (part.type === "hour") {
      // Some ICU versions still print midnight as "24" despite h23.
      out.hour = Number(part.value) % 24;
    }
  }
  return out;
}

/** Local time minus UTC at instant `ms`, in milliseconds (whole seconds). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const floored = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - floored;
}

/**
 * The instant a local wall-clock time occurs. Repeated times (fall-back) resolve to the
 * first occurrence; skipped times (spring-forward) move forward by the gap, like
 * Temporal's "compatible" disambiguation.
 */
function localToInstant(dayNumber: number, minuteOfDay: number, timeZone: string): number {
  const wall = dayNumber * DAY_MS + minuteOfDay * MINUTE_MS;
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after].filter((c) => offsetAt(c, timeZone) === wall - c);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

/** Days since 1970-01-01 of the local date at instant `ms`. */
function localDayNumber(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day) / DAY_MS;
}

function weekdayOf(dayNumber: number): Weekday {
  return WEEKDAYS[(((dayNumber + 4) % 7) + 7) % 7] ?? 0;
}

function isoDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function minutesOf(hhmm: string): number | null {
  if (!HHMM.test(hhmm)) return null;
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

interface MinuteRange {
  from: number;
  to: number;
}

/** Valid windows of one weekday as sorted, merged minute ranges. */
function dayRanges(windows: readonly OpenWindow[] | undefined): MinuteRange[] {
  const ranges: MinuteRange[] = [];
  for (const w of windows ?? []) {
    const from = minutesOf(w.open);
    const to = minutesOf(w.close);
    if (from !== null && to !== null && from < to && from < 1440) ranges.push({ from, to });
  }
  ranges.sort((a, b) => a.from - b.from);
  const merged: MinuteRange[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else merged.push({ ...r });
  }
  return merged;
}

interface Interval {
  start: number;
  end: number;
}

/** Open intervals (epoch ms) of one local date; none on holidays. */
function intervalsOn(hours: BusinessHours, dayNumber: number): Interval[] {
  if (hours.holidays.includes(isoDate(dayNumber))) return [];
  return dayRanges(hours.weekly[weekdayOf(dayNumber)])
    .map((r) => ({
      start: localToInstant(dayNumber, r.from, hours.timeZone),
      end: localToInstant(dayNumber, r.to, hours.timeZone),
    }))
    .filter((i) => i.end > i.start);
}

/** Configuration problems an admin must fix; empty when the schedule is usable. */
export function validateBusinessHours(hours: BusinessHours): string[] {
  const errors: string[] = [];
  try {
    formatter(hours.timeZone);
  } catch {
    errors.push(`unknown time zone: ${hours.timeZone}`);
  }
  for (const day of WEEKDAYS) {
    for (const w of hours.weekly[day] ?? []) {
      const from = minutesOf(w.open);
      const to = minutesOf(w.close);
      if (from === null || to === null || from >= 1440) errors.push(`day ${day}: bad time in ${w.open}–${w.close}`);
      else if (from >= to) errors.push(`day ${day}: ${w.open}–${w.close} closes before it opens`);
    }
  }
  for (const h of hours.holidays) {
    if (!ISO_DATE.test(h) || Number.isNaN(Date.parse(`${h}T00:00:00Z`))) errors.push(`bad holiday date: ${h}`);
  }
  return errors;
}

/** True if at least one weekday has an open window (holidays aside). */
export function hasOpenTime(hours: BusinessHours): boolean {
  return WEEKDAYS.some((d) => dayRanges(hours.weekly[d]).length > 0);
}

/**
 * Whether customers should see the desk as open: inside business hours, or outside them
 * while at least one operator is online (someone is there to answer). The widget's
 * offline banner and the room's after-hours handoff text both use this, so they agree.
 */
export function deskOpen(withinHours: boolean, operatorsOnline: number): boolean {
  return withinHours || operatorsOnline > 0;
}

/** Whether the desk is open at `at`. */
export function isOpen(hours: BusinessHours, at: Date): boolean {
  const t = at.getTime();
  const today = localDayNumber(t, hours.timeZone);
  for (const day of [today - 1, today]) {
    if (intervalsOn(hours, day).some((i) => i.start <= t && t < i.end)) return true;
  }
  return false;
}

/** `at` itself when open, else the start of the next open window; null if none within ~a year. */
export function nextOpening(hours: BusinessHours, at: Date): Date | null {
  if (isOpen(hours, at)) return new Date(at.getTime());
  const t = at.getTime();
  const first = localDayNumber(t, hours.timeZone);
  for (let day = first; day <= first + HORIZON_DAYS; day++) {
    const next = intervalsOn(hours, day).find((i) => i.start > t);
    if (next !== undefined) return new Date(next.start);
  }
  return null;
}

/**
 * `start` plus `minutes` of open time: only time inside open windows is counted, across
 * nights, weekends, holidays and DST changes. A due time landing exactly on a closing time
 * stays at the close (09:00 + 540 min = 18:00 the same day) rather than jumping to the
 * next morning. Non-positive minutes return `start` unchanged.
 * @throws ClosedScheduleError when no open time exists for HORIZON_DAYS days in a row.
 */
export function addBusinessMinutes(hours: BusinessHours, start: Date, minutes: number): Date {
  const t0 = start.getTime();
  if (!(minutes > 0)) return new Date(t0);
  let remaining = minutes * MINUTE_MS;
  let closedDays = 0;
  for (let day = localDayNumber(t0, hours.timeZone) - 1; ; day++) {
    const intervals = intervalsOn(hours, day);
    closedDays = intervals.length === 0 ? closedDays + 1 : 0;
    if (closedDays > HORIZON_DAYS) throw new ClosedScheduleError("no open hours within a year");
    for (const i of intervals) {
      const from = Math.max(i.start, t0);
      if (i.end <= from) continue;
      if (remaining <= i.end - from) return new Date(from + remaining);
      remaining -= i.end - from;
    }
  }
}

interface HoursPhrases {
  open: string;
  closed: string;
  everyDay: string;
}

const ENGLISH: HoursPhrases = { open: "We're open", closed: "We have no opening hours set", everyDay: "every day" };

const PHRASES: Record<string, HoursPhrases> = {
  en: ENGLISH,
  ru: { open: "Мы работаем", closed: "Часы работы не заданы", everyDay: "ежедневно" },
  he: { open: "אנחנו פתוחים", closed: "לא הוגדרו שעות פעילות", everyDay: "כל יום" },
  es: { open: "Estamos abiertos", closed: "No hay horario configurado", everyDay: "todos los días" },
  fr: { open: "Nous sommes ouverts", closed: "Aucun horaire n'est défini", everyDay: "tous les jours" },
};

function dayNames(locale: string): string[] {
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  } catch {
    f = new Intl.DateTimeFormat("en", { weekday: "short", timeZone: "UTC" });
  }
  // 2023-01-01 was a Sunday.
  return WEEKDAYS.map((d) => f.format(Date.UTC(2023, 0, 1 + d)));
}

function hm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * The weekly schedule in one line for the after-hours message, e.g.
 * "We're open Sun–Thu 09:00–18:00, Fri 09:00–13:00 (Asia/Jerusalem)". Runs of days with
 * identical hours are joined; the week is read starting after a closed day so a
 * Sunday-to-Thursday week is not split at Monday. Holidays are not listed.
 */
export function describeHours(hours: BusinessHours, locale: string): string {
  const p = PHRASES[locale.toLowerCase().split(/[-_]/)[0] ?? "en"] ?? ENGLISH;
  const sig = WEEKDAYS.map((d) =>
    dayRanges(hours.weekly[d])
      .map((r) => `${hm(r.from)}–${hm(r.to)}`)
      .join(", "),
  );
  if (sig.every((s) => s === "")) return `${p.closed} (${hours.timeZone})`;
  if (sig.every((s) => s === sig[0])) return `${p.open} ${p.everyDay} ${sig[0]} (${hours.timeZone})`;
  const names = dayNames(locale);
  const at = (i: number): string => sig[i % 7] ?? "";
  const closedDay = WEEKDAYS.find((d) => sig[d] === "");
  const begin =
    closedDay !== undefined ? closedDay + 1 : (WEEKDAYS.map((d) => d + 1).find((d) => at(d) !== at(d + 6)) ?? 1);
  const groups: string[] = [];
  for (let i = begin; i < begin + 7;) {
    let j = i;
    while (j + 1 < begin + 7 && at(j + 1) === at(i)) j++;
    if (at(i) !== "") {
      const from = names[i % 7] ?? "";
      const label = j === i ? from : `${from}–${names[j % 7] ?? ""}`;
      groups.push(`${label} ${at(i)}`);
    }
    i = j + 1;
  }
  return `${p.open} ${groups.join(", ")} (${hours.timeZone})`;
}
