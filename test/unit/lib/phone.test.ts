// Tests for workers/lib/phone.ts (E.164 normalisation).
import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../../workers/lib/phone.ts";

describe("normalizePhone", () => {
  it.each([
    ["050-123-4567", undefined, "+972501234567"],
    ["+1 (555) 123-4567", undefined, "+15551234567"],
    ["+972 50 123 4567", undefined, "+972501234567"],
    ["00972-52-765-4321", undefined, "+972527654321"],
    ["(555) 123-4567", "US", "+15551234567"],
    ["1-555-123-4567", "US", "+15551234567"],
    ["03-612-3456", "IL", "+97236123456"],
    ["972501234567", "IL", "+972501234567"],
    ["8 (916) 123-45-67", "RU", "+79161234567"],
    ["06 12 34 56 78", "FR", "+33612345678"],
    ["612 345 678", "ES", "+34612345678"],
    ["020 7946 0958", "GB", "+442079460958"],
  ])("%s (%s) → %s", (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });

  it.each([
    ["12345", undefined],
    ["call me", undefined],
    ["(555) 123-4567", undefined],
    ["+1234", undefined],
    ["+12345678901234567", undefined],
    ["03-612-3456", "US"],
  ])("rejects %s (%s)", (raw, country) => {
    expect(normalizePhone(raw, country)).toBeNull();
  });
});
