import { describe, expect, it } from "vitest";
import { deriveProfile } from "../../../workers/rights/memory/profile.ts";

type Row = Parameters<typeof deriveProfile>[0][number];
const conv = (over: Partial<Row>): Row =>
  ({
    id: "c",
    channel: "widget",
    language: "en",
    category: null,
    status: "open",
    resolvedAt: null,
    lastMessagePreview: null,
    ...over,
  }) as Row;

describe("deriveProfile", () => {
  it("takes the most common language and channel, categories seen twice, and the latest resolution", () => {
    const p = deriveProfile([
      conv({ channel: "whatsapp", language: "ru", category: "delivery" }),
      conv({
        channel: "whatsapp",
        language: "ru",
        category: "delivery",
        status: "resolved",
        resolvedAt: Date.UTC(2026, 11, 1),
        lastMessagePreview: "Moved to the 20th",
      }),
      conv({
        channel: "widget",
        language: "en",
        category: "billing",
        status: "resolved",
        resolvedAt: Date.UTC(2026, 10, 1),
      }),
    ]);
    expect(p).toEqual({
      preferredLanguage: "ru",
      preferredChannel: "whatsapp",
      recurringIssues: ["delivery"],
      lastResolution: "2026-12-01 · delivery · Moved to the 20th",
    });
  });

  it("is empty for a contact without conversations", () => {
    expect(deriveProfile([])).toEqual({
      preferredLanguage: null,
      preferredChannel: null,
      recurringIssues: [],
      lastResolution: null,
    });
  });
});
