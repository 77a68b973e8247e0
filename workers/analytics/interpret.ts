/**
 * Turns a result into an answer that interprets rather than restates (issue 15 §2, §6):
 * compares with the previous period or the overall value, names the biggest contributor,
 * flags spikes and outliers, and runs the sanity checks (percentages within 0–100,
 * missing denominators, empty windows, NULL share of the measured column, large joins,
 * truncation). Also picks the chart for the result's shape. Pure; English and Russian.
 */
import type { ChartSpec } from "../protocol/analytics.ts";
import type { Dimension, Metric, Unit } from "./catalogue.ts";
import type { AnalyticsQuery, TimeWindow } from "./query.ts";
import type { Lang } from "./semantic.ts";

const UNIT_TEXT: Record<Unit, { en: string; ru: string }> = {
  count: { en: "", ru: "" },
  percent: { en: " %", ru: " %" },
  minutes: { en: " min", ru: " мин" },
  hours: { en: " h", ru: " ч" },
  usd: { en: " USD", ru: " USD" },
  score: { en: "", ru: "" },
  ratio: { en: "", ru: "" },
};

export function formatValue(v: unknown, unit: Unit, lang: Lang): string {
  if (typeof v !== "number") return v === null || v === undefined ? "—" : String(v);
  let s: string;
  if (unit === "count") s = Math.round(v).toLocaleString("en-US");
  else if (unit === "usd") s = Math.abs(v) < 1 ? v.toPrecision(3) : v.toFixed(2);
  else s = v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
  return s + UNIT_TEXT[unit][lang];
}

export function windowLabel(w: TimeWindow | null, lang: Lang): string {
  if (!w) return lang === "ru" ? "за всё время" : "over all time";
  const n = w.n ?? 1;
  const en: Record<TimeWindow["kind"], string> = {
    today: "today",
    yesterday: "yesterday",
    hours: `in the last ${n} hours`,
    days: `in the last ${n} days`,
    months: `in the last ${n} months`,
    this_week: "this week",
    last_week: "last week",
    this_month: "this month",
    last_month: "last month",
    this_year: "this year",
    month_of: `in ${w.month ?? ""}`,
  };
  const ru: Record<TimeWindow["kind"], string> = {
    today: "сегодня",
    yesterday: "вчера",
    hours: `за последние ${n} ч`,
    days: `за последние ${n} дн.`,
    months: `за последние ${n} мес.`,
    this_week: "на этой неделе",
    last_week: "на прошлой неделе",
    this_month: "в этом месяце",
    last_month: "в прошлом месяце",
    this_year: "в этом году",
    month_of: `в ${w.month ?? ""}`,
  };
  return (lang === "ru" ? ru : en)[w.kind];
}

export function chooseChart(columns: string[], rows: unknown[][], dims: Dimension[], metric: Metric | null): ChartSpec {
  const unit = metric?.unit ?? "count";
  const valueCol = columns.length - 1;
  if (rows.length === 1 && columns.length === 1) return { type: "number", x: null, y: 0, unit };
  const first = rows[0];
  if (!first || columns.length < 2) return { type: "table", x: null, y: null, unit };
  if (dims.length > 1) return { type: "table", x: null, y: null, unit };
  const numeric = typeof first[valueCol] === "number";
  if (!numeric) return { type: "table", x: null, y: null, unit };
  const label = first[0];
  const timeLike = dims[0]?.time === true || (typeof label === "string" && /^\d{4}-\d{2}/.test(label));
  if (timeLike) return { type: "line", x: 0, y: valueCol, unit };
  if (metric?.additive && rows.length <= 6 && rows.every((r) => typeof r[valueCol] === "number" && r[valueCol] >= 0))
    return { type: "pie", x: 0, y: valueCol, unit };
  return { type: "bar", x: 0, y: valueCol, unit };
}

