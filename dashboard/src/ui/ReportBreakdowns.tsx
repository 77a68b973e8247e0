/**
 * The reports page's trends (per day, week, month) and breakdowns (per channel, category,
 * operator, team, tag, language, priority) from /api/reports/breakdown, every column with
 * its unit; a row opens the conversations behind it; the whole page exports to CSV, XLSX
 * and PDF.
 */
import { useState } from "preact/hooks";
import { breakdown, drilldown, type Breakdown } from "../api/analytics.ts";
import { exportSheets, type ExportFormat } from "../lib/export.ts";
import { useTA } from "../lib/i18n-analytics.ts";
import type { Cell, Sheet } from "../lib/xlsx.ts";
import { navigate } from "../router.ts";
import { BarChart } from "./Charts.tsx";
import { ErrorBanner, Modal, useAsync } from "./common.tsx";
import { reportCsv, type Report } from "./reports-model.ts";

const TRENDS = ["day", "week", "month"] as const;
const BREAKDOWNS = ["channel", "category", "operator", "team", "tag", "language", "priority"] as const;

const fmt = (v: number | null, unit: string): string => {
  if (v === null) return "—";
  if (unit === "count") return String(Math.round(v));
  return v.toFixed(unit === "%" ? 1 : 2);
};

const header = (m: { label: string; unit: string }) => `${m.label} (${m.unit})`;

function sheetOf(name: string, b: Breakdown): Sheet {
  return {
    name,
    rows: [[b.by, ...b.measures.map(header)], ...b.rows.map((r): Cell[] => [r.key, ...r.values])],
  };
}

function BreakdownTable({ b, onDrill, testid }: { b: Breakdown; onDrill: (key: string) => void; testid: string }) {
  return (
    <div style={{ overflow: "auto", maxHeight: "360px" }}>
      <table class="small" data-testid={testid}>
        <thead>
          <tr>
            <th>{b.by}</th>
            {b.measures.map((m) => (
              <th title={m.label}>
                {m.label}
                <br />
                <span class="muted">({m.unit})</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {b.rows.map((r) => (
            <tr>
              <td>
                <a href="#" data-testid="drill" onClick={(e) => (e.preventDefault(), onDrill(r.key))}>
                  {r.key}
                </a>
              </td>
              {r.values.map((v, i) => (
                <td style={{ textAlign: "right" }}>{fmt(v, b.measures[i]?.unit ?? "")}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReportBreakdowns({ from, to, report }: { from: number; to: number; report: Report | null }) {
  const ta = useTA();
  const [trend, setTrend] = useState<(typeof TRENDS)[number]>("day");
  const [by, setBy] = useState<(typeof BREAKDOWNS)[number]>("category");
  const [drill, setDrill] = useState<{ by: string; key: string } | null>(null);
  const trends = useAsync(() => breakdown(trend, from, to), [trend, from, to]);
  const parts = useAsync(() => breakdown(by, from, to), [by, from, to]);
  const rows = useAsync(
    () => (drill ? drilldown(drill.by, drill.key, from, to) : Promise.resolve(null)),
    [drill?.by, drill?.key, from, to],
  );

  const exportPage = async (format: ExportFormat) => {
    const sheets: Sheet[] = [];
    if (report) sheets.push({ name: "Summary", rows: reportCsv(report) });
    // Every breakdown, not only the one on screen: the export is the whole page.
    for (const key of [...TRENDS, ...BREAKDOWNS]) sheets.push(sheetOf(key, await breakdown(key, from, to)));
    const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
    await exportSheets(
      `omnisupport-report-${day(from)}-${day(to)}`,
      format,
      `OmniSupport report ${day(from)} – ${day(to)}`,
      sheets,
    );
  };

  const convIdx = 0;
  return (
    <section data-testid="report-breakdowns">
      <div class="row" style={{ gap: "6px", margin: "12px 0" }}>
        {ta("export")}:
        {(["csv", "xlsx", "pdf"] as const).map((f) => (
          <button type="button" data-testid={`export-page-${f}`} onClick={() => void exportPage(f)}>
            {f.toUpperCase()}
          </button>
        ))}
      </div>
      <div class="card" style={{ marginBottom: "12px" }}>
        <div class="row" style={{ gap: "8px" }}>
          <h3 style={{ margin: 0 }}>{ta("trends")}</h3>
          {TRENDS.map((k) => (
            <button type="button" class={trend === k ? "primary" : ""} onClick={() => setTrend(k)}>
              {ta("by")} {ta(k)}
            </button>
          ))}
        </div>
        <ErrorBanner error={trends.error} />
        {trends.data && (
          <>
            <BarChart
              data={trends.data.rows.map((r): [string, number] => [r.key, r.values[convIdx] ?? 0])}
              vertical
              width={720}
            />
            <BreakdownTable b={trends.data} onDrill={(key) => setDrill({ by: trend, key })} testid="trend-table" />
          </>
        )}
      </div>
      <div class="card">
        <div class="row" style={{ gap: "8px", flexWrap: "wrap" }}>
          <h3 style={{ margin: 0 }}>{ta("breakdowns")}</h3>
          {BREAKDOWNS.map((k) => (
            <button type="button" class={by === k ? "primary" : ""} onClick={() => setBy(k)} data-testid={`by-${k}`}>
              {ta("by")} {ta(k)}
            </button>
          ))}
        </div>
        <ErrorBanner error={parts.error} />
        {parts.data && (
          <BreakdownTable b={parts.data} onDrill={(key) => setDrill({ by, key })} testid="breakdown-table" />
        )}
      </div>
      {drill && (
        <Modal title={`${ta("drilldown")}: ${drill.by} = ${drill.key}`} onClose={() => setDrill(null)}>
          <ErrorBanner error={rows.error} />
          <div style={{ maxHeight: "60vh", overflow: "auto" }}>
            <table class="small" data-testid="drill-table">
              <tbody>
                {(rows.data?.items ?? []).map((c) => (
                  <tr>
                    <td>{new Date(c.createdAt).toISOString().slice(0, 16).replace("T", " ")}</td>
                    <td>{c.channel}</td>
                    <td>{c.category ?? "—"}</td>
                    <td>{c.status}</td>
                    <td>{c.assignee ?? "—"}</td>
                    <td>{c.csat ?? ""}</td>
                    <td>
                      <a
                        href={`#/inbox/${encodeURIComponent(c.id)}`}
                        onClick={() => (setDrill(null), navigate(`/inbox/${encodeURIComponent(c.id)}`))}
                      >
                        {ta("open")}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Modal>
      )}
    </section>
  );
}
