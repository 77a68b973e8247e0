/**
 * Draws an answer's chart (bar, line over time, pie for shares, single number) with
 * chart.js, imported on first use and with only the controllers these four shapes need,
 * so the chart library is a separate chunk the inbox never loads.
 */
import { useEffect, useRef } from "preact/hooks";
import type { ChartSpec } from "../api/analytics.ts";
import type * as ChartSetup from "./chart-setup.ts";

type ChartModule = typeof ChartSetup;
let loading: Promise<ChartModule> | null = null;

function loadChart(): Promise<ChartModule> {
  loading ??= import("./chart-setup.ts");
  return loading;
}

const PALETTE = [
  "#0f766e",
  "#2563eb",
  "#d97706",
  "#dc2626",
  "#7c3aed",
  "#0891b2",
  "#65a30d",
  "#db2777",
  "#475569",
  "#ca8a04",
];

export function formatNumber(v: unknown, unit: string): string {
  if (typeof v !== "number") return v === null || v === undefined ? "—" : String(v);
  const n = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
  const suffix: Record<string, string> = { percent: " %", minutes: " min", hours: " h", usd: " USD" };
  return `${n}${suffix[unit] ?? ""}`;
}

export function ChartView({ spec, columns, rows }: { spec: ChartSpec; columns: string[]; rows: unknown[][] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (spec.type === "number" || spec.type === "table" || spec.x === null || spec.y === null) return;
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    const x = spec.x;
    const y = spec.y;
    void loadChart().then(({ Chart }) => {
      if (cancelled || !canvas.current) return;
      const labels = rows.map((r) => String(r[x] ?? "—"));
      const data = rows.map((r) => (typeof r[y] === "number" ? r[y] : 0));
      const pie = spec.type === "pie";
      chart = new Chart(canvas.current, {
        type: spec.type === "line" ? "line" : pie ? "pie" : "bar",
        data: {
          labels,
          datasets: [
            {
              label: columns[y] ?? "",
              data,
              backgroundColor: pie ? labels.map((_, i) => PALETTE[i % PALETTE.length] ?? "#0f766e") : "#0f766e",
              borderColor: "#0f766e",
              fill: spec.type === "line",
              tension: 0.25,
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: spec.type === "bar" && rows.length > 8 ? "y" : "x",
          plugins: { legend: { display: pie } },
        },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [spec, columns, rows]);

  if (spec.type === "number") {
    return (
      <div class="kpi" data-testid="answer-chart" data-chart="number">
        <div class="v" style={{ fontSize: "2.2em" }}>
          {formatNumber(rows[0]?.[spec.y ?? 0], spec.unit)}
        </div>
        <div class="small muted">{columns[spec.y ?? 0]}</div>
      </div>
    );
  }
  if (spec.type === "table") return null;
  return (
    <div
      data-testid="answer-chart"
      data-chart={spec.type}
      style={{ position: "relative", height: "260px", maxWidth: "720px" }}
    >
      <canvas ref={canvas} />
    </div>
  );
}
