/**
 * zod schemas of every tool's arguments as the guardrails check them. LLM output is
 * untrusted input: the shop's argument shapes (workers/commerce/tools.ts: known
 * frequencies, complete addresses, lengths) become strict objects that reject invented
 * fields ("override": true), carry the account-targeting fields, and pause dates must be
 * in the offered window — all before any pending action is created.
 */
import { z } from "zod";
import { TOOL_ARGS } from "../../commerce/tools.ts";
import type { ToolName } from "./types.ts";

/** Longest pause the shop offers; a longer "pause" is a cancellation in disguise. */
export const MAX_PAUSE_DAYS = 183;

const DAY_MS = 86_400_000;

/**
 * Fields any tool may carry: whose account it targets (checked against the verified
 * customer) and, for writes, the id of the confirmed pending action being executed.
 */
const target = {
  customerId: z.string().min(1).optional(),
  email: z.email().optional(),
  actionId: z.string().min(3).optional(),
};

/** Build the schema table; `now` anchors "in the future" for pause dates. */
export function toolSchemas(now: Date): Record<ToolName, z.ZodType> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const futureDate = z.iso.date().refine(
    (d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return t > today && t <= today + MAX_PAUSE_DAYS * DAY_MS;
    },
    { message: `must be a date after today and at most ${MAX_PAUSE_DAYS} days ahead` },
  );
  // Every tool: the shop's argument shape plus account targeting, strict; a hand-over
  // targets no account.
  const strict = <T extends ToolName>(tool: T) => z.strictObject({ ...target, ...TOOL_ARGS[tool].shape });
  return {
    get_subscription: strict("get_subscription"),
    track_shipment: strict("track_shipment"),
    pause_subscription: strict("pause_subscription").extend({ until: futureDate }),
    skip_next_box: strict("skip_next_box"),
    change_frequency: strict("change_frequency"),
    change_address: strict("change_address"),
    create_damage_claim: strict("create_damage_claim"),
    payment_update_link: strict("payment_update_link"),
    cancel_subscription: strict("cancel_subscription"),
    cancellation_link: strict("cancellation_link"),
    escalate_to_human: z.strictObject(TOOL_ARGS.escalate_to_human.shape),
  };
}

/** The account-targeting fields, read safely from already validated args. */
export const targetSchema = z.object(target);
