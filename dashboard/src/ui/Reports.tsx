/**
 * Reports (seed 003 §8): server summary when available, otherwise figures computed from
 * /api/conversations pages and labelled as such; SVG charts; CSV export of what is shown.
 */
import { useState } from "preact/hooks";
import { ApiError } from "../api/client.ts";
import { listConversations, reportSummary, type Conversation } from "../api/endpoints.ts";
import { directoryStore, operatorName } from "../directory.ts";
import { download } from "../lib/csv.ts";
import { formatCsv } from "../../../workers/lib/csv.ts";
import { minutes } from "../lib/format.ts";
import { useT, type MsgKey } from "../lib/i18n.ts";
import { useStore } from "../lib/store.ts";
import { BarChart } from "./Charts.tsx";
import { ErrorBanner, useAsync } from "./common.tsx";
import { computeReport, reportCsv, reportFromSummary, type Report } from "./reports-model.ts";
import { ReportBreakdowns } from "./ReportBreakdowns.tsx";

const day = 86_400_000;
const isoDay = (ts: number) => new Date(ts).toISOString().slice(0, 10);

async function allConversations(maxPages = 20): Promise<Conversation[]> {
  const out: Conversation[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await listConversations({ limit: 100, cursor });
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

async function loadReport(
  from: number,
  to: number,
  name: (id: string) => string,
): Promise<{ report: Report; missing: string | null }> {
  try {
    return { report: reportFromSummary(await reportSummary(from, to), name), missing: null };
  } catch (e) {
    if (!(e instanceof ApiError && e.notAvailable)) throw e;
    return { report: computeReport(await allConversations(), from, to, name), missing: e.endpoint };
  }
}

export function Reports() {
  const t = useT();
  const dir = useStore(directoryStore);
  const [from, setFrom] = useState(isoDay(Date.now() - 30 * day));
  const [to, setTo] = useState(isoDay(Date.now()));
  const range = { from: Date.parse(from), to: Date.parse(to) + day };
  const r = useAsync(
    () => loadReport(range.from, range.to, (id) => operatorName(dir, id)),
    [from, to, dir.operators.length],
  );
  const label = (key: string): string => {
    const known = [
      "byChannel",
      "firstResponseTime",
      "resolutionTime",
      "operatorLoad",
      "peakHours",
      "csat",
      "nps",
      "abandoned",
      "aiResolution",
      "autoSend",
      "handoff",
      "costPerConversation",
      "conversations",
      "status",
    ] as const;
    const k = known.find((x) => x === key);
    return k && k !== "status" ? t(k satisfies MsgKey) : key;
  };
  const fmt = (k: Report["kpis"][number]): string => {
    if (k.value === null) return "—";
    // Under a minute (AI first replies) in seconds, so it never reads "0.0 min".
    if (k.unit === "ms") return k.value < 60_000 ? `${Math.round(k.value / 1000)} s` : minutes(k.value);
    if (k.unit === "%") return `${k.value}%`;
    if (k.unit === "$") return `$${k.value}`;
    return Number.isInteger(k.value) ? String(k.value) : k.value.toFixed(2);
  };
  return (
    <div class="page" data-testid="reports">
      <div class="row" style={{ marginBottom: "12px" }}>
        <h2 style={{ margin: 0 }}>{t("reports")}</h2>
        <label class="inline">
          {t("from")} <input type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label class="inline">
          {t("to")} <input type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button
          disabled={!r.data}
          onClick={() =>
            r.data &&
            download(
              `omnisupport-report-${from}-${to}.csv`,
              formatCsv(reportCsv(r.data.report), { eol: "\r\n", trailingNewline: false, guardFormulas: true }),
            )
          }
          data-testid="export-csv"
        >
          {t("exportCsv")}
        </button>
      </div>
      <ErrorBanner error={r.error} />
      {r.loading && <div class="muted">{t("loading")}</div>}
      {r.data && (
        <>
          {r.data.missing && (
            <div class="banner na" style={{ marginBottom: "12px" }} data-testid="reports-local">
              {t("computedLocally")} <code>{r.data.missing}</code>
            </div>
          )}
          <div class="kpis" style={{ marginBottom: "12px" }}>
            {r.data.report.kpis.map((k) => (
              <div class="card kpi">
                <div class="small muted">
                  {label(k.key)}
                  {k.unit === "ms" ? ` (${t("median")})` : ""}
                </div>
                <div class="v">{fmt(k)}</div>
              </div>
            ))}
          </div>
          <div class="charts">
            {r.data.report.series.map((s) => (
              <div class="card">
                <h3>{label(s.key)}</h3>
                <BarChart data={s.data} vertical={s.vertical} />
              </div>
            ))}
          </div>
          <ReportBreakdowns from={range.from} to={range.to} report={r.data.report} />
        </>
      )}
    </div>
  );
}
