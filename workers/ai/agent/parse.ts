/**
 * Small extractors the local agent uses to turn a customer's words into tool
 * arguments: a pause end date, a delivery frequency, a postal address. They return null
 * rather than guess; the agent then asks. Five languages for the words that matter.
 */
import type { Frequency } from "../../commerce/types.ts";
import { conceptsOf } from "../../knowledge/embed/local.ts";
import { stem, wordTokens } from "../../knowledge/embed/text.ts";

const MONTHS: Array<[RegExp, number]> = [
  [/\b(jan(uary)?|январ\S*|enero|janvier|ינואר)/iu, 0],
  [/\b(feb(ruary)?|феврал\S*|febrero|f[ée]vrier|פברואר)/iu, 1],
  [/\b(mar(ch)?|март\S*|marzo|mars|מרץ)\b/iu, 2],
  [/\b(apr(il)?|апрел\S*|abril|avril|אפריל)/iu, 3],
  [/\b(may|ма[йяе]\b|mayo|mai\b|מאי)/iu, 4],
  [/\b(june?|июн\S*|junio|juin|יוני)/iu, 5],
  [/\b(july?|июл\S*|julio|juillet|יולי)/iu, 6],
  [/\b(aug(ust)?|август\S*|agosto|ao[uû]t|אוגוסט)/iu, 7],
  [/\b(sep(t(ember)?)?|сентябр\S*|septiembre|septembre|ספטמבר)/iu, 8],
  [/\b(oct(ober)?|октябр\S*|octubre|octobre|אוקטובר)/iu, 9],
  [/\b(nov(ember)?|ноябр\S*|noviembre|novembre|נובמבר)/iu, 10],
  [/\b(dec(ember)?|декабр\S*|diciembre|d[ée]cembre|דצמבר)/iu, 11],
];

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * End date of a pause: an ISO date, "until March" (the 1st of the next such month),
 * or "for 2 months" / "на 2 месяца" / "por 2 meses" / "pour 2 mois" / "ל-2 חודשים".
 */
export function parsePauseUntil(text: string, now: Date): string | null {
  const isoMatch = /\b(\d{4}-\d{2}-\d{2})\b/.exec(text);
  if (isoMatch?.[1]) return isoMatch[1];
  if (/(?<![\p{L}\d])(?:на месяц|for a month|un mes|un mois|לחודש אחד)(?![\p{L}])/iu.test(text))
    return monthsAhead(now, 1);
  const n =
    /(\d+|one|two|three|a|один|два|три|un|una|dos|tres|deux|trois)\s*(months?|месяц\S*|mes(es)?|mois|חודש\S*)/iu.exec(
      text,
    ) ?? /(חודש|חודשיים|שלושה חודשים)/u.exec(text);
  if (n) {
    const words: Record<string, number> = {
      one: 1,
      a: 1,
      один: 1,
      un: 1,
      una: 1,
      two: 2,
      два: 2,
      dos: 2,
      deux: 2,
      three: 3,
      три: 3,
      tres: 3,
      trois: 3,
      חודש: 1,
      חודשיים: 2,
      "שלושה חודשים": 3,
    };
    const raw = (n[1] ?? "").toLowerCase();
    const count = Number(raw) || words[raw] || 1;
    return iso(
      new Date(
        Date.UTC(
          now.getUTCFullYear(),
          now.getUTCMonth() + Math.min(Math.max(count, 1), 6),
          Math.min(now.getUTCDate(), 28),
        ),
      ),
    );
  }
  for (const [re, month] of MONTHS) {
    if (!re.test(text)) continue;
    const year = month > now.getUTCMonth() ? now.getUTCFullYear() : now.getUTCFullYear() + 1;
    return iso(new Date(Date.UTC(year, month, 1)));
  }
  return null;
}

/** A delivery frequency named in any of the five languages. */
export function parseFrequency(text: string): Frequency | null {
  const s = text.toLowerCase();
  if (/quarter|every (three|3) months|квартал|раз в (три|3) месяц|trimestr|כל שלושה חודשים|רבעונ/u.test(s))
    return "quarterly";
  if (
    /bi-?monthly|every (two|2|other) months?|every second month|раз в (два|2) месяц|cada dos meses|tous les deux mois|כל חודשיים/u.test(
      s,
    )
  )
    return "bimonthly";
  if (/monthly|every month|ежемесячн|раз в месяц|mensual|mensuel|כל חודש|חודשי/u.test(s)) return "monthly";
  return null;
}

export { parseAddress } from "./address.ts";

/** "yes / ok / sure" style acceptance in five languages. */
export function isAcceptance(text: string): boolean {
  return /^\s*(yes|yeah|yep|ok(ay)?|sure|deal|sounds good|да|хорошо|ладно|sí|si|vale|claro|oui|d'accord|כן|בסדר)\b/iu.test(
    text,
  );
}

/** The customer mentions pausing rather than cancelling. */
export function mentionsPause(text: string): boolean {
  return /paus|on hold|пауз|приостанов|השה|הקפא|pausa|suspend/iu.test(text);
}

/**
 * The message is about a box that has not arrived yet ("hasn't arrived", "still waiting",
 * "задержка") and reports nothing damaged or missing: a question for tracking, not a claim.
 */
export function onlyNotArrived(text: string): boolean {
  const concepts = new Set(conceptsOf(wordTokens(text).map(stem)));
  return concepts.has("delay") && !concepts.has("damaged") && !concepts.has("missing");
}

/** Refunds and double charges are a human's decision (category rules). */
export function mentionsRefundOrDoubleCharge(text: string): boolean {
  return /refund|double|twice|two charges|charged two|возврат|дважды|два раза|reembolso|dos veces|rembourse|deux fois|החזר|פעמיים/iu.test(
    text,
  );
}

function monthsAhead(now: Date, count: number): string {
  return iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + count, Math.min(now.getUTCDate(), 28))));
}
