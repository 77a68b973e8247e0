// The committed model must be exactly what scripts/train-router.ts produces from the
// committed train.csv: same fingerprint and byte-identical after retraining in memory.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCsvRecords } from "../../../workers/lib/csv.ts";
import { loadModel } from "../../../workers/ai/router/model.ts";
import { serializeModel, toTrainRows, trainModel, trainingHash } from "../../../workers/ai/router/train.ts";
import { CATEGORY_KEYS } from "../../../workers/lib/categories.ts";

const ROUTER = fileURLToPath(new URL("../../../workers/ai/router/", import.meta.url));
const trainRows = toTrainRows(parseCsvRecords(readFileSync(`${ROUTER}data/train.csv`, "utf8")));
const committed = readFileSync(`${ROUTER}model.generated.json`, "utf8");

describe("router model", () => {
  it("was trained on the current train.csv", () => {
    const parsed: unknown = JSON.parse(committed);
    const model = loadModel(parsed);
    expect(model.classes).toEqual([...CATEGORY_KEYS]);
    expect(committed).toContain(`"trainHash":"${trainingHash(trainRows)}"`);
  });

  it("is byte-identical when retrained (run `node scripts/train-router.ts` if this fails)", () => {
    expect(serializeModel(trainModel(trainRows))).toBe(committed);
  }, 60_000);

  it("stays under 1.5 MB", () => {
    expect(committed.length).toBeLessThan(1.5 * 1024 * 1024);
  });

  it("keeps held-out texts out of training", () => {
    const train = new Set(trainRows.map((r) => r.text.toLowerCase()));
    const held = parseCsvRecords(readFileSync(`${ROUTER}data/heldout.csv`, "utf8"));
    expect(held.length).toBeGreaterThan(300);
    expect(held.filter((r) => train.has((r.text ?? "").toLowerCase()))).toEqual([]);
  });
});
