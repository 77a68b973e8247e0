/**
 * The eval gate (seed 000, step 4): the last decision before a reply leaves. It never
 * looks at the model, only at what the guardrails found, so a wrong or hostile model
 * cannot talk its way past it. Escalation wins over drafting, drafting over sending.
 */
import type { InputScan } from "./guardrails/input.ts";
import type { ToneResult } from "./guardrails/tone.ts";
import type { Violation, ViolationCode } from "./guardrails/types.ts";
import type { RouteResult } from "./router/types.ts";
import type { GroundingResult } from "./grounding.ts";

/** Per-category auto-send policy, set by the workspace admin. */
export interface CategoryPolicy {
  autoSend: "always" | "confident" | "never";
}

/** Everything the gate weighs for one turn. */
export interface GateInput {
  draft: string;
  violations: Violation[];
  route: Pick<RouteResult, "escalate" | "escalateReasons">;
  categoryPolicy: CategoryPolicy;
  /** Router confidence in the category, [0, 1]. */
  confidence: number;
  mode: "autopilot" | "copilot";
  tone: ToneResult;
  /** False when any tool call of the turn was blocked or failed. */
  actionsOk: boolean;
  /** Signals of the customer-message scan; threats and chargebacks escalate even if the router missed them. */
  input?: Pick<InputScan, "threat" | "chargeback" | "injection" | "dataFishing">;
  /** Confidence a "confident" policy needs; defaults to {@link DEFAULT_MIN_CONFIDENCE}. */
  minConfidence?: number;
  /** Claims of the draft not found in the turn's passages or tool results hold it for an operator. */
  grounding?: GroundingResult;
}

export interface GateDecision {
  decision: "send" | "draft" | "escalate";
  reasons: string[];
}

export const DEFAULT_MIN_CONFIDENCE = 0.8;

/**
 * Blocked findings an operator can fix by editing the (redacted) draft. The rest — a
 * false "done", a refund promise, another customer's data, a direct write, a missed
 * escalation — mean the conversation itself needs a human decision.
 */
export const OPERATOR_FIXABLE: ReadonlySet<ViolationCode> = new Set<ViolationCode>([
  "system_prompt_leak",
  "internal_data_leak",
  "tool_not_allowed",
  "invalid_tool_args",
  "unverified_account_access",
]);

/** Decide whether a draft is sent, held for an operator, or escalated to a human. */
export function evalGate(input: GateInput): GateDecision {
  const escalate: string[] = [];
  const draft: string[] = [];

  if (input.route.escalate) {
    escalate.push(
      ...(input.route.escalateReasons.length > 0
        ? input.route.escalateReasons.map((r) => `route:${r}`)
        : ["route:escalate"]),
    );
  }
  if (input.input?.threat === true) escalate.push("input:threat");
  if (input.input?.chargeback === true) escalate.push("input:chargeback");
  if (input.draft.trim().length === 0) escalate.push("empty_draft");

  for (const v of input.violations) {
    if (v.severity === "block" && !OPERATOR_FIXABLE.has(v.code)) escalate.push(`violation:${v.code}`);
    else draft.push(`violation:${v.code}:${v.severity}`);
  }

  if (input.mode === "copilot") draft.push("mode:copilot");
  if (input.categoryPolicy.autoSend === "never") draft.push("policy:never");
  const min = input.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (input.categoryPolicy.autoSend === "confident" && !(input.confidence >= min)) {
    draft.push(`low_confidence:${input.confidence.toFixed(2)}<${min}`);
  }
  if (!input.tone.ok) draft.push(...input.tone.issues.map((i) => `tone:${i}`));
  if (!input.actionsOk) draft.push("actions:not_ok");
  if (input.grounding && input.grounding.ungrounded.length > 0)
    draft.push(`ungrounded:${input.grounding.ungrounded.slice(0, 5).join(",")}`);
  if (input.input?.injection === true) draft.push("input:injection");
  if (input.input?.dataFishing === true) draft.push("input:data_fishing");

  if (escalate.length > 0) return { decision: "escalate", reasons: unique([...escalate, ...draft]) };
  if (draft.length > 0) return { decision: "draft", reasons: unique(draft) };
  return { decision: "send", reasons: [`policy:${input.categoryPolicy.autoSend}`] };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
