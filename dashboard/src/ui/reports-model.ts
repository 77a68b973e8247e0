/**
 * Report figures. The server's /api/reports/summary is preferred; until it exists the
 * same figures that the conversation records allow are computed here (clearly labelled
 * in the UI). Both end up as one `Report` so charts and CSV export work the same.
 */
import type { Conversation } from "../api/endpoints.ts";
import type { z } from "zod";
import type { ReportSummarySchema } from "../api/schemas.ts";

type ReportSummary = z.infer<typeof ReportSummarySchema>;

export type Series = Array<[string, number]>;

export interface Report {
  source: "server" | "client";
  kpis: Array<{ key: string; value: number | null; unit?: string }>;
  series: Array<{ key: string; data: Series; vertical?: boolean }>;
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function countBy<T>(items: T[], key: (x: T) => string): Series {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

export function computeReport(
  all: Conversation[],
  from: number,
  to: number,
  name: (operatorId: string) => string,
  now = Date.now(),
): Report {
  const cs = all.filter((c) => c.createdAt >= from && c.createdAt < to);
  const frt = cs.filter((c) => c.firstRespondedAt).map((c) => (c.firstRespondedAt ?? 0) - c.createdAt);
  const res = cs.filter((c) => c.resolvedAt).map((c) => (c.resolvedAt ?? 0) - c.createdAt);
  const csat = cs.map((c) => c.csatScore).filter((x): x is number => x !== null);
  const nps = cs.map((c) => c.npsScore).filter((x): x is number => x !== null);
  const npsScore = nps.length
    ? Math.round(((nps.filter((x) => x >= 9).length - nps.filter((x) => x <= 6).length) / nps.length) * 100)
    : null;
  // Abandoned: never answered by anyone and silent for a day.
  const abandoned = cs.filter(
    (c) => !c.firstRespondedAt && c.status !== "resolved" && now - (c.lastMessageAt ?? c.createdAt) > 86_400_000,
  ).length;
  const resolved = cs.filter((c) => c.status === "resolved");
  const aiResolved = resolved.filter((c) => c.owner === "bot" && !c.assigneeId).length;
  const hours: Series = Array.from({ length: 24 }, (_, h) => [String(h).padStart(2, "0"), 0]);
  for (const c of cs) {
    const slot = hours[new Date(c.createdAt).getHours()];
    if (slot) slot[1] += 1;
  }
  return {
    source: "client",
    kpis: [
      { key: "conversations", value: cs.length },
      { key: "firstResponseTime", value: median(frt), unit: "ms" },
      { key: "resolutionTime", value: median(res), unit: "ms" },
      { key: "csat", value: mean(csat) },
      { key: "nps", value: npsScore },
      { key: "abandoned", value: abandoned },
      {
        key: "aiResolution",
        value: resolved.length ? Math.round((aiResolved / resolved.length) * 100) : null,
        unit: "%",
      },
      { key: "costPerConversation", value: null },
    ],
    series: [
      { key: "byChannel", data: countBy(cs, (c) => c.channel) },
      {
        key: "operatorLoad",
        data: countBy(
          cs.filter((c) => c.assigneeId),
          (c) => name(c.assigneeId ?? ""),
        ),
      },
      { key: "peakHours", data: hours, vertical: true },
      {
        key: "csat",
        data: [1, 2, 3, 4, 5].map((s): [string, number] => [`${s}★`, csat.filter((x) => x === s).length]),
        vertical: true,
      },
      { key: "status", data: countBy(cs, (c) => c.status) },
    ],
  };
}

/** The server's summary → the same KPIs and charts as the local computation, plus the AI rates and cost. */
export function reportFromSummary(r: ReportSummary, name: (operatorId: string) => string): Report {
  const pct = (x: number | null) => (x === null ? null : Math.round(x * 100));
  const ms = (x: number | null) => (x === null ? null : x * 1000);
  return {
    source: "server",
    kpis: [
      { key: "conversations", value: r.total },
      { key: "firstResponseTime", value: ms(r.firstResponseSeconds.median), unit: "ms" },
      { key: "resolutionTime", value: ms(r.resolutionSeconds.median), unit: "ms" },
      { key: "csat", value: r.csat.average },
      { key: "nps", value: r.nps.score },
      { key: "abandoned", value: r.abandoned },
      { key: "aiResolution", value: pct(r.ai.resolutionRate), unit: "%" },
      { key: "autoSend", value: pct(r.ai.autoSendRate), unit: "%" },
      { key: "handoff", value: pct(r.ai.handoffRate), unit: "%" },
      {
        key: "costPerConversation",
        value: r.costPerConversationUsd === null ? null : Number(r.costPerConversationUsd.toFixed(4)),
        unit: "$",
      },
    ],
    series: [
      { key: "byChannel", data: Object.entries(r.byChannel).sort((a, b) => b[1] - a[1]) },
      { key: "operatorLoad", data: r.operatorLoad.map((o): [string, number] => [name(o.operatorId), o.conversations]) },
      {
        key: "peakHours",
        data: r.peakHours.map((n, h): [string, number] => [String(h).padStart(2, "0"), n]),
        vertical: true,
      },
      { key: "csat", data: r.csat.distribution.map((n, i): [string, number] => [`${i + 1}★`, n]), vertical: true },
    ],
  };
}

export function reportCsv(r: Report): Array<Array<string | number | null>> {
  return [
    ["section", "label", "value"],
    ...r.kpis.map((k): [string, string, number | null] => ["kpi", k.key, k.value]),
    ...r.series.flatMap((s) => s.data.map(([l, v]): [string, string, number] => [s.key, l, v])),
  ];
}
