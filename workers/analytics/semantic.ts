/**
 * The embedded engine's semantic parser: a question in English or Russian → an
 * `AnalyticsQuery` over the metric catalogue, or an honest "not understood" listing what
 * it did understand and the closest metrics. Deterministic and fast (well under a
 * millisecond per question): regular expressions from lexicon.ts over normalised text.
 *
 * Hand-written rather than a library: no maintained NL-to-query library covers Russian
 * and English over a custom metric catalogue offline; the LLM path covers the rest.
 *
 * Follow-ups: a question without its own metric refines the thread's previous query
 * ("and last month?", "а по категориям?", "only telegram").
 */
import { METRICS, METRICS_BY_KEY, DIMENSIONS_BY_KEY } from "./catalogue.ts";
import { DIMENSION_RULES, FORBIDDEN, METRIC_RULES, MONTHS, NUMBER_WORDS, VALUE_RULES } from "./lexicon.ts";
import type { AnalyticsQuery, Filter, TimeWindow } from "./query.ts";

export type Lang = "en" | "ru";

/** Extra phrases from approved learnings and workspace overrides (layers 2 and 5). */
export interface LearnedPhrase {
  phrase: string;
  metric?: string;
  dimension?: string;
}

export interface Understanding {
  lang: Lang;
  query: AnalyticsQuery | null;
  /** What was recognised, for the answer and for refusals. */
  understood: string[];
  /** Why there is no query (when `query` is null). */
  problem: string | null;
  /** A forbidden request (personal data, secrets, writes, other workspaces). */
  forbidden: boolean;
  followUp: boolean;
  /** Closest metric keys when nothing matched. */
  closest: string[];
  usedLearning: boolean;
}

export function detectLang(text: string): Lang {
  return /[а-яё]/i.test(text) ? "ru" : "en";
}

export function normalise(text: string): string {
  const s = text
    .toLowerCase()
    .replaceAll("ё", "е")
    .replace(/[^\p{L}\p{N}%\s-]+/gu, " ")
    .replace(/(\p{L})-(\p{L})/gu, "$1 $2")
    .replace(/\s+/g, " ")
    .trim();
  return ` ${s} `;
}

const GROUP_CUE =
  /\b(by|per|each|every|which|what|across|top|bottom|for each|breakdown|split|among)\b| по |кажд\p{L}*|как\p{L}*|разбивк\p{L}*|среди|топ|\d+/u;
const FOLLOW_UP_CUE =
  /^\s*(and|what about|how about|now|only|same|then|а|и|теперь|только|то же|тоже|ну а|а если)(?!\p{L})/u;

const NUM = "(\\d+|[a-zа-я]+)";

function number(word: string | undefined): number | null {
  if (!word) return null;
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBER_WORDS[word] ?? null;
}

