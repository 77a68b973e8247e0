/**
 * Deterministic trainer for the router: multinomial logistic regression over hashed
 * features, plain SGD with a seeded shuffle, inverse-frequency class weights and L2.
 * Pure (no I/O) so the unit test can retrain in memory and compare with the committed
 * model byte for byte; scripts/train-router.ts does the file reading and writing.
 */
import { CATEGORY_KEYS, isCategoryKey } from "../../lib/categories.ts";
import type { CategoryKey } from "../../lib/categories.ts";
import { DEFAULT_FEATURES, extractFeatures, fingerprint } from "./features.ts";
import type { FeatureConfig, SparseVector } from "./features.ts";
import { encodeBase64 } from "./model.ts";
import type { ModelFile } from "./model.ts";
import { seededRandom } from "../../lib/random.ts";

/** One labelled training example. */
export interface TrainRow {
  text: string;
  label: CategoryKey;
}

export interface TrainOptions {
  bits: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  features: FeatureConfig;
  /**
   * Return the average of the weights over all SGD steps (Polyak averaging) instead of
   * the last iterate: less sensitive to the last few noisy updates.
   */
  average: boolean;
  /** Inverse-frequency class weights in the loss. */
  balanced: boolean;
  /** Number of SGD runs (seeds seed, seed+1, …) whose weights are averaged; default 1. */
  seeds?: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  bits: 16,
  epochs: 40,
  learningRate: 3,
  l2: 1e-5,
  seed: 20260101,
  features: DEFAULT_FEATURES,
  average: false,
  balanced: true,
};

/** Fingerprint of the exact rows the model was trained on (order-sensitive). */
export function trainingHash(rows: readonly TrainRow[]): string {
  return fingerprint(rows.map((r) => `${r.text}\t${r.label}`).join("\n"));
}

/** Turn CSV records (text, primary, …) into training rows, rejecting unknown labels. */
export function toTrainRows(records: readonly Record<string, string>[]): TrainRow[] {
  return records.map((rec, i) => {
    const label = (rec.primary ?? "").trim();
    if (!isCategoryKey(label)) throw new Error(`row ${i + 2}: unknown category "${label}"`);
    return { text: rec.text ?? "", label };
  });
}

/** Round to a fixed number of significant digits so the JSON stays short and stable. */
function round(x: number): number {
  return Number(x.toPrecision(6));
}

/** One SGD run from zero weights with the given shuffle seed. */
function fit(
  xs: readonly SparseVector[],
  ys: readonly number[],
  classWeight: readonly number[],
  C: number,
  D: number,
  opts: TrainOptions,
  seed: number,
): { W: Float64Array; b: Float64Array } {
  const W = new Float64Array(D * C);
  const b = new Float64Array(C);
  // Averaging trick: with U accumulating step * update, the mean iterate is W - U / steps,
  // so averaging costs O(active features) per step rather than O(D * C).
  const U = opts.average ? new Float64Array(D * C) : null;
  const Ub = opts.average ? new Float64Array(C) : null;
  const logits = new Float64Array(C);
  const order = xs.map((_, i) => i);
  const rand = seededRandom(seed);
  let step = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = tmp;
    }
    for (const n of order) {
      const x = xs[n];
      const y = ys[n] ?? 0;
      if (!x) continue;
      const lr = opts.learningRate / (1 + step / xs.length);
      step++;
      for (let c = 0; c < C; c++) logits[c] = b[c] ?? 0;
      for (let k = 0; k < x.idx.length; k++) {
        const base = (x.idx[k] ?? 0) * C;
        const v = x.val[k] ?? 0;
        for (let c = 0; c < C; c++) logits[c] = (logits[c] ?? 0) + (W[base + c] ?? 0) * v;
      }
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, logits[c] ?? 0);
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp((logits[c] ?? 0) - max);
        logits[c] = e;
        sum += e;
      }
      const cw = classWeight[y] ?? 1;
      for (let c = 0; c < C; c++) {
        const g = ((logits[c] ?? 0) / sum - (c === y ? 1 : 0)) * cw;
        logits[c] = g;
        b[c] = (b[c] ?? 0) - lr * g;
        if (Ub) Ub[c] = (Ub[c] ?? 0) - step * lr * g;
      }
      for (let k = 0; k < x.idx.length; k++) {
        const base = (x.idx[k] ?? 0) * C;
        const v = x.val[k] ?? 0;
        for (let c = 0; c < C; c++) {
          const w = W[base + c] ?? 0;
          const delta = -lr * ((logits[c] ?? 0) * v + opts.l2 * w);
          W[base + c] = w + delta;
          if (U) U[base + c] = (U[base + c] ?? 0) + step * delta;
        }
      }
    }
  }
  if (U && Ub && step > 0) {
    for (let i = 0; i < W.length; i++) W[i] = (W[i] ?? 0) - (U[i] ?? 0) / step;
    for (let c = 0; c < C; c++) b[c] = (b[c] ?? 0) - (Ub[c] ?? 0) / step;
  }

  return { W, b };
}

