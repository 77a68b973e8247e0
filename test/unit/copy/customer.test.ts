import { describe, expect, it } from "vitest";
import {
  copyLanguage,
  customerText,
  handoffNotice,
  heldNotice,
  whenPhrase,
  type ReplyWindow,
} from "../../../workers/copy/customer.ts";

const OPEN_SLA: ReplyWindow = { kind: "open", withinMinutes: 15 };
const OPEN: ReplyWindow = { kind: "open", withinMinutes: null };
const CLOSED: ReplyWindow = {
  kind: "closed",
  hours: "Sun–Thu 09:00–18:00 (Asia/Jerusalem)",
  // Sunday 2026-12-06 09:00 in Jerusalem.
  nextOpening: new Date("2026-12-06T07:00:00Z"),
  timeZone: "Asia/Jerusalem",
  note: null,
};

describe("customer copy", () => {
  it("has every phrase in all five languages, none falling back to English", () => {
    for (const lang of ["ru", "he", "es", "fr"])
      for (const key of ["handoff", "held", "actionFailed", "codeLocked", "codeLimit", "confirm"] as const)
        expect(customerText(lang, key)).not.toBe(customerText("en", key));
  });

  it("maps language tags to the five languages", () => {
    expect(copyLanguage("he-IL")).toBe("he");
    expect(copyLanguage("de")).toBe("en");
    expect(copyLanguage(null)).toBe("en");
  });

  it("words the expected response time from the SLA during open hours", () => {
    expect(whenPhrase("en", OPEN_SLA)).toBe("within about 15 minutes");
    expect(whenPhrase("en", OPEN)).toBe("shortly");
    expect(whenPhrase("ru", OPEN_SLA)).toMatch(/15 минут/);
    expect(handoffNotice("en", OPEN_SLA)).toMatch(/reply here within about 15 minutes/);
  });

  it("after hours names the opening hours and the next opening in the workspace's time zone", () => {
    const en = handoffNotice("en", CLOSED);
    expect(en).toMatch(/away right now \(opening hours: Sun–Thu 09:00–18:00/);
    expect(en).toMatch(/when we open \(Sunday 09:00\)/);
    expect(en).toMatch(/callback/);
    expect(heldNotice("he", CLOSED)).toMatch(/כשנפתח/);
    expect(heldNotice("fr", OPEN_SLA)).toMatch(/15 minutes/);
  });

  it("puts the workspace's own after-hours message first", () => {
    expect(handoffNotice("en", { ...CLOSED, note: "Closed for Passover until the 10th." })).toMatch(
      /^Closed for Passover until the 10th\.\n\nOur team is away/,
    );
  });

  it("never carries internal reasons", () => {
    for (const lang of ["en", "ru", "he", "es", "fr"])
      expect(handoffNotice(lang, OPEN_SLA)).not.toMatch(/route:|violation:|draft/i);
  });
});
