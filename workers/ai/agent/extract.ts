/**
 * "Answer the question, not the page" (issue 18, answers 1): out of the retrieved passages
 * pick the table row, list item or sentence that answers, and render it for chat (a row
 * with its column names, no Markdown, nothing cut mid-row). Units are scored by the
 * support concepts they share with the question (the knowledge lexicon maps "доставка",
 * "envío" and "delivery" to one concept, so this works across the five languages), by
 * shared word stems, and most of all by the discriminating concepts — a country, a plan,
 * a payment method — because "delivery to Canada" is answered by the Canada row, not by
 * the row that says "delivery" loudest. Units in the customer's language are preferred;
 * an English customer never gets a unit in another language.
 */
import { conceptsOf } from "../../knowledge/embed/local.ts";
import { isStopWord, stem, wordTokens } from "../../knowledge/embed/text.ts";
import type { RetrievedPassage } from "../../knowledge/types.ts";
import { detectLanguage } from "../router/language.ts";

export interface AnswerUnit {
  kind: "row" | "item" | "sentence";
  /** Chat-ready text: no Markdown, table rows with their column names. */
  text: string;
  /** Text used for matching (row cells, heading context excluded). */
  match: string;
  passage: RetrievedPassage;
  order: number;
}

export interface Extracted {
  units: AnswerUnit[];
  /** Share of the question's concepts and content stems the answer covers, in [0, 1]. */
  coverage: number;
  passage: RetrievedPassage;
}

/**
 * Concepts that single out one thing among siblings (a region, a plan, a method): a unit
 * that misses one the question names is not the answer, however much else it shares.
 */
const DISCRIMINATING = new Set([
  "usa",
  "canada",
  "uk",
  "europe",
  "australia",
  "rest_of_world",
  "israel",
  "express",
  "kosher",
  "allergen",
  "vegan",
  "gift",
  "prepaid",
  "po_box",
  "customs",
  "reactivate",
  "lost_box",
  "duplicate",
]);

// A span of time in the five languages: "10–18 business days", "1, 2 or 3 months", "8 à 14 jours ouvrés",
// "10–18 ימי עסקים", "от 3 до 7 рабочих дней". One free word may sit between the number and the unit.
const TIME_UNIT =
  "(?:hours?|days?|weeks?|months?|час\\p{L}*|дн\\p{L}*|день|недел\\p{L}*|месяц\\p{L}*|ימי|ימים|יום|שעות|שעה|שבוע\\p{L}*|חודש\\p{L}*|horas?|d[ií]as?|semanas?|mes(?:es)?|heures?|jours?|semaines?|mois)";
const SPAN = `\\d+(?:\\s?(?:[–-]|to|à|a|до|עד)\\s?\\d+)?\\s*(?:\\p{L}+\\s+)?${TIME_UNIT}(?![\\p{L}])`;
// "a reminder 5 days before the billing date" names a moment, not how long something lasts.
const POINT_IN_TIME = new RegExp(
  `${SPAN}\\s*(?:before|prior|after|ago|до|после|назад|לפני|אחרי|antes|despu[eé]s|avant|apr[eè]s)(?![\\p{L}])`,
  "giu",
);
const DURATION = new RegExp(SPAN, "iu");

/**
 * Does the text state how long something takes or lasts? A "how long" question is answered
 * by such a unit: the lexicon's duration words ("days", "wait") alone say nothing about it.
 */
export function statesDuration(text: string): boolean {
  return DURATION.test(text.replace(POINT_IN_TIME, " "));
}

/** Markdown emphasis, code and links as plain chat text. */
export function plainText(md: string): string {
  return md
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, "$1 ($2)")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/(?<![\p{L}\p{N}])\*([^*\n]+)\*(?![\p{L}\p{N}])/gu, "$1")
    .replace(/__([^_]+)__/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^#+\s*/gm, "")
    .replace(/[ \t]+/g, " ")
    .trim();
}

const cellsOf = (line: string): string[] =>
  line
    .replace(/^\s*\|/, "")
    .replace(/\|\s*$/, "")
    .split("|")
    .map((c) => plainText(c.trim()));