/** Train and serialise a model. Same rows + options → identical output. */
export function trainModel(rows: readonly TrainRow[], opts: TrainOptions = DEFAULT_TRAIN_OPTIONS): ModelFile {
  const classes = [...CATEGORY_KEYS];
  const C = classes.length;
  const D = 1 << opts.bits;
  const xs = rows.map((r) => extractFeatures(r.text, opts.bits, opts.features));
  const ys = rows.map((r) => classes.indexOf(r.label));
  const counts = new Array<number>(C).fill(0);
  for (const y of ys) counts[y] = (counts[y] ?? 0) + 1;
  const classWeight = counts.map((n) => (n > 0 ? (opts.balanced ? rows.length / (C * n) : 1) : 0));

  // Several shuffle seeds averaged into one table (same size) smooth out SGD's
  // order-dependence; with one seed this is exactly the single run.
  const runs = Math.max(1, opts.seeds ?? 1);
  const W = new Float64Array(D * C);
  const b = new Float64Array(C);
  for (let r = 0; r < runs; r++) {
    const run = fit(xs, ys, classWeight, C, D, opts, opts.seed + r);
    for (let i = 0; i < W.length; i++) W[i] = (W[i] ?? 0) + (run.W[i] ?? 0) / runs;
    for (let c = 0; c < C; c++) b[c] = (b[c] ?? 0) + (run.b[c] ?? 0) / runs;
  }

  let maxAbs = 0;
  for (let i = 0; i < W.length; i++) maxAbs = Math.max(maxAbs, Math.abs(W[i] ?? 0));
  const scale = round(maxAbs > 0 ? maxAbs / 127 : 1);
  const q = new Int8Array(W.length);
  for (let i = 0; i < W.length; i++) {
    q[i] = Math.max(-127, Math.min(127, Math.round((W[i] ?? 0) / scale)));
  }
  return {
    version: 1,

    bits: opts.bits,
    classes,
    scale,
    bias: Array.from(b, round),
    weights: encodeBase64(new Uint8Array(q.buffer)),
    trainHash: trainingHash(rows),
    trainRows: rows.length,
    ...(sameFeatures(opts.features, DEFAULT_FEATURES) ? {} : { features: opts.features }),
  };
}

function sameFeatures(a: FeatureConfig, b: FeatureConfig): boolean {
  return (
    a.charMin === b.charMin &&
    a.charMax === b.charMax &&
    a.bigrams === b.bigrams &&
    a.prefix === b.prefix &&
    a.cross === b.cross &&
    (a.hebrewPrefixes ?? false) === (b.hebrewPrefixes ?? false)
  );
}

/** Canonical file text of a model: what the script writes and the test compares. */
export function serializeModel(model: ModelFile): string {
  return `${JSON.stringify(model)}\n`;
}
