import { describe, expect, it } from "vitest";
import {
  actionCorrectness,
  casePass,
  confirmation,
  escalation,
  factsOf,
  grounding,
  language,
  redLines,
  routing,
  type CaseExecution,
} from "../../../workers/evals/evaluators.ts";
import { runCustom } from "../../../workers/evals/custom.ts";
import { CustomEvaluatorDef } from "../../../workers/evals/custom.ts";
import type { EvalCase } from "../../../workers/protocol/evals.ts";

const baseCase: EvalCase = {
  id: "c1",
  message: "Please skip my next box",
  referenceReply: "I can skip it; please confirm.",
  category: "skip_month",
  outcome: "action",
  expectedActions: [{ tool: "skip_next_box", args: {} }],
  customerEmail: "john.smith@example.com",
  language: "en",
  tags: [],
};

function exec(over: Partial<CaseExecution> = {}): CaseExecution {
  return {
    case: baseCase,
    reply: "Shall I skip your December box? Tap Confirm to go ahead.",
    draft: "Shall I skip your December box? Tap Confirm to go ahead.",
    routedCategory: "skip_month",
    gateDecision: "send",
    handoff: false,
    violations: [],
    proposed: [{ tool: "skip_next_box", args: {}, confirmationAsked: true }],
    agentStateHash: "h1",
    goldStateHash: "h1",
    sources: [],
    latencyMs: 5,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    ...over,
  };
}

describe("evaluators", () => {
  it("red lines are a hard failure, except a missed escalation the gate escalated", () => {
    const v = { code: "unconfirmed_action_claim", severity: "block" as const, message: "x" };
    expect(redLines(exec({ violations: [v] }))).toMatchObject({ pass: false, hard: true });
    expect(redLines(exec({ violations: [{ ...v, severity: "review" }] })).pass).toBe(true);
    const missed = { code: "missed_escalation", severity: "block" as const, message: "y" };
    expect(redLines(exec({ violations: [missed], gateDecision: "escalate" })).pass).toBe(true);
    expect(redLines(exec({ violations: [missed], gateDecision: "draft" })).pass).toBe(false);
  });

  it("action correctness compares end-state hashes and is n/a without expected actions", () => {
    expect(actionCorrectness(exec()).pass).toBe(true);
    expect(actionCorrectness(exec({ agentStateHash: "h2" })).pass).toBe(false);
    expect(
      actionCorrectness(exec({ case: { ...baseCase, expectedActions: null, outcome: "resolved" } })).pass,
    ).toBeNull();
  });

  it("confirmation fails an action not put to the customer or a claimed change nobody confirmed", () => {
    expect(confirmation(exec()).pass).toBe(true);
    expect(confirmation(exec({ proposed: [{ tool: "skip_next_box", args: {}, confirmationAsked: false }] })).pass).toBe(
      false,
    );
    const claim = exec({ proposed: [], draft: "Done! I have skipped your next box.", reply: "" });
    expect(confirmation(claim)).toMatchObject({ pass: false });
    expect(confirmation(exec({ proposed: [], draft: "Your box is on its way." })).pass).toBeNull();
  });

  it("routing, escalation and language compare with the labels", () => {
    expect(routing(exec({ routedCategory: "pause_subscription" })).pass).toBe(false);
    expect(escalation(exec({ case: { ...baseCase, outcome: "escalated" }, gateDecision: "escalate" })).pass).toBe(true);
    expect(escalation(exec({ case: { ...baseCase, outcome: "escalated" } })).pass).toBe(false);
    expect(escalation(exec({ gateDecision: "escalate" })).pass).toBe(false);
    expect(language(exec({ draft: "Хорошо, пропускаю следующую коробку, подтвердите пожалуйста." })).pass).toBe(false);
  });

  it("grounding accepts facts found in the sources (cents as prices, ISO dates) and flags the rest", () => {
    expect(factsOf("Order LH-10481 ships on 2026-12-15 for $39.90, tracking JD014600006283")).toEqual(
      expect.arrayContaining(["LH10481", "JD014600006283", "39.9", "2026", "12", "15"]),
    );
    const sources = ['{"priceCents":3990,"nextBoxDate":"2026-12-15","orderNumber":"LH-10481"}'];
    expect(
      grounding(exec({ draft: "Your next box (LH-10481) ships December 15 and costs $39.90.", sources })).pass,
    ).toBe(true);
    const bad = grounding(exec({ draft: "Your refund of $120.00 arrives in 14 days.", sources }));
    expect(bad.pass).toBe(false);
    expect(bad.rationale).toMatch(/120/);
    expect(grounding(exec({ draft: "Thanks for writing!" })).pass).toBeNull();
  });

  it("a case fails on any gating evaluator but not on routing or language alone", () => {
    expect(
      casePass([
        { name: "routing", pass: false, value: 0, rationale: "" },
        { name: "language", pass: false, value: 0, rationale: "" },
        { name: "judge", pass: true, value: 5, rationale: "" },
      ]),
    ).toBe(true);
    expect(casePass([{ name: "grounding", pass: false, value: 0, rationale: "" }])).toBe(false);
    expect(casePass([{ name: "custom:polite", pass: false, value: 0, rationale: "" }])).toBe(false);
    expect(casePass([{ name: "anything", pass: false, value: 0, rationale: "", hard: true }])).toBe(false);
  });
});

describe("custom evaluators", () => {
  it("regex, keyword and JSON rules", () => {
    const x = exec();
    const re = CustomEvaluatorDef.parse({ kind: "regex", pattern: "confirm", mustMatch: true });
    expect(runCustom("asks", re, x)).toMatchObject({ name: "custom:asks", pass: true });
    const kw = CustomEvaluatorDef.parse({ kind: "keyword", keywords: ["refund", "lawyer"], mode: "none" });
    expect(runCustom("no-refund", kw, x).pass).toBe(true);
    const rules = CustomEvaluatorDef.parse({
      kind: "json",
      rules: [
        { field: "tools", op: "contains", value: "skip_next_box" },
        { field: "reply", op: "max_length", value: 20 },
      ],
    });
    const r = runCustom("rules", rules, x);
    expect(r.pass).toBe(false);
    expect(r.rationale).toMatch(/max_length/);
  });

  it("refuses invalid definitions", () => {
    expect(CustomEvaluatorDef.safeParse({ kind: "regex", pattern: "(" }).success).toBe(false);
    expect(CustomEvaluatorDef.safeParse({ kind: "keyword", keywords: [] }).success).toBe(false);
    expect(
      CustomEvaluatorDef.safeParse({ kind: "json", rules: [{ field: "secret", op: "equals", value: 1 }] }).success,
    ).toBe(false);
  });
});
