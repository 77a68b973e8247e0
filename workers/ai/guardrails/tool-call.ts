/**
 * Red lines on every tool call an LLM proposes, checked in code before anything runs:
 * known tool, allowed in this category, valid arguments, verified customer, own account
 * only, and writes only as proposals the customer confirms (seed 000, section 8).
 */
import { targetSchema, toolSchemas } from "./tool-schemas.ts";
import { actionIdTool, isToolName, isWriteTool } from "./types.ts";
import type { ToolCall, TurnContext, Violation } from "./types.ts";

/** Outcome for one call. `requiresConfirmation`: run only as a pending action. */
export interface ToolCallCheck {
  allowed: boolean;
  violation?: Violation;
  requiresConfirmation: boolean;
}

/** Options for {@link checkToolCall}; `now` makes date rules testable. */
export interface ToolCallOptions {
  now?: Date;
}

// Handing over to a human can never make a turn less safe, so it is allowed in every
// category and for unverified customers.
const ALWAYS_ALLOWED = new Set<string>(["escalate_to_human"]);

const block = (code: Violation["code"], message: string): ToolCallCheck => ({
  allowed: false,
  violation: { code, message, severity: "block" },
  requiresConfirmation: false,
});

/**
 * Decide whether a tool call may run now, may run only as a proposal, or is blocked.
 * A write with `args.actionId` executes only when that id is in `ctx.confirmedActionIds`
 * and belongs to the same tool; any other write becomes a proposal, except
 * `cancel_subscription`, which needs `propose: true` (or the self-service link).
 */
export function checkToolCall(call: ToolCall, ctx: TurnContext, opts: ToolCallOptions = {}): ToolCallCheck {
  const name = call.name;
  if (!isToolName(name)) return block("tool_not_allowed", `unknown tool "${name}"`);
  if (!ALWAYS_ALLOWED.has(name) && !ctx.allowedTools.includes(name)) {
    return block("tool_not_allowed", `tool "${name}" is not enabled for category ${ctx.category}`);
  }

  const parsed = toolSchemas(opts.now ?? new Date())[name].safeParse(call.args ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "args"}: ${i.message}`).join("; ");
    return block("invalid_tool_args", `invalid arguments for ${name}: ${detail}`);
  }
  if (ALWAYS_ALLOWED.has(name)) return { allowed: true, requiresConfirmation: false };

  const { customer } = ctx;
  if (!customer.verified || customer.customerId === null) {
    return block("unverified_account_access", `${name} needs a verified customer`);
  }

  const targetArgs = targetSchema.safeParse(parsed.data);
  const t = targetArgs.success ? targetArgs.data : {};
  if (t.customerId !== undefined && t.customerId !== customer.customerId) {
    return block("other_customer_data", `${name} targets another customer id`);
  }
  if (t.email !== undefined && t.email.toLowerCase() !== (customer.email ?? "").toLowerCase()) {
    return block("other_customer_data", `${name} targets another customer's email`);
  }

  if (!isWriteTool(name)) return { allowed: true, requiresConfirmation: false };

  if (t.actionId !== undefined) {
    const confirmed = ctx.confirmedActionIds.includes(t.actionId) && actionIdTool(t.actionId) === name;
    if (!confirmed)
      return block("direct_write", `${name} cites action ${t.actionId}, which the customer has not confirmed`);
    return { allowed: true, requiresConfirmation: false };
  }
  if (name === "cancel_subscription" && !isProposal(parsed.data)) {
    return block(
      "direct_write",
      "cancel_subscription cannot run directly: send cancellation_link or propose it for confirmation",
    );
  }
  return { allowed: true, requiresConfirmation: true };
}

function isProposal(args: unknown): boolean {
  return typeof args === "object" && args !== null && "propose" in args && args.propose === true;
}
