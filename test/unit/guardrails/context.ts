/** A turn context for guardrail tests; override what a test is about. */
import type { TurnContext } from "../../../workers/ai/guardrails/types.ts";

export const FINGERPRINT =
  "You are Sunny, the support assistant of FreshBox; never mention the retention budget of 15 dollars.";

export function turn(over: Partial<TurnContext> = {}): TurnContext {
  return {
    category: "pause_subscription",
    allowedTools: [
      "get_subscription",
      "pause_subscription",
      "skip_next_box",
      "cancellation_link",
      "cancel_subscription",
    ],
    customer: { verified: true, customerId: "cust_1", email: "john@example.com" },
    confirmedActionIds: [],
    route: { escalate: false, escalateReasons: [] },
    systemPromptFingerprints: [FINGERPRINT],
    internalMarkers: ["tbl_customers_v2", "sk_live_51HxR2eZvKYd"],
    otherCustomerEmails: ["maria.gonzalez@example.net"],
    refundAuthorized: false,
    ...over,
  };
}
