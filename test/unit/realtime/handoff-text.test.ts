import { describe, expect, it } from "vitest";
import { handoffText } from "../../../durable-objects/room/handoff-text.ts";

describe("handoffText", () => {
  it("promises a reply here during business hours", () => {
    expect(handoffText("en", { open: true, description: "Sun–Thu 09:00–18:00" })).toMatch(/reply here shortly/);
    expect(handoffText(null, null)).toMatch(/colleague/);
  });
  it("tells the opening hours and offers a callback after hours, in the customer's language", () => {
    const en = handoffText("en", { open: false, description: "Sun–Thu 09:00–18:00 (Asia/Jerusalem)" });
    expect(en).toContain("Sun–Thu 09:00–18:00 (Asia/Jerusalem)");
    expect(en).toMatch(/callback/);
    expect(handoffText("ru", { open: false, description: "вс–чт" })).toMatch(/обратного звонка/);
    expect(handoffText("he", { open: false, description: "x" })).toMatch(/שעות פעילות/);
    expect(handoffText("xx", { open: false, description: "x" })).toMatch(/callback/);
  });
});