function parseWindow(s: string, now: Date): { window: TimeWindow; text: string } | null {
  const rel = new RegExp(
    `(last|past|previous|recent|over the last|в последн\\p{L}*|за последн\\p{L}*|последн\\p{L}*|за)\\s+${NUM}\\s+(hours?|days?|weeks?|months?|years?|час\\p{L}*|дн\\p{L}*|день|недел\\p{L}*|месяц\\p{L}*|год\\p{L}*|лет)`,
    "u",
  ).exec(s);
  if (rel) {
    const n = number(rel[2]);
    const unit = rel[3] ?? "";
    if (n !== null) {
      if (/^(hour|час)/u.test(unit)) return { window: { kind: "hours", n }, text: rel[0].trim() };
      if (/^(day|дн|день)/u.test(unit)) return { window: { kind: "days", n }, text: rel[0].trim() };
      if (/^(week|недел)/u.test(unit)) return { window: { kind: "days", n: n * 7 }, text: rel[0].trim() };
      if (/^(month|месяц)/u.test(unit)) return { window: { kind: "months", n }, text: rel[0].trim() };
      return { window: { kind: "months", n: n * 12 }, text: rel[0].trim() };
    }
  }
  const rules: Array<[RegExp, TimeWindow]> = [
    [/\btoday\b|сегодня|за день /u, { kind: "today" }],
    [/\byesterday\b|вчера/u, { kind: "yesterday" }],
    [/\b(past|last) 24 hours\b|за сутки|последние сутки/u, { kind: "hours", n: 24 }],
    [/\bthis week\b|\bcurrent week\b|эт\p{L}* недел\p{L}*|текущ\p{L}* недел\p{L}*/u, { kind: "this_week" }],
    [/(за|на)? ?последн\p{L}* недел\p{L}*|\bpast week\b/u, { kind: "days", n: 7 }],
    [/\b(last|previous) week\b|прошл\p{L}* недел\p{L}*/u, { kind: "last_week" }],
    [/\bthis month\b|\bcurrent month\b|эт\p{L}* месяц\p{L}*|текущ\p{L}* месяц\p{L}*/u, { kind: "this_month" }],
    [/(за)? ?последн\p{L}* месяц |\bpast month\b/u, { kind: "days", n: 30 }],
    [/\b(last|previous) month\b|прошл\p{L}* месяц\p{L}*/u, { kind: "last_month" }],
    [/half a year|six months|полгода|пол года|полугоди\p{L}*/u, { kind: "months", n: 6 }],
    [/\bthis year\b|эт\p{L}* год\p{L}*|текущ\p{L}* год\p{L}*/u, { kind: "this_year" }],
    [/\b(last|past) year\b|за год |прошл\p{L}* год\p{L}*/u, { kind: "months", n: 12 }],
  ];
  for (const [re, window] of rules) {
    const m = re.exec(s);
    if (m) return { window, text: m[0].trim() };
  }
  for (const [re, month] of MONTHS) {
    const m = re.exec(s);
    if (!m) continue;
    const year = /\b(20\d\d)\b/.exec(s);
    const y = year ? Number(year[1]) : month <= now.getUTCMonth() + 1 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    return { window: { kind: "month_of", month: `${y}-${String(month).padStart(2, "0")}` }, text: m[0].trim() };
  }
  return null;
}

function parseRanking(
  s: string,
  higherIsBetter: boolean,
  timeMetric: boolean,
): { order: "asc" | "desc"; limit: number | null } | null {
  const top = new RegExp(
    `\\b(top|first|highest|largest|biggest)\\s*${NUM}(?![\\p{L}\\p{N}])|топ\\s*-?\\s*${NUM}(?![\\p{L}\\p{N}])`,
    "u",
  ).exec(s);
  const topN = number(top?.[2] ?? top?.[3]);
  if (top && topN) return { order: "desc", limit: topN };
  const bottom = new RegExp(
    `\\b(bottom|lowest|worst)\\s*${NUM}(?![\\p{L}\\p{N}])|худши\\p{L}*\\s+${NUM}(?![\\p{L}\\p{N}])`,
    "u",
  ).exec(s);
  const bottomN = number(bottom?.[2] ?? bottom?.[3]);
  if (bottom && bottomN) return { order: "asc", limit: bottomN };
  const which = new RegExp(
    `\\b(which|what)\\s+${NUM}(?![\\p{L}\\p{N}])| каки\\p{L}*\\s+${NUM}(?![\\p{L}\\p{N}])`,
    "u",
  ).exec(s);
  const whichN = number(which?.[2] ?? which?.[3]);

  const desc =
    /\b(highest|most|largest|biggest|maximum|max|top|greatest|most common|busiest)\b|больше всего|наибольш\p{L}*|максимал\p{L}*|сам\p{L}* (высок\p{L}*|больш\p{L}*|част\p{L}*|загружен\p{L}*)/u;
  const asc =
    /\b(lowest|least|fewest|smallest|minimum|min)\b|меньше всего|наименьш\p{L}*|минимал\p{L}*|сам\p{L}* (низк\p{L}*|мал\p{L}*|редк\p{L}*)/u;
  const best = /\b(best|better)\b|лучш\p{L}*/u;
  const worst = /\b(worst|worse)\b|худш\p{L}*/u;
  const slow = /\b(slowest|longest|slow)\b|сам\p{L}* (медленн\p{L}*|долг\p{L}*)|дольше/u;
  const fast = /\b(fastest|quickest|shortest)\b|сам\p{L}* быстр\p{L}*|быстрее всего/u;
  let order: "asc" | "desc" | null = null;
  if (timeMetric && slow.test(s)) order = "desc";
  else if (timeMetric && fast.test(s)) order = "asc";
  else if (best.test(s)) order = higherIsBetter ? "desc" : "asc";
  else if (worst.test(s)) order = higherIsBetter ? "asc" : "desc";
  else if (asc.test(s)) order = "asc";
  else if (desc.test(s)) order = "desc";
  if (!order) return null;
  return { order, limit: whichN };
}

