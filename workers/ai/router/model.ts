/**
 * The serialised router model (model.generated.json) and its decoding. Weights are a
 * dense feature-major int8 table (bucket * classes + class) in base64 with one global
 * scale: ~0.9 MB of JSON that decodes once per isolate.
 */
import { z } from "zod";
import { CATEGORY_KEYS } from "../../lib/categories.ts";
import { DEFAULT_FEATURES } from "./features.ts";
import type { FeatureConfig } from "./features.ts";

const FeatureConfigSchema = z.object({
  charMin: z.number().int().min(1).max(8),
  charMax: z.number().int().min(1).max(8),
  bigrams: z.boolean(),
  prefix: z.number().int().min(0).max(12),
  cross: z.number().int().min(0).max(8),
  hebrewPrefixes: z.boolean().optional(),
});

export const ModelFileSchema = z.object({
  version: z.literal(1),
  bits: z.number().int().min(8).max(20),
  classes: z.array(z.enum(CATEGORY_KEYS)).min(2),
  scale: z.number().positive(),
  bias: z.array(z.number()),
  weights: z.string(),
  trainHash: z.string(),
  trainRows: z.number().int().nonnegative(),
  /** Absent in files trained before the feature set became configurable. */
  features: FeatureConfigSchema.optional(),
});

/** JSON shape written by scripts/train-router.ts. */
export type ModelFile = z.infer<typeof ModelFileSchema>;

/** A decoded model ready for scoring. */
export interface LoadedModel {
  bits: number;
  classes: ModelFile["classes"];
  scale: number;
  bias: Float64Array;
  weights: Int8Array;
  features: FeatureConfig;
}

/** Base64 without Buffer (workerd has atob). */
function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Encode bytes to base64 in chunks (String.fromCharCode has an argument limit). */
export function encodeBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** Validate and decode a model file; throws if the shape or sizes are wrong. */
export function loadModel(raw: unknown): LoadedModel {
  const file = ModelFileSchema.parse(raw);
  const bytes = decodeBase64(file.weights);
  const expected = (1 << file.bits) * file.classes.length;
  if (bytes.length !== expected || file.bias.length !== file.classes.length) {
    throw new Error(`router model is corrupt: ${bytes.length} weights, expected ${expected}`);
  }
  return {
    bits: file.bits,
    classes: file.classes,
    scale: file.scale,
    bias: Float64Array.from(file.bias),
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    features: file.features ?? DEFAULT_FEATURES,
  };
}
