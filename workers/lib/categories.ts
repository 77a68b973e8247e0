/**
 * The ten support categories of the product (seed 000). Every workspace starts with
 * these keys; admins can edit their instructions, tools and models but the keys are
 * what the router predicts, so they are fixed here and shared by every module.
 */
export const CATEGORY_KEYS = [
  "general_question",
  "shipping_inquiry",
  "change_address",
  "change_frequency",
  "skip_month",
  "damaged_item",
  "payment_issue",
  "pause_subscription",
  "cancel_subscription",
  "other",
] as const;

export type CategoryKey = (typeof CATEGORY_KEYS)[number];

export const URGENCY_LEVELS = ["low", "medium", "high", "critical"] as const;
export type Urgency = (typeof URGENCY_LEVELS)[number];

/** Languages are part of the shared vocabulary (workers/protocol/vocabulary.ts). */
export { LANGUAGES, type Language } from "../protocol/vocabulary.ts";

export function isCategoryKey(value: string): value is CategoryKey {
  return (CATEGORY_KEYS as readonly string[]).includes(value);
}