interface DimHit {
  key: string;
  index: number;
  plural: boolean;
}

function findDimensions(s: string, metric: string | null): DimHit[] {
  const hits: DimHit[] = [];
  for (const rule of DIMENSION_RULES) {
    const re = new RegExp(rule.re.source, "gu");
    for (const m of s.matchAll(re)) {
      const idx = m.index ?? 0;
      const grain = ["day", "week", "month", "hour", "weekday"].includes(rule.dimension);
      const before = s.slice(Math.max(0, idx - 28), idx);
      if (!grain && !GROUP_CUE.test(before)) continue;
      let key = rule.dimension;
      if (key === "status" && metric === "actions") key = "action_status";
      if (key === "weekday" && hits.some((h) => h.key === "day"))
        hits.splice(
          hits.findIndex((h) => h.key === "day"),
          1,
        );
      if (key === "day" && hits.some((h) => h.key === "weekday")) continue;
      if (hits.some((h) => h.key === key)) continue;
      const word = m[0].trim();
      hits.push({ key, index: idx, plural: /(s|ies|и|ы|ам|ях)$/u.test(word) });
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}

function findFilters(s: string, metric: string | null, groupBy: Set<string>): Filter[] {
  const out = new Map<string, string[]>();
  for (const r of VALUE_RULES) {
    if (groupBy.has(r.dimension)) continue;
    if (r.dimension === "action_status" && metric !== "actions") continue;
    if (
      metric === "actions" &&
      r.dimension === "category" &&
      r.value === "cancel_subscription" &&
      /cancel+ed|отменен/u.test(s)
    )
      continue;
    if (!r.re.test(s)) continue;
    const vals = out.get(r.dimension) ?? [];
    if (!vals.includes(r.value)) vals.push(r.value);
    out.set(r.dimension, vals);
  }
  return [...out.entries()].map(([dimension, values]) => ({ dimension, values }));
}

function closestMetrics(s: string): string[] {
  const words = new Set(s.split(" ").filter((w) => w.length > 3));
  const scored = METRICS.map((m) => {
    const text = `${m.label.en} ${m.label.ru} ${m.description}`.toLowerCase();
    let score = 0;
    for (const w of words) if (text.includes(w.slice(0, 5))) score++;
    return { key: m.key, score };
  }).sort((a, b) => b.score - a.score);
  const best = scored.filter((x) => x.score > 0).slice(0, 3);
  return (best.length ? best : scored.slice(0, 0))
    .map((x) => x.key)
    .concat(best.length ? [] : ["conversations", "ai_resolution_rate", "csat_average"]);
}

const TIME_METRICS = new Set(["first_response_time", "resolution_time"]);

export function parseQuestion(
  text: string,
  previous: AnalyticsQuery | null,
  learned: LearnedPhrase[] = [],
  now = new Date(),
): Understanding {
  const lang = detectLang(text);
  const s = normalise(text);
  const understood: string[] = [];
  const base = {
    lang,
    understood,
    followUp: false,
    closest: [] as string[],
    usedLearning: false,
  };
  for (const f of FORBIDDEN) {
    if (f.re.test(s)) return { ...base, query: null, problem: f.reason[lang], forbidden: true };
  }

  let metric: string | null = null;
  let usedLearning = false;
  for (const l of learned) {
    const phrase = normalise(l.phrase).trim();
    if (!phrase || !s.includes(` ${phrase} `.replace(/^ | $/g, ""))) continue;
    if (l.metric && METRICS_BY_KEY.has(l.metric) && !metric) {
      metric = l.metric;
      usedLearning = true;
    }
  }
  if (!metric) metric = METRIC_RULES.find((r) => r.re.test(s))?.metric ?? null;

  const windowHit = parseWindow(s, now);
  const dims = findDimensions(s, metric);
  for (const l of learned) {
    if (!l.dimension || !DIMENSIONS_BY_KEY.has(l.dimension)) continue;
    const phrase = normalise(l.phrase).trim();
    if (phrase && s.includes(phrase) && !dims.some((d) => d.key === l.dimension)) {
      dims.push({ key: l.dimension, index: s.indexOf(phrase), plural: false });
      usedLearning = true;
    }
  }
  const isFollowUp = previous !== null && (FOLLOW_UP_CUE.test(s) || (!metric && s.trim().split(" ").length <= 6));

  // A volume question without a noun ("how many by channel last week?") counts conversations.
  if (
    !metric &&
    !isFollowUp &&
    (dims.length || windowHit) &&
    /how many|number of|count|сколько|количеств\p{L}*|число/u.test(s)
  )
    metric = "conversations";

  if (!metric && !isFollowUp) {
    if (windowHit) understood.push(windowHit.text);
    for (const d of dims) understood.push(DIMENSIONS_BY_KEY.get(d.key)?.label[lang] ?? d.key);
    return {
      ...base,
      usedLearning,
      query: null,
      forbidden: false,
      problem: lang === "ru" ? "Не понял, какую метрику посчитать." : "I could not tell which metric to compute.",
      closest: closestMetrics(s),
    };
  }

  const prev = isFollowUp && !metric ? previous : null;
  const metricKey = metric ?? previous?.metric ?? "conversations";
  const m = METRICS_BY_KEY.get(metricKey);
  const dimKeys = dims
    .map((d) => d.key)
    .filter((k) => {
      const d = DIMENSIONS_BY_KEY.get(k);
      return !d?.sources || (m !== undefined && d.sources.includes(m.source));
    });
  const groupBy = new Set(dimKeys.length ? dimKeys : (prev?.dimensions ?? []));
  const filters = findFilters(s, metricKey, groupBy);
  const ranking = parseRanking(s, m?.higherIsBetter ?? true, TIME_METRICS.has(metricKey));

  let query: AnalyticsQuery;
  if (prev) {
    const merged = new Map(prev.filters.map((f) => [f.dimension, f.values]));
    for (const f of filters) merged.set(f.dimension, f.values);
    query = {
      metric: prev.metric,
      dimensions: dimKeys.length ? dimKeys.slice(0, 3) : prev.dimensions,
      filters: [...merged.entries()]
        .filter(([d]) => !(dimKeys.length ? dimKeys : prev.dimensions).includes(d))
        .map(([dimension, values]) => ({ dimension, values })),
      window: windowHit ? windowHit.window : prev.window,
      order: ranking ? ranking.order : dimKeys.length ? null : prev.order,
      limit: ranking ? ranking.limit : dimKeys.length ? null : prev.limit,
    };
  } else {
    query = {
      metric: metricKey,
      dimensions: dimKeys.slice(0, 3),
      filters,
      window: windowHit?.window ?? null,
      order: null,
      limit: null,
    };
    if (ranking && dimKeys.length) {
      query.order = ranking.order;
      const first = dims[0];
      query.limit = ranking.limit ?? (first?.plural ? 3 : 1);
      if (/\b(top|bottom)\b|топ/u.test(s) && ranking.limit === null) query.limit = first?.plural ? 5 : 1;
    }
  }
  // Follow-ups keep "top N" only when asked again; an explicit N always wins.
  if (query.limit !== null && !query.dimensions.length) {
    query.limit = null;
    query.order = null;
  }
  const metricLabel = METRICS_BY_KEY.get(query.metric)?.label[lang] ?? query.metric;
  understood.push(metricLabel);
  for (const d of query.dimensions) understood.push(DIMENSIONS_BY_KEY.get(d)?.label[lang] ?? d);
  for (const f of query.filters) understood.push(`${f.dimension} = ${f.values.join(", ")}`);
  if (windowHit) understood.push(windowHit.text);
  return {
    ...base,
    usedLearning,
    query,
    forbidden: false,
    problem: null,
    followUp: prev !== null,
  };
}
