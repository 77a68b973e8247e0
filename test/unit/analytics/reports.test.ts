import { describe, expect, it } from "vitest";
import { summarise, summaryToCsv, type ReportConversation } from "../../../workers/analytics/reports.ts";

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const conv = (id: string, over: Partial<ReportConversation> = {}): ReportConversation => ({
  id,
  channel: "widget",
  createdAt: T0,
  firstRespondedAt: null,
  resolvedAt: null,
  status: "open",
  assigneeId: null,
  csatScore: null,
  npsScore: null,
  ...over,
});

describe("summarise", () => {
  const convs = [
    conv("a", {
      channel: "widget",
      firstRespondedAt: T0 + 10_000,
      resolvedAt: T0 + 60_000,
      csatScore: 5,
      npsScore: 10,
    }),
    conv("b", {
      channel: "telegram",
      firstRespondedAt: T0 + 30_000,
      resolvedAt: T0 + 600_000,
      assigneeId: "op1",
      csatScore: 3,
      npsScore: 6,
    }),
    conv("c", { channel: "telegram", createdAt: T0 + 5 * 3_600_000, assigneeId: "op1", npsScore: 8 }),
    conv("d", { channel: "email", createdAt: T0 + 5 * 3_600_000 }),
  ];
  const msgs = [
    { conversationId: "a", type: "incoming", senderType: "contact" },
    { conversationId: "a", type: "outgoing", senderType: "bot" },
    { conversationId: "b", type: "incoming", senderType: "contact" },
    { conversationId: "b", type: "outgoing", senderType: "bot" },
    { conversationId: "b", type: "outgoing", senderType: "operator" },
    { conversationId: "c", type: "incoming", senderType: "contact" },
    { conversationId: "c", type: "outgoing", senderType: "operator" },
    { conversationId: "d", type: "incoming", senderType: "contact" },
    { conversationId: "d", type: "note", senderType: "operator" },
  ];
  const s = summarise(convs, msgs, [
    { conversationId: "a", costUsd: 0.002 },
    { conversationId: "b", costUsd: 0.006 },
    { conversationId: "zzz", costUsd: 9 },
  ]);

  it("counts by channel and hour", () => {
    expect(s.total).toBe(4);
    expect(s.byChannel).toEqual({ widget: 1, telegram: 2, email: 1 });
    expect(s.peakHours[9]).toBe(2);
    expect(s.peakHours[14]).toBe(2);
  });
  it("computes response and resolution times", () => {
    expect(s.firstResponseSeconds).toEqual({ avg: 20, median: 20 });
    expect(s.resolutionSeconds).toEqual({ avg: 330, median: 330 });
  });
  it("computes CSAT and NPS", () => {
    expect(s.csat).toEqual({ average: 4, responses: 2, distribution: [0, 0, 1, 0, 1] });
    expect(s.nps).toEqual({ score: 0, responses: 3, promoters: 1, passives: 1, detractors: 1 });
  });
  it("counts abandoned chats, AI rates, load and cost", () => {
    expect(s.abandoned).toBe(1);
    expect(s.ai.resolutionRate).toBe(0.5);
    expect(s.ai.autoSendRate).toBe(0.5);
    expect(s.ai.handoffRate).toBe(0.5);
    expect(s.operatorLoad).toEqual([{ operatorId: "op1", conversations: 2 }]);
    expect(s.costPerConversationUsd).toBeCloseTo(0.002);
  });
  it("exports CSV with one metric per row", () => {
    const csv = summaryToCsv(s);
    expect(csv.split("\n")[0]).toBe("metric,value");
    expect(csv).toContain("channel.telegram,2\n");
    expect(csv).toContain("nps.score,0\n");
  });
  it("handles an empty period", () => {
    const e = summarise([], [], []);
    expect(e).toMatchObject({ total: 0, abandoned: 0, costPerConversationUsd: null, csat: { average: null } });
  });
});
