/**
 * The tool vocabulary, defined once: every tool the support agent may call, which of them
 * write to the account, and the business shape of each tool's arguments. The guardrails
 * refine these schemas for untrusted LLM output (strict objects, account targeting, the
 * pause window relative to today: workers/ai/guardrails/tool-schemas.ts); the executor
 * parses confirmed actions with the same shapes (execute.ts). Imports zod only, so both
 * may depend on it without a cycle.
 */
import { z } from "zod";

/** Every tool the support agent may ever call (seed 000, "Tools per category"). */
export const TOOL_NAMES = [
  "get_subscription",
  "track_shipment",
  "pause_subscription",
  "skip_next_box",
  "change_frequency",
  "change_address",
  "create_damage_claim",
  "payment_update_link",
  "cancel_subscription",
  "cancellation_link",
  "escalate_to_human",
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Tools that change the account: they only ever run after the customer confirms. */
export const WRITE_TOOLS = [
  "pause_subscription",
  "skip_next_box",
  "change_frequency",
  "change_address",
  "create_damage_claim",
  "cancel_subscription",
] as const satisfies readonly ToolName[];
export type WriteToolName = (typeof WRITE_TOOLS)[number];

/** Delivery frequencies the shop offers. */
export const FREQUENCIES = ["monthly", "bimonthly", "quarterly"] as const;

/** Priorities a hand-over may ask for (never "low": a customer waiting for a human is not). */
export const ESCALATION_PRIORITIES = ["normal", "high", "urgent"] as const;

const text = (max: number) => z.string().trim().min(1).max(max);

/** The business fields of each tool's arguments (no account targeting, no strictness). */
export const TOOL_ARGS = {
  get_subscription: z.object({}),
  track_shipment: z.object({ orderId: text(64).optional(), trackingNumber: text(64).optional() }),
  pause_subscription: z.object({ until: z.iso.date(), reason: text(500).optional() }),
  skip_next_box: z.object({ reason: text(500).optional() }),
  change_frequency: z.object({ frequency: z.enum(FREQUENCIES) }),
  change_address: z.object({
    line1: text(200),
    line2: text(200).optional(),
    city: text(100),
    region: text(100).optional(),
    postalCode: text(20),
    country: z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2 code"),
  }),
  create_damage_claim: z.object({
    orderId: text(64),
    description: z.string().trim().min(5).max(2000),
    photoUrls: z.array(z.url()).max(10).optional(),
  }),
  payment_update_link: z.object({}),
  // `propose: true` turns a cancellation into a pending action the customer confirms;
  // without it the only legal route is the self-service `cancellation_link`.
  cancel_subscription: z.object({ propose: z.boolean().optional(), reason: text(500).optional() }),
  cancellation_link: z.object({}),
  escalate_to_human: z.object({ reason: text(500), priority: z.enum(ESCALATION_PRIORITIES).optional() }),
} as const satisfies Record<ToolName, z.ZodObject>;
