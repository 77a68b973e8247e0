/**
 * The inbox's SLA badge and filter follow the server's instants (workers/protocol/sla.ts):
 * a REST row and a live presence row turn at risk exactly at the at-risk instant the
 * server sent, whatever the window's length, and the filter agrees with the badge.
 */
import { describe, expect, it } from "vitest";
import {
  emptyFilters,
  loadFilters,
  matches,
  mergeRows,
  rowFromConversation,
  rowSla,
} from "../../../../dashboard/src/ui/inbox-model.ts";
import type { Conversation } from "../../../../dashboard/src/api/endpoints.ts";
import type { InboxItem } from "../../../../workers/protocol/frames.ts";

const MIN = 60_000;
const T0 = 1_800_000_000_000;

const conversation: Conversation = {
  id: "conv_1",
  inboxId: "inbox_1",
  contactId: "ct_1",
  channel: "telegram",
  status: "open",
  owner: "human",
  assigneeId: null,
  teamId: null,
  priority: "normal",
  tags: [],
  category: null,
  secondaryCategories: [],
  language: "en",
  subject: null,
  lastMessageAt: T0,
  lastMessagePreview: "hi",
  lastSeq: 1,
  // A window whose last fifth is 48 minutes (a 4-hour first-response SLA).
  firstResponseDueAt: T0 + 240 * MIN,
  firstResponseAtRiskAt: T0 + 192 * MIN,
  resolutionDueAt: T0 + 2880 * MIN,
  resolutionAtRiskAt: T0 + 2304 * MIN,
  firstRespondedAt: null,
  resolvedAt: null,
  slaState: "ok",
  snoozedUntil: null,
  csatScore: null,
  csatComment: null,
  npsScore: null,
  createdAt: T0,
};

describe("inbox rows' SLA state", () => {
  it("a REST row turns at risk at the server's at-risk instant and breached at its due instant", () => {
    const row = rowFromConversation(conversation);
    expect(row).toMatchObject({ slaDueAt: T0 + 240 * MIN, slaAtRiskAt: T0 + 192 * MIN });
    expect(rowSla(row, T0 + 192 * MIN - 1)).toBe("ok");
    // 48 minutes before due: at risk (a fixed "10 minutes before due" rule would say ok).
    expect(rowSla(row, T0 + 192 * MIN)).toBe("at_risk");
    expect(rowSla(row, T0 + 240 * MIN)).toBe("breached");
  });

  it("follows the resolution clock once answered and shows nothing once resolved", () => {
    const answered = rowFromConversation({ ...conversation, firstRespondedAt: T0 + MIN });
    expect(rowSla(answered, T0 + 300 * MIN)).toBe("ok");
    expect(rowSla(answered, T0 + 2304 * MIN)).toBe("at_risk");
    expect(rowSla(rowFromConversation({ ...conversation, resolvedAt: T0 + MIN }), T0 + 9999 * MIN)).toBe("none");
  });

  it("a live row carries its own instants and wins over the REST row", () => {
    const live: InboxItem = {
      conversationId: "conv_1",
      contactName: null,
      channel: "telegram",
      status: "open",
      owner: "human",
      assigneeId: null,
      teamId: null,
      priority: "high",
      category: null,
      tags: [],
      preview: "again",
      lastMessageAt: T0 + MIN,
      slaDueAt: T0 + 60 * MIN,
      slaAtRiskAt: T0 + 48 * MIN,
    };
    const [merged] = mergeRows([rowFromConversation(conversation)], new Map([[live.conversationId, live]]));
    if (!merged) throw new Error("no row");
    expect(rowSla(merged, T0 + 47 * MIN)).toBe("ok");
    expect(rowSla(merged, T0 + 48 * MIN)).toBe("at_risk");
  });

  it("the SLA filter selects exactly the rows the badge marks", () => {
    const row = rowFromConversation(conversation);
    const atRisk = { ...emptyFilters, sla: "at_risk" as const };
    expect(matches(row, atRisk, "op", T0 + 200 * MIN)).toBe(true);
    expect(matches(row, atRisk, "op", T0 + 100 * MIN)).toBe(false);
    expect(matches(row, { ...emptyFilters, sla: "breached" }, "op", T0 + 250 * MIN)).toBe(true);
    expect(loadFilters(JSON.stringify({ sla: "at_risk" })).sla).toBe("at_risk");
    expect(loadFilters(JSON.stringify({ sla: "soon" }))).toEqual(emptyFilters);
  });
});
