/**
 * Report maths (seed 003 §8), pure over plain rows so it is unit-tested without a
 * database: conversations by channel, first response and resolution times, operator load,
 * peak hours, CSAT, NPS, abandoned chats, AI resolution / auto-send / handoff rates, and
 * cost per conversation.
 */
import { formatCsv } from "../lib/csv.ts";

export interface ReportConversation {
  id: string;
  channel: string;
  createdAt: number;
  firstRespondedAt: number | null;
  resolvedAt: number | null;
  status: string;
  assigneeId: string | null;
  csatScore: number | null;
  npsScore: number | null;
}

export interface ReportMessage {
  conversationId: string;
  type: string;
  senderType: string;
}

export interface ReportTrace {
  conversationId: string | null;
  costUsd: number;
}

export interface ReportSummary {
  total: number;
  byChannel: Record<string, number>;
  firstResponseSeconds: { avg: number | null; median: number | null };
  resolutionSeconds: { avg: number | null; median: number | null };
  operatorLoad: Array<{ operatorId: string; conversations: number }>;
  peakHours: number[];
  csat: { average: number | null; responses: number; distribution: number[] };
  nps: { score: number | null; responses: number; promoters: number; passives: number; detractors: number };
  abandoned: number;
  ai: { resolutionRate: number | null; autoSendRate: number | null; handoffRate: number | null };
  costPerConversationUsd: number | null;
}

const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? null) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
const ratio = (a: number, b: number) => (b ? a / b : null);

/** `timeZoneOffsetMinutes` shifts peak hours into the workspace's local time. */
export function summarise(
  convs: ReportConversation[],
  msgs: ReportMessage[],
  traces: ReportTrace[],
  timeZoneOffsetMinutes = 0,
): ReportSummary {
  const byChannel: Record<string, number> = {};
  const peakHours = Array.from({ length: 24 }, () => 0);
  const load = new Map<string, number>();
  for (const c of convs) {
    byChannel[c.channel] = (byChannel[c.channel] ?? 0) + 1;
    const hour = new Date(c.createdAt + timeZoneOffsetMinutes * 60_000).getUTCHours();
    peakHours[hour] = (peakHours[hour] ?? 0) + 1;
    if (c.assigneeId) load.set(c.assigneeId, (load.get(c.assigneeId) ?? 0) + 1);
  }
  const frt = convs
    .filter((c) => c.firstRespondedAt !== null)
    .map((c) => ((c.firstRespondedAt ?? 0) - c.createdAt) / 1000);
  const res = convs.filter((c) => c.resolvedAt !== null).map((c) => ((c.resolvedAt ?? 0) - c.createdAt) / 1000);
  const csat = convs.map((c) => c.csatScore).filter((x): x is number => x !== null);
  const nps = convs.map((c) => c.npsScore).filter((x): x is number => x !== null);
  const promoters = nps.filter((x) => x >= 9).length;
  const detractors = nps.filter((x) => x <= 6).length;

  const perConv = new Map<string, { incoming: number; bot: number; operator: number }>();
  for (const m of msgs) {
    const e = perConv.get(m.conversationId) ?? { incoming: 0, bot: 0, operator: 0 };
    if (m.type === "incoming") e.incoming++;
    else if (m.type === "outgoing" && m.senderType === "bot") e.bot++;
    else if (m.type === "outgoing" && m.senderType === "operator") e.operator++;
    perConv.set(m.conversationId, e);
  }
  let abandoned = 0;
  let aiResolved = 0;
  let handedOff = 0;
  let botReplies = 0;
  let allReplies = 0;
  for (const c of convs) {
    const e = perConv.get(c.id) ?? { incoming: 0, bot: 0, operator: 0 };
    if (e.incoming > 0 && e.bot + e.operator === 0) abandoned++;
    if (c.resolvedAt !== null && e.operator === 0 && e.bot > 0) aiResolved++;
    if (e.operator > 0 || c.assigneeId) handedOff++;
    botReplies += e.bot;
    allReplies += e.bot + e.operator;
  }
  const resolved = convs.filter((c) => c.resolvedAt !== null).length;
  const ids = new Set(convs.map((c) => c.id));
  const cost = traces.filter((t) => t.conversationId && ids.has(t.conversationId)).reduce((s, t) => s + t.costUsd, 0);
  return {
    total: convs.length,
    byChannel,
    firstResponseSeconds: { avg: avg(frt), median: median(frt) },
    resolutionSeconds: { avg: avg(res), median: median(res) },
    operatorLoad: [...load.entries()]
      .map(([operatorId, conversations]) => ({ operatorId, conversations }))
      .sort((a, b) => b.conversations - a.conversations),
    peakHours,
    csat: {
      average: avg(csat),
      responses: csat.length,
      distribution: [1, 2, 3, 4, 5].map((s) => csat.filter((x) => x === s).length),
    },
    nps: {
      score: nps.length ? Math.round(((promoters - detractors) / nps.length) * 100) : null,
      responses: nps.length,
      promoters,
      passives: nps.length - promoters - detractors,
      detractors,
    },
    abandoned,
    ai: {
      resolutionRate: ratio(aiResolved, resolved),
      autoSendRate: ratio(botReplies, allReplies),
      handoffRate: ratio(handedOff, convs.length),
    },
    costPerConversationUsd: convs.length ? cost / convs.length : null,
  };
}

/** Flat CSV of a summary (one metric per row) for spreadsheet export. */
export function summaryToCsv(s: ReportSummary): string {
  const rows: Array<[string, string | number | null]> = [
    ["conversations", s.total],
    ...Object.entries(s.byChannel).map(([k, v]): [string, number] => [`channel.${k}`, v]),
    ["first_response_seconds.avg", s.firstResponseSeconds.avg],
    ["first_response_seconds.median", s.firstResponseSeconds.median],
    ["resolution_seconds.avg", s.resolutionSeconds.avg],
    ["resolution_seconds.median", s.resolutionSeconds.median],
    ...s.operatorLoad.map((o): [string, number] => [`operator_load.${o.operatorId}`, o.conversations]),
    ...s.peakHours.map((v, h): [string, number] => [`hour.${String(h).padStart(2, "0")}`, v]),
    ["csat.average", s.csat.average],
    ["csat.responses", s.csat.responses],
    ["nps.score", s.nps.score],
    ["nps.responses", s.nps.responses],
    ["abandoned", s.abandoned],
    ["ai.resolution_rate", s.ai.resolutionRate],
    ["ai.auto_send_rate", s.ai.autoSendRate],
    ["ai.handoff_rate", s.ai.handoffRate],
    ["cost_per_conversation_usd", s.costPerConversationUsd],
  ];
  return formatCsv([
    ["metric", "value"],
    ...rows.map(([k, v]) => [k, typeof v === "number" ? Number(v.toFixed(6)) : v]),
  ]);
}
