import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  ClosedScheduleError,
  describeHours,
  hasOpenTime,
  isOpen,
  nextOpening,
  validateBusinessHours,
} from "../../../durable-objects/lib/business-hours.ts";
import type { BusinessHours, OpenWindow } from "../../../durable-objects/lib/business-hours.ts";

const NINE_SIX: OpenWindow[] = [{ open: "09:00", close: "18:00" }];
const ALL_DAY: OpenWindow[] = [{ open: "00:00", close: "24:00" }];

function weekdays(timeZone: string, holidays: string[] = []): BusinessHours {
  return {
    timeZone,
    weekly: { 0: [], 1: NINE_SIX, 2: NINE_SIX, 3: NINE_SIX, 4: NINE_SIX, 5: NINE_SIX, 6: [] },
    holidays,
  };
}

function israel(holidays: string[] = [], friday: OpenWindow[] = []): BusinessHours {
  return {
    timeZone: "Asia/Jerusalem",
    weekly: { 0: NINE_SIX, 1: NINE_SIX, 2: NINE_SIX, 3: NINE_SIX, 4: NINE_SIX, 5: friday, 6: [] },
    holidays,
  };
}

function always(timeZone: string): BusinessHours {
  return {
    timeZone,
    weekly: { 0: ALL_DAY, 1: ALL_DAY, 2: ALL_DAY, 3: ALL_DAY, 4: ALL_DAY, 5: ALL_DAY, 6: ALL_DAY },
    holidays: [],
  };
}

function sundaysOnly(timeZone: string, window: OpenWindow): BusinessHours {
  return { timeZone, weekly: { 0: [window], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] }, holidays: [] };
}

const add = (h: BusinessHours, iso: string, minutes: number): string =>
  addBusinessMinutes(h, new Date(iso), minutes).toISOString();

describe("isOpen", () => {
  const h = israel();
  it("is open Sunday to Thursday 09:00–18:00 local, closed on the Israeli weekend", () => {
    expect(isOpen(h, new Date("2026-03-01T07:00:00Z"))).toBe(true); // Sun 09:00 IST
    expect(isOpen(h, new Date("2026-03-01T06:59:59Z"))).toBe(false);
    expect(isOpen(h, new Date("2026-03-05T15:59:59Z"))).toBe(true); // Thu 17:59:59
    expect(isOpen(h, new Date("2026-03-05T16:00:00Z"))).toBe(false); // Thu 18:00, half-open
    expect(isOpen(h, new Date("2026-03-06T08:00:00Z"))).toBe(false); // Fri 10:00
    expect(isOpen(h, new Date("2026-03-07T08:00:00Z"))).toBe(false); // Sat 10:00
  });

  it("uses the local offset after a DST change (IDT is UTC+3)", () => {
    expect(isOpen(h, new Date("2026-03-29T06:00:00Z"))).toBe(true); // Sun 09:00 IDT
    expect(isOpen(h, new Date("2026-03-29T05:30:00Z"))).toBe(false); // Sun 08:30 IDT
  });

  it("is closed all day on a holiday", () => {
    expect(isOpen(israel(["2026-03-01"]), new Date("2026-03-01T10:00:00Z"))).toBe(false);
  });

  it("treats a 24:00 close as the end of the local day", () => {
    const h24 = always("Europe/Berlin");
    expect(isOpen(h24, new Date("2026-10-25T01:30:00Z"))).toBe(true); // the repeated 02:30
    expect(isOpen(h24, new Date("2026-10-25T22:59:59Z"))).toBe(true);
  });
});

describe("nextOpening", () => {
  it("returns the instant itself when open", () => {
    const at = new Date("2026-03-02T10:00:00Z");
    expect(nextOpening(israel(), at)?.toISOString()).toBe(at.toISOString());
  });

  it("skips the Israeli weekend to Sunday 09:00", () => {
    expect(nextOpening(israel(), new Date("2026-03-05T17:00:00Z"))?.toISOString()).toBe("2026-03-08T07:00:00.000Z");
  });

  it("skips holidays and lands on the new DST offset", () => {
    // Thu 26 Mar 19:00 IST → Sun 29 Mar is a holiday → Mon 30 Mar 09:00 IDT.
    const h = israel(["2026-03-29"]);
    expect(nextOpening(h, new Date("2026-03-26T17:00:00Z"))?.toISOString()).toBe("2026-03-30T06:00:00.000Z");
  });

  it("is null when the desk never opens", () => {
    const closed: BusinessHours = {
      timeZone: "UTC",
      weekly: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] },
      holidays: [],
    };
    expect(hasOpenTime(closed)).toBe(false);
    expect(nextOpening(closed, new Date("2026-01-01T00:00:00Z"))).toBeNull();
    expect(() => addBusinessMinutes(closed, new Date("2026-01-01T00:00:00Z"), 5)).toThrow(ClosedScheduleError);
  });
});

