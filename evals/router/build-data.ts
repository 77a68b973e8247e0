/**
 * Builds workers/ai/router/data/{train,heldout}.csv from the hand-written examples in
 * data/authored/ and the public intent datasets vendored in test/fixtures/intents
 * (see data/SOURCES.md and that folder's README). Deterministic: every split and sample is decided by a hash of
 * the text, so re-running gives byte-identical files. Held-out rows never reach train:
 * authored sentences are split before augmentation, dataset rows are sampled disjointly.
 * data/authored/extra/*.txt and extra2/*.txt are train-only additions (they never move the heldout.csv
 * split), and no text of data/heldout-fresh.csv or data/heldout-3.csv (independent test
 * sets) ever goes to train, nor the noisy variant of such a text.
 *
 *   node evals/router/build-data.ts [DATASETS_DIR]
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatCsv, parseCsvRecords } from "../../workers/lib/csv.ts";
import { fingerprint } from "../../workers/ai/router/features.ts";
import { isCategoryKey } from "../../workers/lib/categories.ts";
import type { CategoryKey, Language } from "../../workers/lib/categories.ts";

const DATA = fileURLToPath(new URL("../../workers/ai/router/data/", import.meta.url));
const DATASETS = process.argv[2] ?? fileURLToPath(new URL("../../test/fixtures/intents/", import.meta.url));
const LANGS: Language[] = ["en", "ru", "he", "es", "fr"];
/** Share of each (language, category) group of authored sentences kept for evaluation. */
const HELDOUT_SHARE = 0.18;

interface Row {
  text: string;
  primary: CategoryKey;
  secondary: CategoryKey[];
}

/** Real-dataset intents mapped to our categories, with train/held-out sample sizes. */
const MAPPING: { file: string; intent: string; to: CategoryKey; train: number; held: number }[] = [
  {
    file: "bitext_customer_support_intents.csv",
    intent: "cancel_order",
    to: "cancel_subscription",
    train: 25,
    held: 8,
  },
  { file: "bitext_customer_support_intents.csv", intent: "track_order", to: "shipping_inquiry", train: 15, held: 5 },
  {
    file: "bitext_customer_support_intents.csv",
    intent: "delivery_period",
    to: "shipping_inquiry",
    train: 10,
    held: 3,
  },
  {
    file: "bitext_customer_support_intents.csv",
    intent: "delivery_options",
    to: "shipping_inquiry",
    train: 10,
    held: 3,
  },
  {
    file: "bitext_customer_support_intents.csv",
    intent: "change_shipping_address",
    to: "change_address",
    train: 20,
    held: 6,
  },
  {
    file: "bitext_customer_support_intents.csv",
    intent: "set_up_shipping_address",
    to: "change_address",
    train: 10,
    held: 3,
  },
  { file: "bitext_customer_support_intents.csv", intent: "payment_issue", to: "payment_issue", train: 15, held: 5 },
  { file: "bitext_customer_support_intents.csv", intent: "get_refund", to: "payment_issue", train: 8, held: 3 },
  { file: "bitext_customer_support_intents.csv", intent: "track_refund", to: "payment_issue", train: 8, held: 3 },
  {
    file: "bitext_customer_support_intents.csv",
    intent: "check_refund_policy",
    to: "general_question",
    train: 15,
    held: 5,
  },
  { file: "bitext_customer_support_intents.csv", intent: "complaint", to: "other", train: 10, held: 3 },
  { file: "bitext_customer_support_intents.csv", intent: "contact_human_agent", to: "other", train: 8, held: 3 },
  ...[
    "extra_charge_on_statement",
    "card_payment_fee_charged",
    "card_payment_not_recognised",
    "direct_debit_payment_not_recognised",
    "pending_card_payment",
    "request_refund",
    "Refund_not_showing_up",
    "declined_card_payment",
    "transaction_charged_twice",
    "reverted_card_payment?",
  ].map((intent) => ({
    file: "banking77_test_payment_subset.csv",
    intent,
    to: "payment_issue" as const,
    train: 2,
    held: 1,
  })),
  { file: "clinc150_test_oos_and_related.csv", intent: "oos", to: "other", train: 40, held: 12 },
  { file: "clinc150_test_oos_and_related.csv", intent: "card_declined", to: "payment_issue", train: 5, held: 2 },
  { file: "clinc150_test_oos_and_related.csv", intent: "order_status", to: "shipping_inquiry", train: 5, held: 2 },
];

/** Sort key that is stable across runs and independent of file order. */
const byHash = <T extends { text: string }>(a: T, b: T): number =>
  fingerprint(a.text) < fingerprint(b.text) ? -1 : fingerprint(a.text) > fingerprint(b.text) ? 1 : 0;

/** Independent test sets; their texts are kept out of train (compared lower-cased, trimmed). */
const INDEPENDENT = [`${DATA}heldout-fresh.csv`, `${DATA}heldout-3.csv`];
const normKey = (text: string): string => text.trim().toLowerCase();

function readFreshKeys(): Set<string> {
  return new Set(
    INDEPENDENT.filter((f) => existsSync(f)).flatMap((f) =>
      parseCsvRecords(readFileSync(f, "utf8")).map((r) => normKey(r.text ?? "")),
    ),
  );
}

function readAuthored(file: string): { text: string; primary: CategoryKey }[] {
  const out: { text: string; primary: CategoryKey }[] = [];
  let current: CategoryKey | null = null;
  if (!existsSync(file)) return out;
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("//")) continue;
    if (line.startsWith("#")) {
      const name = line.slice(1).trim();
      current = isCategoryKey(name) ? name : null;
      continue;
    }
    if (current) out.push({ text: line, primary: current });
  }
  return out;
}

