import { describe, expect, it } from "vitest";
import { buildSystemPrompt } from "../../../workers/ai/agent/prompt.ts";

const base = {
  categoryName: "Delivery",
  instructions: "Help with deliveries.",
  retentionOffer: null,
  fewShot: [],
  passages: [],
  language: "en",
  customer: { verified: true, name: "Dana" },
  secondaryIntents: [],
};

describe("system prompt: approved memories", () => {
  it("lists each approved fact with its source and tells the agent to name the source when asked", () => {
    const p = buildSystemPrompt({
      ...base,
      memories: [{ fact: "allergic to nuts", source: "what the customer wrote on 2026-12-01" }],
    });
    expect(p).toContain("# What we know about this customer");
    expect(p).toContain("- allergic to nuts (source: what the customer wrote on 2026-12-01)");
    expect(p).toMatch(/if asked, say where a fact came from/);
  });

  it("has no memory section without memories", () => {
    expect(buildSystemPrompt(base)).not.toContain("What we know about this customer");
  });
});