describe("addBusinessMinutes", () => {
  it("returns the start for zero minutes, even when closed", () => {
    expect(add(weekdays("America/New_York"), "2026-03-07T12:00:00Z", 0)).toBe("2026-03-07T12:00:00.000Z");
  });

  it("counts a due time landing on the close as that close", () => {
    // Mon 2 Mar 09:00 EST + 9 h = 18:00 EST.
    expect(add(weekdays("America/New_York"), "2026-03-02T14:00:00Z", 540)).toBe("2026-03-02T23:00:00.000Z");
  });

  it("starts counting at the next opening when started while closed", () => {
    // Sat 7 Mar → Mon 9 Mar 09:00 EDT (13:00Z) + 30 min.
    expect(add(weekdays("America/New_York"), "2026-03-07T15:00:00Z", 30)).toBe("2026-03-09T13:30:00.000Z");
  });

  it("spans the US spring-forward weekend (2026-03-08) with the new offset on Monday", () => {
    // Fri 6 Mar 17:00 EST (22:00Z): 60 min on Friday, 60 min from Mon 09:00 EDT (13:00Z).
    expect(add(weekdays("America/New_York"), "2026-03-06T22:00:00Z", 120)).toBe("2026-03-09T14:00:00.000Z");
  });

  it("counts real minutes through the skipped hour on a 24/7 desk", () => {
    const h = always("America/New_York");
    // Sat 23:00 EST + 4 h of real time = Sun 04:00 EDT, 5 wall-clock hours later.
    expect(add(h, "2026-03-08T04:00:00Z", 240)).toBe("2026-03-08T08:00:00.000Z");
    // Sunday 8 March is a 23-hour day.
    expect(add(h, "2026-03-08T05:00:00Z", 23 * 60)).toBe("2026-03-09T04:00:00.000Z");
  });

  it("a night window across the skipped hour is one hour shorter", () => {
    // Sun 01:00–04:00 local on 8 March lasts 06:00Z–08:00Z; the remaining 30 min go to 15 March 01:00 EDT.
    const h = sundaysOnly("America/New_York", { open: "01:00", close: "04:00" });
    expect(add(h, "2026-03-07T17:00:00Z", 120)).toBe("2026-03-08T08:00:00.000Z");
    expect(add(h, "2026-03-07T17:00:00Z", 150)).toBe("2026-03-15T05:30:00.000Z");
  });

  it("spans the EU fall-back night (2026-10-25 Europe/Berlin), a 25-hour day", () => {
    const h = always("Europe/Berlin");
    expect(add(h, "2026-10-24T22:00:00Z", 24 * 60)).toBe("2026-10-25T22:00:00.000Z"); // 23:00 CET
    expect(add(h, "2026-10-24T22:00:00Z", 25 * 60)).toBe("2026-10-25T23:00:00.000Z"); // next midnight
  });

  it("a night shift across the repeated hour is one hour longer", () => {
    const h = sundaysOnly("Europe/Berlin", { open: "00:00", close: "06:00" });
    expect(add(h, "2026-10-24T20:00:00Z", 420)).toBe("2026-10-25T05:00:00.000Z");
    expect(add(h, "2026-10-24T20:00:00Z", 421)).toBe("2026-10-31T23:01:00.000Z");
  });

  it("crosses the Berlin weekend after fall-back (CEST Friday → CET Monday)", () => {
    expect(add(weekdays("Europe/Berlin"), "2026-10-23T15:30:00Z", 60)).toBe("2026-10-26T08:30:00.000Z");
  });

  it("skips Israel's Friday/Saturday weekend across the spring DST change and a holiday", () => {
    // Thu 26 Mar 17:00 IST (15:00Z): 60 min Thursday; Fri 27 Mar DST starts; Sun 09:00 IDT = 06:00Z.
    expect(add(israel(), "2026-03-26T15:00:00Z", 120)).toBe("2026-03-29T07:00:00.000Z");
    expect(add(israel(["2026-03-29"]), "2026-03-26T15:00:00Z", 120)).toBe("2026-03-30T07:00:00.000Z");
  });

  it("handles Israel's autumn change falling on a working Sunday", () => {
    // Thu 22 Oct 17:00 IDT (14:00Z) + 120 → Sun 25 Oct 10:00 IST (08:00Z).
    expect(add(israel(), "2026-10-22T14:00:00Z", 120)).toBe("2026-10-25T08:00:00.000Z");
  });

  it("counts a Friday half-day when configured", () => {
    const h = israel([], [{ open: "09:00", close: "13:00" }]);
    // Thu 5 Mar 17:00 IST + 120 → 60 Thu + 60 from Fri 09:00 IST (07:00Z).
    expect(add(h, "2026-03-05T15:00:00Z", 120)).toBe("2026-03-06T08:00:00.000Z");
  });

  describe("properties", () => {
    const schedules = [weekdays("America/New_York", ["2026-07-03"]), israel(["2026-04-02"]), weekdays("Europe/Berlin")];
    const scheduleArb = fc.constantFrom(...schedules);
    const startArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) });
    const minutesArb = fc.integer({ min: 1, max: 4000 });

    it("is monotonic in minutes and in start", () => {
      fc.assert(
        fc.property(scheduleArb, startArb, startArb, minutesArb, minutesArb, (h, s1, s2, m1, m2) => {
          const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
          const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
          expect(addBusinessMinutes(h, new Date(a), lo).getTime()).toBeLessThanOrEqual(
            addBusinessMinutes(h, new Date(a), hi).getTime(),
          );
          expect(addBusinessMinutes(h, new Date(a), lo).getTime()).toBeLessThanOrEqual(
            addBusinessMinutes(h, new Date(b), lo).getTime(),
          );
        }),
        { numRuns: 60 },
      );
    });

    it("ends inside open hours (the moment before the result is open) and is additive", () => {
      fc.assert(
        fc.property(scheduleArb, startArb, minutesArb, minutesArb, (h, s, m1, m2) => {
          const once = addBusinessMinutes(h, new Date(s), m1);
          expect(once.getTime()).toBeGreaterThan(s);
          expect(isOpen(h, new Date(once.getTime() - 1))).toBe(true);
          const twice = addBusinessMinutes(h, once, m2);
          expect(twice.getTime()).toBe(addBusinessMinutes(h, new Date(s), m1 + m2).getTime());
        }),
        { numRuns: 60 },
      );
    });

    it("takes exactly the wall-clock minutes on a 24/7 desk in any zone", () => {
      const zones = fc.constantFrom("America/New_York", "Europe/Berlin", "Asia/Jerusalem", "UTC");
      fc.assert(
        fc.property(zones, startArb, minutesArb, (tz, s, m) => {
          expect(addBusinessMinutes(always(tz), new Date(s), m).getTime()).toBe(s + m * 60_000);
        }),
        { numRuns: 60 },
      );
    });
  });
});