export interface Context {
  /** The metric without dimensions over the same window (for grouped answers). */
  overall?: number | null;
  /** The metric over the previous period (for single values with a window). */
  previous?: number | null;
  /** Share (0–100) of conversations in the window whose measured column is NULL. */
  nullShare?: number | null;
  /** Rows in the joined set before grouping. */
  joinedRows?: number | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function t(lang: Lang, en: string, ru: string): string {
  return lang === "ru" ? ru : en;
}

/** Sanity checks of §6, reported as warnings. */
export function sanityWarnings(
  metric: Metric,
  columns: string[],
  rows: unknown[][],
  ctx: Context,
  lang: Lang,
  truncated: boolean,
): string[] {
  const w: string[] = [];
  const vc = columns.length - 1;
  if (!rows.length)
    w.push(
      t(
        lang,
        "No rows: the time window or the filters may be empty.",
        "Нет строк: период или фильтры, вероятно, пусты.",
      ),
    );
  const values = rows.map((r) => r[vc]);
  if (metric.unit === "percent" && values.some((v) => typeof v === "number" && (v < 0 || v > 100)))
    w.push(
      t(
        lang,
        "A percentage is outside 0–100: check the definition.",
        "Процент вне диапазона 0–100: проверьте определение.",
      ),
    );
  const missing = values.filter((v) => v === null).length;
  if (missing)
    w.push(
      t(
        lang,
        `${missing} row(s) have no value (the denominator is zero or nothing was measured).`,
        `В ${missing} строк(ах) нет значения (знаменатель равен нулю или нечего измерять).`,
      ),
    );
  if (ctx.nullShare !== undefined && ctx.nullShare !== null && ctx.nullShare >= 20)
    w.push(
      t(
        lang,
        `${ctx.nullShare.toFixed(0)} % of conversations in the period have no ${metric.measured ?? "value"}; the figure covers the rest only.`,
        `У ${ctx.nullShare.toFixed(0)} % диалогов за период нет ${metric.measured ?? "значения"}; цифра — только по остальным.`,
      ),
    );
  if (ctx.joinedRows !== undefined && ctx.joinedRows !== null && ctx.joinedRows > 50_000)
    w.push(
      t(
        lang,
        `The join produced ${ctx.joinedRows.toLocaleString("en-US")} rows before grouping; check that it does not double count.`,
        `Соединение дало ${ctx.joinedRows.toLocaleString("en-US")} строк до группировки; проверьте, нет ли двойного счёта.`,
      ),
    );
  if (truncated) w.push(t(lang, "The result was cut at the row cap.", "Результат обрезан по лимиту строк."));
  return w;
}

function change(cur: number, prev: number | null | undefined, unit: Unit, lang: Lang): string {
  if (prev === null || prev === undefined) return "";
  if (prev === 0)
    return t(
      lang,
      ` (previous period: ${formatValue(prev, unit, lang)}).`,
      ` (предыдущий период: ${formatValue(prev, unit, lang)}).`,
    );
  const pct = ((cur - prev) / Math.abs(prev)) * 100;
  const dir = pct >= 0 ? t(lang, "up", "больше") : t(lang, "down", "меньше");
  return t(
    lang,
    ` That is ${dir} ${Math.abs(pct).toFixed(0)} % from the previous period (${formatValue(prev, unit, lang)}).`,
    ` Это на ${Math.abs(pct).toFixed(0)} % ${dir}, чем в предыдущем периоде (${formatValue(prev, unit, lang)}).`,
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** The answer text for a catalogue query. */
export function interpret(
  q: AnalyticsQuery,
  metric: Metric,
  dims: Dimension[],
  columns: string[],
  rows: unknown[][],
  ctx: Context,
  lang: Lang,
): string {
  const label = metric.label[lang];
  const when = windowLabel(q.window, lang);
  const f = (v: unknown) => formatValue(v, metric.unit, lang);
  const vc = columns.length - 1;
  if (!rows.length) return t(lang, `No data for ${label} ${when}.`, `Нет данных: ${label} ${when}.`);

  if (!dims.length) {
    const v = num(rows[0]?.[0]);
    if (v === null)
      return t(
        lang,
        `${label} ${when}: no value (nothing to measure).`,
        `${label} ${when}: нет значения (нечего измерять).`,
      );
    let s = `${label} ${when}: ${f(v)}.`;
    s += change(v, ctx.previous, metric.unit, lang);
    if (ctx.previous !== null && ctx.previous !== undefined && ctx.previous !== 0) {
      const rel = Math.abs((v - ctx.previous) / ctx.previous);
      const worse = metric.higherIsBetter ? v < ctx.previous : v > ctx.previous;
      if (rel >= 0.25 && worse)
        s += t(lang, " ⚠ A notable change for the worse — worth a look.", " ⚠ Заметное ухудшение — стоит разобраться.");
    }
    return s;
  }

  const labelOf = (r: unknown[]) =>
    r
      .slice(0, vc)
      .map((x) => String(x ?? "—"))
      .join(" · ");
  const valued = rows.filter((r) => num(r[vc]) !== null);
  const dimLabel = dims.map((d) => d.label[lang]).join(", ");

  if (dims[0]?.time && dims.length === 1) {
    const first = valued[0];
    const last = valued[valued.length - 1];
    if (!first || !last)
      return t(lang, `${label} by ${dimLabel} ${when}: no values.`, `${label} по ${dimLabel} ${when}: нет значений.`);
    const vals = valued.map((r) => num(r[vc]) ?? 0);
    const peak = valued.reduce((a, b) => ((num(b[vc]) ?? 0) > (num(a[vc]) ?? 0) ? b : a));
    const a = num(first[vc]) ?? 0;
    const b = num(last[vc]) ?? 0;
    const trend =
      Math.abs(b - a) <= Math.abs(a) * 0.05
        ? t(lang, "flat", "без заметных изменений")
        : b > a
          ? t(lang, "rising", "рост")
          : t(lang, "falling", "снижение");
    let s = t(
      lang,
      `${label} by ${dimLabel} ${when}: from ${f(a)} (${labelOf(first)}) to ${f(b)} (${labelOf(last)}), ${trend}. Peak: ${f(peak[vc])} in ${labelOf(peak)}.`,
      `${label} по ${dimLabel} ${when}: от ${f(a)} (${labelOf(first)}) до ${f(b)} (${labelOf(last)}), ${trend}. Пик: ${f(peak[vc])} — ${labelOf(peak)}.`,
    );
    const med = median(vals);
    const spikes = valued.filter((r) => med > 0 && (num(r[vc]) ?? 0) > med * 1.8);
    if (spikes.length && spikes.length <= Math.max(2, valued.length / 4))
      s += t(
        lang,
        ` ⚠ Unusual spike: ${spikes.map(labelOf).join(", ")} (median ${f(med)}).`,
        ` ⚠ Необычный всплеск: ${spikes.map(labelOf).join(", ")} (медиана ${f(med)}).`,
      );
    if (ctx.overall !== null && ctx.overall !== undefined)
      s += t(lang, ` Over the whole period: ${f(ctx.overall)}.`, ` За весь период: ${f(ctx.overall)}.`);
    return s;
  }

  const sorted = [...valued].sort((x, y) => (num(y[vc]) ?? 0) - (num(x[vc]) ?? 0));
  const top = sorted[0];
  const bottom = sorted[sorted.length - 1];
  if (!top || !bottom)
    return t(lang, `${label} by ${dimLabel} ${when}: no values.`, `${label} по ${dimLabel} ${when}: нет значений.`);
  const ranked = q.limit !== null;
  let s = ranked
    ? t(
        lang,
        `${q.order === "asc" ? "Lowest" : "Highest"} ${label} by ${dimLabel} ${when}: ${rows.map((r) => `${labelOf(r)} (${f(r[vc])})`).join(", ")}.`,
        `${q.order === "asc" ? "Наименьшее" : "Наибольшее"} значение «${label}» по ${dimLabel} ${when}: ${rows.map((r) => `${labelOf(r)} (${f(r[vc])})`).join(", ")}.`,
      )
    : t(
        lang,
        `${label} by ${dimLabel} ${when}: highest ${labelOf(top)} (${f(top[vc])}), lowest ${labelOf(bottom)} (${f(bottom[vc])}).`,
        `${label} по ${dimLabel} ${when}: больше всего — ${labelOf(top)} (${f(top[vc])}), меньше всего — ${labelOf(bottom)} (${f(bottom[vc])}).`,
      );
  const overall = ctx.overall ?? null;
  if (metric.additive) {
    const total = valued.reduce((acc, r) => acc + (num(r[vc]) ?? 0), 0);
    const denom = overall !== null && overall > 0 && !ranked ? Math.max(overall, total) : total;
    if (denom > 0)
      s += t(
        lang,
        ` The biggest contributor is ${labelOf(top)} with ${(((num(top[vc]) ?? 0) / denom) * 100).toFixed(0)} % of the total (${f(overall ?? total)}).`,
        ` Главный вклад — ${labelOf(top)}: ${(((num(top[vc]) ?? 0) / denom) * 100).toFixed(0)} % от общего (${f(overall ?? total)}).`,
      );
  } else if (overall !== null) {
    s += t(lang, ` Overall: ${f(overall)}.`, ` В целом: ${f(overall)}.`);
    const worst = metric.higherIsBetter ? bottom : top;
    const wv = num(worst[vc]) ?? 0;
    if (overall !== 0 && Math.abs(wv - overall) / Math.abs(overall) >= 0.3 && valued.length > 1)
      s += t(
        lang,
        ` ⚠ ${labelOf(worst)} stands out: ${f(wv)} against ${f(overall)} overall.`,
        ` ⚠ Выделяется ${labelOf(worst)}: ${f(wv)} при ${f(overall)} в целом.`,
      );
  }
  return s;
}
