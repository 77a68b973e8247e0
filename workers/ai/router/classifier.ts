/**
 * Runtime side of the local router model: scores a message against the ten categories
 * with the committed, trained weights (model.generated.json). Decoding happens lazily
 * once per isolate; scoring is a sparse dot product, tens of microseconds per message.
 */
import type { CategoryKey } from "../../lib/categories.ts";
import { extractFeatures } from "./features.ts";
import { loadModel } from "./model.ts";
import type { LoadedModel } from "./model.ts";
import modelJson from "./model.generated.json" with { type: "json" };

/** One category with its probability. */
export interface CategoryScore {
  category: CategoryKey;
  probability: number;
}

let cached: LoadedModel | null = null;

/** The decoded committed model (validated once, then reused). */
export function getModel(): LoadedModel {
  cached ??= loadModel(modelJson);
  return cached;
}

/**
 * Probabilities for every category, highest first. `model` defaults to the committed
 * one; tests pass a freshly trained model.
 */
export function classify(text: string, model: LoadedModel = getModel()): CategoryScore[] {
  const C = model.classes.length;
  const logits = Array.from(model.bias);
  const acc = new Float64Array(C);
  const x = extractFeatures(text, model.bits, model.features);
  for (let k = 0; k < x.idx.length; k++) {
    const base = (x.idx[k] ?? 0) * C;
    const v = x.val[k] ?? 0;
    for (let c = 0; c < C; c++) acc[c] = (acc[c] ?? 0) + (model.weights[base + c] ?? 0) * v;
  }
  let max = -Infinity;
  for (let c = 0; c < C; c++) {
    logits[c] = (logits[c] ?? 0) + (acc[c] ?? 0) * model.scale;
    max = Math.max(max, logits[c] ?? 0);
  }
  let sum = 0;
  const exps = logits.map((l) => {
    const e = Math.exp(l - max);
    sum += e;
    return e;
  });
  return model.classes
    .map((category, c) => ({ category, probability: (exps[c] ?? 0) / sum }))
    .sort((a, b) => b.probability - a.probability);
}
