// The configurable feature set (issue 18 cross-validation experiments): every option
// changes the extracted features, the default stays the original feature set, and a
// model trained with a non-default set carries it, so runtime scoring matches training.
import { describe, expect, it } from "vitest";
import { DEFAULT_FEATURES, extractFeatures } from "../../../workers/ai/router/features.ts";
import type { FeatureConfig } from "../../../workers/ai/router/features.ts";
import { loadModel } from "../../../workers/ai/router/model.ts";
import { classify } from "../../../workers/ai/router/classifier.ts";
import { DEFAULT_TRAIN_OPTIONS, trainModel } from "../../../workers/ai/router/train.ts";
import type { TrainRow } from "../../../workers/ai/router/train.ts";

const keys = (text: string, cfg: FeatureConfig = DEFAULT_FEATURES): string =>
  extractFeatures(text, 16, cfg).idx.join(",");

describe("router features", () => {
  it("defaults to the original set when no config is given", () => {
    expect(keys("skip the April box please")).toBe(
      extractFeatures("skip the April box please", 16, { ...DEFAULT_FEATURES }).idx.join(","),
    );
  });

  it.each<[string, Partial<FeatureConfig>]>([
    ["char-min", { charMin: 2 }],
    ["char-max", { charMax: 6 }],
    ["bigrams", { bigrams: false }],
    ["prefix", { prefix: 4 }],
    ["cross", { cross: 4 }],
  ])("option %s changes the features", (_name, change) => {
    const text = "please skip december shipment";
    expect(keys(text, { ...DEFAULT_FEATURES, ...change })).not.toBe(keys(text));
  });

  it("lets a Hebrew word with prefixes share the bare word's feature", () => {
    const cfg = { ...DEFAULT_FEATURES, hebrewPrefixes: true };
    const bare = extractFeatures("קופסה", 16, cfg).idx;
    const prefixed = extractFeatures("והקופסה", 16, cfg).idx;
    const without = extractFeatures("והקופסה", 16, DEFAULT_FEATURES).idx;
    // The whole-word feature of "קופסה" (first feature of the bare word) appears once the
    // prefixes are stripped, and not without the option.
    expect(prefixed).toContain(bare[0]);
    expect(without).not.toContain(bare[0]);
  });

  it("stores a non-default feature set in the model and scores with it", () => {
    const rows: TrainRow[] = [
      { text: "please skip next month", label: "skip_month" },
      { text: "skip the april box", label: "skip_month" },
      { text: "where is my package", label: "shipping_inquiry" },
      { text: "my order has not arrived", label: "shipping_inquiry" },
    ];
    const features = { ...DEFAULT_FEATURES, prefix: 4 };
    const file = trainModel(rows, { ...DEFAULT_TRAIN_OPTIONS, epochs: 5, bits: 12, features });
    expect(file.features).toEqual(features);
    const model = loadModel(file);
    expect(model.features).toEqual(features);
    expect(classify("skip next month", model)[0]?.category).toBe("skip_month");
    const plain = trainModel(rows, { ...DEFAULT_TRAIN_OPTIONS, epochs: 5, bits: 12 });
    expect(plain.features).toBeUndefined();
  });
});