function readMulti(): Row[] {
  return readFileSync(`${DATA}authored/multi.txt`, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => {
      const [p = "", s = "", ...rest] = l.split("|");
      if (!isCategoryKey(p) || !isCategoryKey(s)) throw new Error(`bad multi line: ${l}`);
      return { text: rest.join("|").trim(), primary: p, secondary: [s] };
    });
}

const GREETING: Record<Language, string[]> = {
  en: ["Hi,", "Hello!", "Good morning,", "hey"],
  ru: ["Здравствуйте,", "Привет!", "Добрый день,"],
  he: ["שלום,", "היי", "בוקר טוב,"],
  es: ["Hola,", "Buenos días,", "Buenas,"],
  fr: ["Bonjour,", "Salut,", "Bonsoir,"],
};
const SIGN_OFF: Record<Language, string[]> = {
  en: ["Thanks, Rachel", "thank you", "Best regards, David Cohen", "Thanks in advance!"],
  ru: ["Спасибо, Ольга", "заранее спасибо", "С уважением, Михаил"],
  he: ["תודה, רחל", "תודה רבה", "בברכה, דוד כהן"],
  es: ["Gracias, Marta", "muchas gracias", "Saludos, Jorge"],
  fr: ["Merci, Sophie", "merci d'avance", "Cordialement, Pierre"],
};

/** One deterministic noisy variant: greeting, sign-off, a typo, or lower-case without punctuation. */
function augment(text: string, lang: Language): string {
  const h = parseInt(fingerprint(text).slice(-6), 16);
  const pick = <T>(xs: T[]): T => xs[h % xs.length] as T;
  switch (h % 4) {
    case 0:
      return `${pick(GREETING[lang])} ${text}`;
    case 1:
      return `${text} ${pick(SIGN_OFF[lang])}`;
    case 2: {
      const words = text.split(" ");
      const w = h % words.length;
      const word = words[w] ?? "";
      if (word.length > 3) {
        const k = 1 + (h % (word.length - 2));
        words[w] = word.slice(0, k) + (word[k + 1] ?? "") + (word[k] ?? "") + word.slice(k + 2);
      }
      return words.join(" ");
    }
    default:
      return text
        .toLowerCase()
        .replace(/[.,!?¿¡;:]/g, "")
        .trim();
  }
}

function main(): void {
  const train: Row[] = [];
  const held: Row[] = [];
  const seen = new Set<string>();
  const fresh = readFreshKeys();
  let keptOut = 0;
  const push = (to: Row[], r: Row): void => {
    const key = r.text.toLowerCase();
    if (seen.has(key)) return;
    if (to === train && fresh.has(normKey(r.text))) {
      keptOut++;
      return;
    }
    seen.add(key);
    to.push(r);
  };
  /** A sentence and its noisy variant, unless the sentence is in an independent test set. */
  const pushTrainAuthored = (row: Row, lang: Language): void => {
    if (fresh.has(normKey(row.text))) {
      keptOut++;
      return;
    }
    push(train, row);
    push(train, { ...row, text: augment(row.text, lang) });
  };

  for (const lang of LANGS) {
    const rows = readAuthored(`${DATA}authored/${lang}.txt`);
    const groups = new Map<CategoryKey, { text: string; primary: CategoryKey }[]>();
    for (const r of rows) groups.set(r.primary, [...(groups.get(r.primary) ?? []), r]);
    for (const [, group] of groups) {
      const sorted = [...group].sort(byHash);
      const nHeld = Math.round(sorted.length * HELDOUT_SHARE);
      sorted.forEach((r, i) => {
        const row: Row = { text: r.text, primary: r.primary, secondary: [] };
        if (i < nHeld) push(held, row);
        else pushTrainAuthored(row, lang);
      });
    }
  }

  const files = new Map<string, Record<string, string>[]>();
  for (const m of MAPPING) {
    if (!files.has(m.file)) files.set(m.file, parseCsvRecords(readFileSync(`${DATASETS}/${m.file}`, "utf8")));
    const rows = (files.get(m.file) ?? [])
      .filter((r) => r.intent === m.intent)
      .map((r) => ({ text: (r.utterance ?? "").trim() }))
      .filter((r) => r.text !== "")
      .sort(byHash);
    rows.slice(0, m.train).forEach((r) => push(train, { text: r.text, primary: m.to, secondary: [] }));
    rows.slice(m.train, m.train + m.held).forEach((r) => push(held, { text: r.text, primary: m.to, secondary: [] }));
  }

  for (const r of readMulti()) push(held, r);

  // Train-only additions, read last so they can never change what heldout.csv contains.
  for (const dir of ["extra", "extra2"]) {
    for (const lang of LANGS) {
      for (const r of readAuthored(`${DATA}authored/${dir}/${lang}.txt`)) {
        pushTrainAuthored({ text: r.text, primary: r.primary, secondary: [] }, lang);
      }
    }
  }

  const toCsv = (rows: Row[]): string =>
    formatCsv([["text", "primary", "secondary"], ...rows.map((r) => [r.text, r.primary, r.secondary.join("|")])]);
  writeFileSync(`${DATA}train.csv`, toCsv(train));
  writeFileSync(`${DATA}heldout.csv`, toCsv(held));
  console.log(
    `train.csv: ${train.length} rows, heldout.csv: ${held.length} rows` +
      ` (${keptOut} rows kept out of train because they are in an independent test set)`,
  );
}

main();
