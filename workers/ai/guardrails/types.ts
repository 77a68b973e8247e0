/**
 * Shared contracts of the guardrails: the tool vocabulary, what a turn knows about the
 * customer, and the violation codes every red-line check reports. The agent, the eval
 * gate, the Eval Lab and the operator UI all speak these types, so they live apart from
 * any one check.
 */
import type { CategoryKey } from "../../lib/categories.ts";

import { TOOL_NAMES, WRITE_TOOLS, type ToolName, type WriteToolName } from "../../commerce/tools.ts";

/** The tool vocabulary is the shop's (workers/commerce/tools.ts); re-exported for the checks. */
export { TOOL_NAMES, WRITE_TOOLS, type ToolName, type WriteToolName };

/** One tool call as an LLM produced it; `name` is a string because models invent tools. */
export interface ToolCall {
  name: string;
  args: unknown;
}

/**
 * What the guardrails know about the current turn.
 *
 * `confirmedActionIds` entries are `${ToolName}:${opaque}` — the id of a pending action
 * the customer confirmed with a button. The prefix binds a confirmation to one tool, so
 * a confirmed skip can never be replayed as a cancellation.
 */
export interface TurnContext {
  category: CategoryKey;
  allowedTools: string[];
  customer: { verified: boolean; customerId: string | null; email: string | null };
  confirmedActionIds: string[];
  route: { escalate: boolean; escalateReasons: string[] };
  /** Distinctive sentences of the hidden system prompt. */
  systemPromptFingerprints: string[];
  /** Internal ids, table names, API keys… that must never reach a customer. */
  internalMarkers: string[];
  otherCustomerEmails?: string[];
  refundAuthorized: boolean;
  /** The subscription's state in the store: saying a paused subscription "is paused" is a fact, not a claim. */
  subscriptionStatus?: "active" | "paused" | "cancelled" | null;
}

export const VIOLATION_CODES = [
  "unconfirmed_action_claim",
  "unauthorized_refund",
  "system_prompt_leak",
  "internal_data_leak",
  "other_customer_data",
  "missed_escalation",
  "tool_not_allowed",
  "unverified_account_access",
  "direct_write",
  "invalid_tool_args",
  "unlisted_link",
  "credential_request",
] as const;

export type ViolationCode = (typeof VIOLATION_CODES)[number];

/**
 * A broken red line. `block`: the text or call must never reach the customer as is.
 * `review`: suspicious enough that a human approves before anything is sent.
 */
export interface Violation {
  code: ViolationCode;
  message: string;
  severity: "block" | "review";
}

/** Narrow an arbitrary string to a known tool name. */
export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}

/** True for tools that change the account. */
export function isWriteTool(name: string): name is WriteToolName {
  return (WRITE_TOOLS as readonly string[]).includes(name);
}

/** The tool a confirmed action id belongs to, or null when the id is malformed. */
export function actionIdTool(actionId: string): ToolName | null {
  const sep = actionId.indexOf(":");
  if (sep <= 0 || sep === actionId.length - 1) return null;
  const name = actionId.slice(0, sep);
  return isToolName(name) ? name : null;
}
