import { describe, expect, it } from "vitest";
import { effectiveSettings, readInboxOverrides, readSettings } from "../../../workers/protocol/settings.ts";

const hours = {
  timeZone: "Asia/Jerusalem",
  weekly: { "0": [{ open: "09:00", close: "17:00" }] },
  holidays: [],
};

describe("inbox overrides", () => {
  it("reads only well-formed override keys beside the channel's own settings", () => {
    expect(
      readInboxOverrides({
        phoneNumberId: "12345",
        greeting: "Hi",
        hours: "sometimes",
        csatEnabled: "no",
        teamId: null,
      }),
    ).toEqual({ greeting: "Hi", teamId: null });
    expect(readInboxOverrides(null)).toEqual({});
    expect(readInboxOverrides("garbage")).toEqual({});
  });

  it("changes only what the inbox overrides", () => {
    const ws = readSettings({ businessHours: hours, csat: { enabled: true, askNps: false } });
    expect(ws.businessHours?.timeZone).toBe("Asia/Jerusalem");
    expect(effectiveSettings(ws, {})).toEqual(ws);
    const always = effectiveSettings(ws, { hours: "always", csatEnabled: false, greeting: "Shalom" });
    expect(always.businessHours).toBeNull();
    expect(always.csat).toEqual({ enabled: false, askNps: false });
    expect(always.widget.greeting).toBe("Shalom");
    expect(always.widget.title).toBe(ws.widget.title);
    expect(effectiveSettings(ws, { hours: "workspace" }).businessHours).toEqual(ws.businessHours);
  });
});
