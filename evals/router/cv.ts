/**
 * K-fold cross-validation of the router inside train.csv: the only data model selection
 * for issue 18 may look at (the held-out sets stay sealed, see data/SOURCES.md).
 *
 *   node evals/router/cv.ts [--folds 5] [--bits 16] [--epochs 40] [--lr 3] [--l2 1e-5]
 *                           [--seed N] [--char-min 3] [--char-max 5] [--bigrams on|off]
 *                           [--prefix 0] [--cross 0] [--he-prefixes on|off] [--seeds 1] [--average on|off] [--balanced on|off] [--clause 0.6,…] [--secondary 0.35,…]
 *                           [--train FILE.csv] [--json] [--errors]
 *
 * Folds are grouped and stratified: a training sentence and its noisy variant (written
 * right after it by build-data.ts) always fall in the same fold, otherwise the variant
 * would leak its sentence into the test fold; groups are dealt round-robin in hash order
 * within each (category, language) stratum. Each fold trains with trainModel and scores
 * the full router (routeMessage with that model: clauses, negation, thresholds) on the
 * held fold. Two-intent behaviour is checked on synthetic pairs built only from the held
 * fold: "A. B" where A and B are sentences of different categories and languages match;
 * the gold primary is A and the secondary B.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCsvRecords } from "../../workers/lib/csv.ts";
import { CATEGORY_KEYS } from "../../workers/lib/categories.ts";
import type { CategoryKey, Language } from "../../workers/lib/categories.ts";
import { fingerprint, normalizeText, tokenize } from "../../workers/ai/router/features.ts";
import { detectLanguage } from "../../workers/ai/router/language.ts";
import { loadModel } from "../../workers/ai/router/model.ts";
import { routeMessage } from "../../workers/ai/router/index.ts";
import { DEFAULT_TRAIN_OPTIONS, toTrainRows, trainModel } from "../../workers/ai/router/train.ts";
import type { TrainOptions, TrainRow } from "../../workers/ai/router/train.ts";
import { evaluateRouter } from "./evaluate.ts";
import type { EvalRow } from "./evaluate.ts";

const args = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
const num = (name: string, fallback: number): number => {
  const v = flag(name);
  return v === undefined ? fallback : Number(v);
};

const file = flag("train") ?? fileURLToPath(new URL("../../workers/ai/router/data/train.csv", import.meta.url));
const folds = num("folds", 5);
const opts: TrainOptions = {
  ...DEFAULT_TRAIN_OPTIONS,
  bits: num("bits", DEFAULT_TRAIN_OPTIONS.bits),
  epochs: num("epochs", DEFAULT_TRAIN_OPTIONS.epochs),
  learningRate: num("lr", DEFAULT_TRAIN_OPTIONS.learningRate),
  l2: num("l2", DEFAULT_TRAIN_OPTIONS.l2),
  seed: num("seed", DEFAULT_TRAIN_OPTIONS.seed),
  seeds: num("seeds", 1),
  average: flag("average") === undefined ? DEFAULT_TRAIN_OPTIONS.average : flag("average") === "on",
  balanced: flag("balanced") === undefined ? DEFAULT_TRAIN_OPTIONS.balanced : flag("balanced") === "on",
  features: {
    charMin: num("char-min", DEFAULT_TRAIN_OPTIONS.features.charMin),
    charMax: num("char-max", DEFAULT_TRAIN_OPTIONS.features.charMax),
    bigrams: flag("bigrams") === undefined ? DEFAULT_TRAIN_OPTIONS.features.bigrams : flag("bigrams") === "on",
    prefix: num("prefix", DEFAULT_TRAIN_OPTIONS.features.prefix),
    cross: num("cross", DEFAULT_TRAIN_OPTIONS.features.cross),
    hebrewPrefixes: flag("he-prefixes") === "on",
  },
};

const rows = toTrainRows(parseCsvRecords(readFileSync(file, "utf8")));

/** Letters and digits only, lower-cased: what survives every kind of noisy variant. */
const core = (t: string): string => tokenize(normalizeText(t)).join(" ");

/** Whether `b` is the noisy variant build-data.ts made of `a` (same label, row after). */
function isVariant(a: TrainRow, b: TrainRow): boolean {
  if (a.label !== b.label) return false;
  const ca = core(a.text);
  const cb = core(b.text);
  if (ca === cb || cb.startsWith(ca) || cb.endsWith(ca)) return true;
  // One swapped letter pair: same length, exactly two differing positions.
  if (ca.length !== cb.length) return false;
  let diff = 0;
  for (let i = 0; i < ca.length && diff <= 2; i++) if (ca[i] !== cb[i]) diff++;
  return diff === 2;
}

interface Group {
  rows: TrainRow[];
  label: CategoryKey;
  language: Language;
  key: string;
}
const groups: Group[] = [];
for (let i = 0; i < rows.length; i++) {
  const r = rows[i];
  if (!r) continue;
  const g: Group = { rows: [r], label: r.label, language: detectLanguage(r.text), key: fingerprint(r.text) };
  const next = rows[i + 1];
  if (next && isVariant(r, next)) {
    g.rows.push(next);
    i++;
  }
  groups.push(g);
}

const foldOf = new Map<Group, number>();
const strata = new Map<string, Group[]>();
for (const g of groups) {
  const k = `${g.label}/${g.language}`;
  strata.set(k, [...(strata.get(k) ?? []), g]);
}
let offset = 0;
for (const [, gs] of [...strata].sort(([a], [b]) => (a < b ? -1 : 1))) {
  gs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Continue the round-robin across strata so small strata do not all start in fold 0.
  gs.forEach((g, i) => foldOf.set(g, (offset + i) % folds));
  offset += gs.length;
}

