import { describe, expect, it } from "vitest";
import { evalGate } from "../../../workers/ai/gate.ts";
import type { GateInput } from "../../../workers/ai/gate.ts";

const clean: GateInput = {
  draft: "Your box ships on Monday.",
  violations: [],
  route: { escalate: false, escalateReasons: [] },
  categoryPolicy: { autoSend: "always" },
  confidence: 0.9,
  mode: "autopilot",
  tone: { ok: true, issues: [], sentiment: 0.3 },
  actionsOk: true,
};

describe("evalGate", () => {
  it("sends a clean draft when policy allows", () => {
    expect(evalGate(clean)).toEqual({ decision: "send", reasons: ["policy:always"] });
  });

  it("sends under 'confident' when confidence is high enough", () => {
    expect(evalGate({ ...clean, categoryPolicy: { autoSend: "confident" }, confidence: 0.85 }).decision).toBe("send");
  });

  it.each<[string, Partial<GateInput>, string]>([
    ["copilot mode", { mode: "copilot" }, "mode:copilot"],
    ["policy never", { categoryPolicy: { autoSend: "never" } }, "policy:never"],
    ["low confidence", { categoryPolicy: { autoSend: "confident" }, confidence: 0.5 }, "low_confidence:0.50<0.8"],
    ["NaN confidence", { categoryPolicy: { autoSend: "confident" }, confidence: Number.NaN }, "low_confidence:NaN<0.8"],
    ["bad tone", { tone: { ok: false, issues: ["rude"], sentiment: -0.5 } }, "tone:rude"],
    ["blocked tool call", { actionsOk: false }, "actions:not_ok"],
    [
      "review violation",
      { violations: [{ code: "other_customer_data", message: "x", severity: "review" }] },
      "violation:other_customer_data:review",
    ],
    [
      "fixable block",
      { violations: [{ code: "internal_data_leak", message: "x", severity: "block" }] },
      "violation:internal_data_leak:block",
    ],
    [
      "injection attempt",
      { input: { threat: false, chargeback: false, injection: true, dataFishing: false } },
      "input:injection",
    ],
  ])("drafts for an operator on %s", (_label, over, reason) => {
    const r = evalGate({ ...clean, ...over });
    expect(r.decision).toBe("draft");
    expect(r.reasons).toContain(reason);
  });

  it.each<[string, Partial<GateInput>, string]>([
    ["router escalation", { route: { escalate: true, escalateReasons: ["legal_threat"] } }, "route:legal_threat"],
    [
      "threat in the message",
      { input: { threat: true, chargeback: false, injection: false, dataFishing: false } },
      "input:threat",
    ],
    [
      "chargeback in the message",
      { input: { threat: false, chargeback: true, injection: false, dataFishing: false } },
      "input:chargeback",
    ],
    [
      "false done claim",
      { violations: [{ code: "unconfirmed_action_claim", message: "x", severity: "block" }] },
      "violation:unconfirmed_action_claim",
    ],
    [
      "refund promise",
      { violations: [{ code: "unauthorized_refund", message: "x", severity: "block" }] },
      "violation:unauthorized_refund",
    ],
    [
      "direct write",
      { violations: [{ code: "direct_write", message: "x", severity: "block" }] },
      "violation:direct_write",
    ],
    ["empty draft", { draft: "  " }, "empty_draft"],
  ])("escalates on %s", (_label, over, reason) => {
    const r = evalGate({ ...clean, ...over });
    expect(r.decision).toBe("escalate");
    expect(r.reasons).toContain(reason);
  });

  it("escalation wins over copilot mode and keeps the draft reasons", () => {
    const r = evalGate({ ...clean, mode: "copilot", route: { escalate: true, escalateReasons: [] } });
    expect(r.decision).toBe("escalate");
    expect(r.reasons).toEqual(["route:escalate", "mode:copilot"]);
  });
});