describe("describeHours", () => {
  it("groups Israel's Sunday–Thursday week", () => {
    expect(describeHours(israel(), "en")).toBe("We're open Sun–Thu 09:00–18:00 (Asia/Jerusalem)");
  });

  it("lists a Friday half-day after the main run", () => {
    expect(describeHours(israel([], [{ open: "09:00", close: "13:00" }]), "en-US")).toBe(
      "We're open Sun–Thu 09:00–18:00, Fri 09:00–13:00 (Asia/Jerusalem)",
    );
  });

  it("starts a Monday–Friday week on Monday and merges split windows", () => {
    const h = weekdays("America/New_York");
    h.weekly[6] = [
      { open: "12:00", close: "14:00" },
      { open: "10:00", close: "12:30" },
    ];
    expect(describeHours(h, "en")).toBe("We're open Mon–Fri 09:00–18:00, Sat 10:00–14:00 (America/New_York)");
  });

  it("says every day for a uniform week and localises", () => {
    expect(describeHours(always("UTC"), "en")).toBe("We're open every day 00:00–24:00 (UTC)");
    expect(describeHours(israel(), "ru")).toBe("Мы работаем вс–чт 09:00–18:00 (Asia/Jerusalem)");
    expect(describeHours(israel(), "xx-invalid-locale-###")).toContain("09:00–18:00 (Asia/Jerusalem)");
  });
});

describe("validateBusinessHours", () => {
  it("accepts a good schedule and reports each kind of mistake", () => {
    expect(validateBusinessHours(israel(["2026-04-02"]))).toEqual([]);
    const bad: BusinessHours = {
      timeZone: "Mars/Olympus",
      weekly: {
        0: [{ open: "9:00", close: "18:00" }],
        1: [{ open: "18:00", close: "09:00" }],
        2: [],
        3: [],
        4: [],
        5: [],
        6: [],
      },
      holidays: ["2026-13-45"],
    };
    const errors = validateBusinessHours(bad);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toContain("Mars/Olympus");
  });
});
