/**
 * The customer card's memory panel model: the expiry an operator sees (and sets) is the
 * one the agent obeys (expired facts are not given to it), the source link opens the
 * message the fact came from, and the origin is said in words.
 */
import { describe, expect, it, vi } from "vitest";
import {
  confidencePercent,
  dateInputValue,
  expiryFromDateInput,
  memoryExpiry,
  originKey,
  sourceHref,
} from "../../../../dashboard/src/ui/memory-model.ts";

// i18n reads localStorage and navigator at import; give it a minimal browser.
vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
vi.stubGlobal("navigator", { language: "en-US" });
vi.stubGlobal("document", { documentElement: {} });
const { translate } = await import("../../../../dashboard/src/lib/i18n.ts");

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

describe("memory expiry", () => {
  it("no expiry, a future day, a past day", () => {
    expect(memoryExpiry(null, NOW)).toEqual({ state: "none" });
    expect(memoryExpiry(Date.UTC(2027, 0, 31, 23, 59, 59, 999), NOW)).toEqual({ state: "active", date: "2027-01-31" });
    expect(memoryExpiry(Date.UTC(2026, 11, 1), NOW)).toEqual({ state: "expired", date: "2026-12-01" });
    // The very instant counts as expired, as in the store's `expires_at > now` filter.
    expect(memoryExpiry(NOW, NOW).state).toBe("expired");
  });

  it("a picked day means the end of that UTC day; cleared means none; nonsense is refused", () => {
    const t = expiryFromDateInput("2027-01-31");
    expect(t).toBe(Date.UTC(2027, 0, 31, 23, 59, 59, 999));
    expect(dateInputValue(t ?? null)).toBe("2027-01-31");
    expect(expiryFromDateInput("")).toBeNull();
    expect(expiryFromDateInput("  ")).toBeNull();
    expect(expiryFromDateInput("2026-02-30")).toBeUndefined();
    expect(expiryFromDateInput("31/01/2027")).toBeUndefined();
    expect(expiryFromDateInput("tomorrow")).toBeUndefined();
    expect(dateInputValue(null)).toBe("");
  });

  it("a fact set to expire today is still used today and expired tomorrow", () => {
    const t = expiryFromDateInput("2026-12-06") ?? 0;
    expect(memoryExpiry(t, NOW).state).toBe("active");
    expect(memoryExpiry(t, NOW + 86_400_000).state).toBe("expired");
  });
});

describe("memory source and origin", () => {
  it("links to the source message inside its conversation, or to the conversation, or nowhere", () => {
    expect(sourceHref({ sourceConversationId: "conv_1", sourceMessageId: "msg_2" })).toBe("#/inbox/conv_1/msg_2");
    expect(sourceHref({ sourceConversationId: "conv_1", sourceMessageId: null })).toBe("#/inbox/conv_1");
    expect(sourceHref({ sourceConversationId: null, sourceMessageId: "msg_2" })).toBeNull();
    expect(sourceHref({ sourceConversationId: "a/b", sourceMessageId: "c d" })).toBe("#/inbox/a%2Fb/c%20d");
  });

  it("origins in words (never the extractor's name), in both dashboard languages", () => {
    expect(translate("en", originKey("rules"))).toBe("Found automatically");
    expect(translate("en", originKey("llm"))).toBe("Suggested by AI");
    expect(translate("ru", originKey("operator"))).toBe("Добавлено оператором");
    expect(translate("en", originKey("something-new"))).toBe("Found automatically");
  });

  it("confidence as a whole percentage, clamped", () => {
    expect(confidencePercent(0.8)).toBe("80%");
    expect(confidencePercent(0.666)).toBe("67%");
    expect(confidencePercent(1.4)).toBe("100%");
    expect(confidencePercent(-1)).toBe("0%");
  });
});
