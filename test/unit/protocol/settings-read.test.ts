/**
 * readSettings remembers its last parses by stored text (the same settings are read for
 * every message): a hit must equal a fresh parse, every caller gets its own copy, and any
 * change to the stored settings is a new parse.
 */
import { describe, expect, it } from "vitest";
import { BusinessHoursSchema, readSettings, WorkspaceSettingsSchema } from "../../../workers/protocol/settings.ts";

describe("readSettings", () => {
  it("equals a fresh parse, hit or miss, and hands out independent copies", () => {
    const stored = { aiMode: "copilot", businessHours: null };
    const first = readSettings(stored);
    expect(first).toEqual(WorkspaceSettingsSchema.parse(stored));
    first.aiMode = "autopilot";
    const second = readSettings(stored);
    expect(second.aiMode).toBe("copilot");
    expect(second).toEqual(WorkspaceSettingsSchema.parse(stored));
  });

  it("reads a changed setting at once (the memo is keyed by the stored text)", () => {
    expect(readSettings({ aiMode: "copilot" }).aiMode).toBe("copilot");
    expect(readSettings({ aiMode: "autopilot" }).aiMode).toBe("autopilot");
    expect(readSettings({ aiMode: "copilot" }).aiMode).toBe("copilot");
  });

  it("falls back to the defaults for an invalid stored value, every time", () => {
    const bad = { aiMode: "sometimes" };
    expect(readSettings(bad)).toEqual(WorkspaceSettingsSchema.parse({}));
    expect(readSettings(bad)).toEqual(WorkspaceSettingsSchema.parse({}));
  });

  it("still refuses an unknown time zone after a known one was remembered", () => {
    const hours = (timeZone: string) => ({ timeZone, weekly: { "1": [{ open: "09:00", close: "17:00" }] } });
    expect(BusinessHoursSchema.safeParse(hours("Europe/Berlin")).success).toBe(true);
    expect(BusinessHoursSchema.safeParse(hours("Europe/Berlin")).success).toBe(true);
    expect(BusinessHoursSchema.safeParse(hours("Mars/Olympus_Mons")).success).toBe(false);
    expect(BusinessHoursSchema.safeParse(hours("Mars/Olympus_Mons")).success).toBe(false);
  });
});