/** The answerable units of one passage, in reading order. */
export function unitsOf(passage: RetrievedPassage): AnswerUnit[] {
  const units: AnswerUnit[] = [];
  let header: string[] | null = null;
  let order = 0;
  for (const raw of passage.text.split("\n")) {
    const line = raw.trim();
    if (!line) {
      header = null;
      continue;
    }
    if (line.includes("|") && line.split("|").length >= 3) {
      if (/^\|?\s*:?-{2,}/.test(line)) continue;
      const cells = cellsOf(line);
      if (!header) {
        header = cells;
        continue;
      }
      const cols = header;
      const text =
        `${cells[0] ?? ""}: ` +
        cells
          .slice(1)
          .map((c, i) => `${cols[i + 1] ?? ""} — ${c}`.trim())
          .join("; ");
      units.push({ kind: "row", text, match: `${cells.join(" ")} ${cols.join(" ")}`, passage, order: order++ });
      continue;
    }
    header = null;
    const item = /^(?:[-*•]|\d+[.)])\s+(.*)$/.exec(line);
    if (item?.[1]) {
      const text = plainText(item[1]).replace(/[;,]$/, ".");
      units.push({ kind: "item", text, match: text, passage, order: order++ });
      continue;
    }
    for (const sentence of plainText(line).split(/(?<=[.!?])\s+(?=[\p{Lu}"«(¿¡\d])/u)) {
      if (sentence.length < 3) continue;
      units.push({ kind: "sentence", text: sentence, match: sentence, passage, order: order++ });
    }
  }
  return units;
}

interface Terms {
  concepts: Set<string>;
  stems: Set<string>;
}

/** Question words and fillers of the five languages that say nothing about the topic. */
const QUESTION_WORDS = new Set(
  "how long much many does take can could would please hello сколько идет идёт можно ли какой какая какие есть כמה זמן לוקח האם אפשר יש מה איך cuánto cuanto tarda puedo hay qué que cómo combien temps prend est-ce quel quelle puis-je".split(
    " ",
  ),
);
// Hebrew glues prepositions and the article to the word ("לארצות" = "to" + "ארצות").
const HE_PREFIX = /^[ובלהמשכ](?=[\u05d0-\u05ea]{3,})/u;

function termsOf(text: string): Terms {
  const tokens = wordTokens(text).flatMap((t) => (HE_PREFIX.test(t) ? [t, t.replace(HE_PREFIX, "")] : [t]));
  const stems = tokens.map(stem);
  return {
    concepts: new Set(conceptsOf(stems)),
    stems: new Set(tokens.filter((t) => !isStopWord(t) && !QUESTION_WORDS.has(t) && t.length > 2).map(stem)),
  };
}

/** What matching needs of one passage, independent of the question. */
interface PassageAnalysis {
  /** Language of the passage's text (by script, then stop words); every unit shares it. */
  language: string;
  heading: Terms;
  units: Array<{ unit: Omit<AnswerUnit, "passage">; terms: Terms; duration: boolean }>;
}

/**
 * Analyses of passages seen recently, keyed by heading and text. Knowledge chunks come back
 * turn after turn, and tokenising, stemming and language detection of every unit of eight
 * passages was the largest CPU step before a knowledge answer's first token (issue 17's
 * profile). Bounded: cleared when full (a knowledge base larger than this is re-analysed).
 * The sets are shared between turns and must never be changed by a reader.
 */
const ANALYSES_MAX = 2000;
const analyses = new Map<string, PassageAnalysis>();

function analyse(p: RetrievedPassage): PassageAnalysis {
  const key = `${p.heading.join("\u0001")}\u0000${p.text}`;
  const hit = analyses.get(key);
  if (hit) return hit;
  const analysis: PassageAnalysis = {
    language: detectLanguage(p.text.slice(0, 400)),
    heading: termsOf(p.heading.join(" ")),
    units: unitsOf(p).map(({ passage: _passage, ...unit }) => ({
      unit,
      terms: termsOf(unit.match),
      duration: statesDuration(unit.match),
    })),
  };
  if (analyses.size >= ANALYSES_MAX) analyses.clear();
  analyses.set(key, analysis);
  return analysis;
}

/**
 * The best answer units for a question, or null when none covers enough of it.
 * `minCoverage` is the share of question terms a unit (with its heading) must cover.
 */
export function extractAnswer(
  question: string,
  passages: RetrievedPassage[],
  lang: string,
  minCoverage = 0.5,
  context: string | null = null,
): Extracted | null {
  const q = termsOf(question);
  if (context) {
    // A follow-up keeps the previous question's terms, except the entity it replaces.
    const prev = termsOf(context);
    const replaces = [...q.concepts].some((c) => DISCRIMINATING.has(c));
    for (const c of prev.concepts) if (!(replaces && DISCRIMINATING.has(c))) q.concepts.add(c);
    for (const s of prev.stems) {
      if (replaces && [...termsOf(s).concepts].some((c) => DISCRIMINATING.has(c))) continue;
      q.stems.add(s);
    }
  }
  const total = q.concepts.size + q.stems.size;
  if (total === 0) return null;
  const wantedDiscriminating = [...q.concepts].filter((c) => DISCRIMINATING.has(c));
  let best: { unit: AnswerUnit; score: number; coverage: number } | null = null;
  const wantsDuration = q.concepts.has("duration");
  for (const p of passages) {
    const { language: ul, heading, units } = analyse(p);
    // English is the knowledge base's own language; any other must be the customer's.
    if (ul !== lang && ul !== "en") continue;
    for (const a of units) {
      const unit: AnswerUnit = { ...a.unit, passage: p };
      if (unit.kind === "sentence" && /^this (?:page|section|guide)\b/i.test(unit.text)) continue;
      // For a "how long" question, a unit has the duration concept exactly when it states a span of time.
      const duration = wantsDuration && a.duration;
      const has = (c: string): boolean => (c === "duration" && wantsDuration ? duration : a.terms.concepts.has(c));
      if (wantedDiscriminating.some((c) => !has(c))) continue;
      let concepts = 0;
      for (const c of q.concepts) if (has(c) || heading.concepts.has(c)) concepts++;
      let stems = 0;
      for (const s of q.stems) if (a.terms.stems.has(s) || heading.stems.has(s)) stems++;
      const own = [...q.concepts].filter(has).length;
      const coverage = (concepts + stems) / total;
      // Terms in the unit itself weigh more than terms only in its heading.
      // A price question is answered by a unit with an amount in it, a "how long" question by one with a span of time.
      const amount = q.concepts.has("price") && /[$€₪]\s?\d|\d\s?[$€₪]/u.test(unit.match) ? 0.2 : 0;
      const score =
        coverage +
        0.15 * own +
        (ul === lang ? 0.3 : 0) +
        (unit.kind === "row" ? 0.05 : 0) +
        amount +
        (duration ? 0.2 : 0);
      if (!best || score > best.score) best = { unit, score, coverage };
    }
  }
  if (!best || best.coverage < minCoverage) return null;
  const chosen = best.unit;
  // "What plans do you offer?" names no single row: the whole table answers.
  if (chosen.kind === "row" && wantedDiscriminating.length === 0) {
    const rows = unitsOf(chosen.passage).filter((u) => u.kind === "row");
    if (rows.length > 1 && rows.length <= 8) return { units: rows, coverage: best.coverage, passage: chosen.passage };
  }
  const units = [chosen];
  // A short sentence rarely stands alone ("While paused, nothing is charged."): add the next one.
  if (chosen.kind === "sentence" && chosen.text.length < 90) {
    const next = unitsOf(chosen.passage).find((u) => u.order === chosen.order + 1 && u.kind === "sentence");
    if (next) units.push(next);
  }
  return { units, coverage: best.coverage, passage: chosen.passage };
}

/** Chat text of extracted units: rows and items as bullet lines, sentences as a paragraph. */
export function renderUnits(units: AnswerUnit[]): string {
  if (units.every((u) => u.kind === "sentence")) return units.map((u) => u.text).join(" ");
  return units.map((u) => (u.kind === "sentence" ? u.text : `• ${u.text}`)).join("\n");
}