/** Synthetic two-intent rows from one fold's single sentences (not their variants). */
function pairs(test: Group[]): EvalRow[] {
  const byLang = new Map<Language, Group[]>();
  for (const g of test) byLang.set(g.language, [...(byLang.get(g.language) ?? []), g]);
  const out: EvalRow[] = [];
  for (const [, gs] of byLang) {
    const sorted = [...gs].sort((a, b) => (a.key < b.key ? -1 : 1));
    for (let i = 0; i + 1 < sorted.length && out.length < 400; i += 7) {
      const a = sorted[i];
      const b = sorted.slice(i + 1).find((x) => x.label !== a?.label && x.label !== "other");
      if (!a || !b || a.label === "other") continue;
      const ta = (a.rows[0]?.text ?? "").trim().replace(/[.!?]*$/, "");
      out.push({ text: `${ta}. ${b.rows[0]?.text ?? ""}`, primary: a.label, secondary: [b.label] });
    }
  }
  return out;
}

/** Router settings compared on the same fold models: --clause 0.6,0.8 --secondary 0.35,0.5 */
const list = (name: string): (number | undefined)[] => flag(name)?.split(",").map(Number) ?? [undefined];
const variants = list("clause").flatMap((clauseThreshold) =>
  list("secondary").map((secondaryThreshold) => ({ clauseThreshold, secondaryThreshold })),
);

/** --errors: print the misrouted training rows of the first router setting (train data only). */
const cvErrors: string[] = [];

interface Tally {
  correct: number;
  total: number;
  pairCorrect: number;
  pairTotal: number;
  secFound: number;
  singles: number;
  singlesClean: number;
  perLang: Map<Language, { ok: number; n: number }>;
  hits: Record<CategoryKey, number>;
  support: Record<CategoryKey, number>;
}
const zero = (): Record<CategoryKey, number> =>
  Object.fromEntries(CATEGORY_KEYS.map((k) => [k, 0])) as Record<CategoryKey, number>;
const tallies: Tally[] = variants.map(() => ({
  correct: 0,
  total: 0,
  pairCorrect: 0,
  pairTotal: 0,
  secFound: 0,
  singles: 0,
  singlesClean: 0,
  perLang: new Map(),
  hits: zero(),
  support: zero(),
}));

const started = performance.now();
for (let f = 0; f < folds; f++) {
  const trainRows = groups.filter((g) => foldOf.get(g) !== f).flatMap((g) => g.rows);
  const test = groups.filter((g) => foldOf.get(g) === f);
  const model = loadModel(trainModel(trainRows, opts));
  const testPairs = pairs(test);
  variants.forEach((v, vi) => {
    const t = tallies[vi];
    if (!t) return;
    const route = (text: string) => routeMessage(text, { model, ...v });
    for (const g of test) {
      g.rows.forEach((r, ri) => {
        const res = route(r.text);
        const ok = res.primary === r.label;
        t.total++;
        t.support[r.label]++;
        if (ok) {
          t.correct++;
          t.hits[r.label]++;
        } else if (vi === 0) cvErrors.push(`${r.label} → ${res.primary}  ${r.text}`);
        const l = t.perLang.get(g.language) ?? { ok: 0, n: 0 };
        l.n++;
        if (ok) l.ok++;
        t.perLang.set(g.language, l);
        // Spurious second intents, counted on the original sentence of each group.
        if (ri === 0) {
          t.singles++;
          if (res.secondary.length === 0) t.singlesClean++;
        }
      });
    }
    const pr = evaluateRouter(testPairs, route);
    t.pairTotal += pr.rows;
    t.pairCorrect += Math.round(pr.accuracy * pr.rows);
    t.secFound += pr.secondaryRecall * pr.rows;
  });
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const results = variants.map((v, vi) => {
  const t = tallies[vi] ?? tallies[0];
  if (!t) throw new Error("no variants");
  return {
    route: v,
    accuracy: t.correct / t.total,
    perLanguage: Object.fromEntries([...t.perLang].map(([k, x]) => [k, x.ok / x.n])),
    recall: Object.fromEntries(CATEGORY_KEYS.map((k) => [k, t.hits[k] / Math.max(1, t.support[k])])),
    pairs: { rows: t.pairTotal, primary: t.pairCorrect / t.pairTotal, secondaryRecall: t.secFound / t.pairTotal },
    singleWithoutSpuriousSecondary: t.singlesClean / t.singles,
  };
});
const seconds = (performance.now() - started) / 1000;
if (args.includes("--json")) console.log(JSON.stringify({ options: opts, folds, rows: rows.length, seconds, results }));
else {
  console.log(`${folds}-fold CV on ${file}: ${rows.length} rows in ${groups.length} groups`);
  console.log(`options ${JSON.stringify(opts)}`);
  for (const r of results) {
    console.log(`\nrouter settings ${JSON.stringify(r.route)}`);
    console.log(`primary accuracy: ${pct(r.accuracy)}`);
    console.log(
      `per language: ${Object.entries(r.perLanguage)
        .map(([k, v]) => `${k} ${pct(v)}`)
        .join(", ")}`,
    );
    console.log(
      `recall: ${Object.entries(r.recall)
        .map(([k, v]) => `${k} ${pct(v)}`)
        .join(", ")}`,
    );
    console.log(
      `synthetic pairs (${r.pairs.rows}): primary ${pct(r.pairs.primary)}, second-intent recall ${pct(r.pairs.secondaryRecall)}`,
    );
    console.log(`single-intent sentences with no spurious secondary: ${pct(r.singleWithoutSpuriousSecondary)}`);
  }
  console.log(`\ntook ${seconds.toFixed(1)} s`);
  if (args.includes("--errors")) console.log(`\nerrors (training rows, held fold):\n${cvErrors.sort().join("\n")}`);
}
