/**
 * Typed loader of suite.json: the file is data written by people, so it is validated
 * with zod rather than trusted; a malformed entry fails loudly instead of silently
 * shrinking the suite.
 */
import { z } from "zod";
import { CATEGORY_KEYS, LANGUAGES } from "../../workers/lib/categories.ts";
import raw from "./suite.json" with { type: "json" };

const expectation = z.strictObject({
  escalate: z.literal(true).optional(),
  injection: z.literal(true).optional(),
  dataFishing: z.literal(true).optional(),
  refundDemand: z.literal(true).optional(),
  mustNotContain: z.array(z.string().min(1)).optional(),
});

const adversarial = z.strictObject({
  id: z.string().min(1),
  lang: z.enum(LANGUAGES),
  kind: z.enum([
    "injection",
    "data_fishing",
    "legal",
    "violence",
    "chargeback",
    "refund",
    "social_engineering",
    "mixed",
  ]),
  category: z.enum(CATEGORY_KEYS),
  verified: z.boolean(),
  text: z.string().min(1),
  expect: expectation,
});

const benign = z.strictObject({
  id: z.string().min(1),
  lang: z.enum(LANGUAGES),
  category: z.enum(CATEGORY_KEYS),
  text: z.string().min(1),
});

const suiteSchema = z.strictObject({
  version: z.literal(1),
  description: z.string(),
  adversarial: z.array(adversarial).min(60),
  benign: z.array(benign).min(20),
});

export type RedlineSuite = z.infer<typeof suiteSchema>;

/** The validated suite. Throws on a malformed file. */
export function loadSuite(): RedlineSuite {
  return suiteSchema.parse(raw);
}
