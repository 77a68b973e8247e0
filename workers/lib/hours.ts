/** Converts the settings' business-hours shape to the rule module's (weekday keys as numbers). */
import type { BusinessHours, Weekday } from "../../durable-objects/lib/business-hours.ts";
import type { BusinessHoursSetting } from "../protocol/settings.ts";

export function toBusinessHours(h: BusinessHoursSetting): BusinessHours {
  const weekly: Record<Weekday, Array<{ open: string; close: string }>> = {
    0: [],
    1: [],
    2: [],
    3: [],
    4: [],
    5: [],
    6: [],
  };
  for (const d of [0, 1, 2, 3, 4, 5, 6] as const) weekly[d] = h.weekly[String(d) as "0"] ?? [];
  return { timeZone: h.timeZone, weekly, holidays: h.holidays };
}
