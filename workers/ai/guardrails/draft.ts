/**
 * Red lines on every reply draft before it can be sent (seed 000, section 8): no claim
 * that an account change is done without the customer's confirmation, no unauthorised
 * refund promise, no system prompt, internal data or other customers' data, and no
 * ordinary reply when the turn must go to a human.
 */
import {
  ACTION_WORDS,
  CLAIM_HEDGES,
  DONE_CLAIMS,
  HANDOFF,
  REFUND_NEGATIONS,
  REFUND_PROMISES,
} from "./draft-patterns.ts";
import {
  PROMPT_BLOCK_OVERLAP,
  PROMPT_REVIEW_OVERLAP,
  fingerprintScore,
  foreignEmails,
  leakedMarkers,
  secretTokens,
} from "./leaks.ts";
import { clauses, fold } from "./text.ts";
import { WRITE_TOOLS, actionIdTool } from "./types.ts";
import type { TurnContext, Violation, WriteToolName } from "./types.ts";

export { redactDraft } from "./redact.ts";

/**
 * Check one reply draft. `proposedActions` are the write tools this turn turned into
 * pending actions awaiting the customer's button; they make "please confirm" wording
 * legitimate but never a claim that the change is done.
 * Returns every violation found; an empty array means the draft is clean.
 */
export function checkDraft(draftText: string, ctx: TurnContext, proposedActions: string[]): Violation[] {
  const out: Violation[] = [];
  const add = (v: Violation): void => {
    if (!out.some((o) => o.code === v.code && o.message === v.message)) out.push(v);
  };

  for (const kind of claimedActions(draftText)) {
    if (confirmedKinds(ctx).has(kind)) continue;
    if (kind === "pause_subscription" && ctx.subscriptionStatus === "paused") continue;
    if (kind === "cancel_subscription" && ctx.subscriptionStatus === "cancelled") continue;
    const state = proposedActions.includes(kind) ? "only proposed" : "not confirmed by the customer";
    add({
      code: "unconfirmed_action_claim",
      message: `draft says ${kind} is done, but it is ${state}`,
      severity: "block",
    });
  }

  if (!ctx.refundAuthorized && promisesRefund(draftText)) {
    add({
      code: "unauthorized_refund",
      message: "draft promises or reports a refund nobody authorised",
      severity: "block",
    });
  }

  for (const fp of ctx.systemPromptFingerprints) {
    const score = fingerprintScore(fp, draftText);
    if (score >= PROMPT_BLOCK_OVERLAP) {
      add({
        code: "system_prompt_leak",
        message: `draft reproduces the system prompt (overlap ${score.toFixed(2)})`,
        severity: "block",
      });
    } else if (score >= PROMPT_REVIEW_OVERLAP) {
      add({
        code: "system_prompt_leak",
        message: `draft resembles the system prompt (overlap ${score.toFixed(2)})`,
        severity: "review",
      });
    }
  }

  const markers = leakedMarkers(draftText, ctx.internalMarkers);
  if (markers.length > 0 || secretTokens(draftText).length > 0) {
    add({
      code: "internal_data_leak",
      message: `draft contains internal data (${markers.length + secretTokens(draftText).length} item(s))`,
      severity: "block",
    });
  }

  const emails = foreignEmails(draftText, ctx);
  if (emails.known.length > 0) {
    add({ code: "other_customer_data", message: "draft contains another customer's e-mail", severity: "block" });
  }
  if (emails.unknown.length > 0) {
    add({
      code: "other_customer_data",
      message: "draft contains an e-mail address that is not the customer's",
      severity: "review",
    });
  }

  if (ctx.route.escalate && !HANDOFF.some((re) => re.test(fold(draftText)))) {
    add({
      code: "missed_escalation",
      message: `turn must go to a human (${ctx.route.escalateReasons.join(", ") || "escalate"}) but the draft replies normally`,
      severity: "block",
    });
  }
  return out;
}

/** Which account actions the draft claims are already done (hedged clauses excluded). */
export function claimedActions(draftText: string): WriteToolName[] {
  const found = new Set<WriteToolName>();
  for (const clause of clauses(fold(draftText))) {
    for (const re of DONE_CLAIMS) {
      const m = re.exec(clause.text);
      if (m === null) continue;
      if (CLAIM_HEDGES.test(clause.text.slice(0, m.index))) continue;
      for (const tool of WRITE_TOOLS) if (ACTION_WORDS[tool].test(clause.text)) found.add(tool);
    }
  }
  return [...found];
}

/** True when a draft promises, or reports, a refund (negated clauses excluded). */
export function promisesRefund(draftText: string): boolean {
  return clauses(fold(draftText)).some((clause) =>
    REFUND_PROMISES.some((re) => {
      const m = re.exec(clause.text);
      return m !== null && !REFUND_NEGATIONS.test(clause.text.slice(0, m.index + m[0].length));
    }),
  );
}

function confirmedKinds(ctx: TurnContext): Set<string> {
  const kinds = new Set<string>();
  for (const id of ctx.confirmedActionIds) {
    const tool = actionIdTool(id);
    if (tool !== null) kinds.add(tool);
  }
  return kinds;
}
