/**
 * zod schemas of every tool's arguments. LLM output is untrusted input: strict objects
 * reject invented fields ("override": true), and business limits (future pause dates,
 * known frequencies, complete addresses) are checked here, before any pending action
 * is created.
 */
import { z } from "zod";
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

const text = (max: number) => z.string().trim().min(1).max(max);

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
  return {
    get_subscription: z.strictObject({ ...target }),
    track_shipment: z.strictObject({
      ...target,
      orderId: text(64).optional(),
      trackingNumber: text(64).optional(),
    }),
    pause_subscription: z.strictObject({ ...target, until: futureDate, reason: text(500).optional() }),
    skip_next_box: z.strictObject({ ...target, reason: text(500).optional() }),
    change_frequency: z.strictObject({
      ...target,
      frequency: z.enum(["monthly", "bimonthly", "quarterly"]),
    }),
    change_address: z.strictObject({
      ...target,
      line1: text(200),
      line2: text(200).optional(),
      city: text(100),
      region: text(100).optional(),
      postalCode: text(20),
      country: z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2 code"),
    }),
    create_damage_claim: z.strictObject({
      ...target,
      orderId: text(64),
      description: z.string().trim().min(5).max(2000),
      photoUrls: z.array(z.url()).max(10).optional(),
    }),
    payment_update_link: z.strictObject({ ...target }),
    // `propose: true` turns a cancellation into a pending action the customer confirms;
    // without it the only legal route is the self-service `cancellation_link`.
    cancel_subscription: z.strictObject({
      ...target,
      propose: z.boolean().optional(),
      reason: text(500).optional(),
    }),
    cancellation_link: z.strictObject({ ...target }),
    escalate_to_human: z.strictObject({
      reason: text(500),
      priority: z.enum(["normal", "high", "urgent"]).optional(),
    }),
  };
}

/** The account-targeting fields, read safely from already validated args. */
export const targetSchema = z.object(target);
