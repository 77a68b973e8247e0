/**
 * The inbox list model: REST pages and live presence rows merged into one row type,
 * filtered and sorted. The SLA badge and filter compare the client's clock with the
 * instants the server computed (workers/protocol/sla.ts), never a rule of their own.
 */
import { z } from "zod";
import type { InboxItem } from "../../../workers/protocol/frames.ts";
import type { Conversation } from "../api/endpoints.ts";
import { inboxSlaClock, SLA_STATES, slaState, type SlaState } from "../../../workers/protocol/sla.ts";

export interface Row extends InboxItem {
  contactId: string | null;
}

export function rowFromConversation(c: Conversation): Row {
  const clock = inboxSlaClock(c);
  return {
    conversationId: c.id,
    contactId: c.contactId,
    contactName: c.subject,
    channel: c.channel,
    status: c.status,
    owner: c.owner,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    priority: c.priority,
    category: c.category,
    tags: c.tags,
    preview: c.lastMessagePreview,
    lastMessageAt: c.lastMessageAt ?? c.createdAt,
    slaDueAt: clock?.dueAt ?? null,
    slaAtRiskAt: clock?.atRiskAt ?? null,
  };
}

/** The row's SLA state at `now`, from the server's due and at-risk instants (badge and filter). */
export function rowSla(r: Pick<InboxItem, "slaDueAt" | "slaAtRiskAt">, now: number): SlaState {
  return slaState(now, r.slaDueAt === null ? null : { dueAt: r.slaDueAt, atRiskAt: r.slaAtRiskAt ?? r.slaDueAt });
}

export interface Filters {
  status: string;
  channel: string;
  assignee: string; // "" any, "me", "none", or an operator id
  team: string;
  category: string;
  tag: string;
  sla: "" | SlaState;
}

export const emptyFilters: Filters = {
  status: "open",
  channel: "",
  assignee: "",
  team: "",
  category: "",
  tag: "",
  sla: "",
};

const SavedFilters = z
  .object({
    status: z.string(),
    channel: z.string(),
    assignee: z.string(),
    team: z.string(),
    category: z.string(),
    tag: z.string(),
    sla: z.enum(["", ...SLA_STATES]),
  })
  .partial();

/** Filters remembered for the tab; anything malformed falls back to the defaults. */
export function loadFilters(raw: string | null): Filters {
  try {
    const parsed = SavedFilters.safeParse(JSON.parse(raw ?? "{}"));
    return parsed.success ? { ...emptyFilters, ...parsed.data } : emptyFilters;
  } catch {
    return emptyFilters;
  }
}

export function matches(r: Row, f: Filters, me: string, now: number): boolean {
  if (f.status && r.status !== f.status) return false;
  if (f.channel && r.channel !== f.channel) return false;
  if (f.assignee === "me" && r.assigneeId !== me) return false;
  if (f.assignee === "none" && r.assigneeId !== null) return false;
  if (f.assignee && f.assignee !== "me" && f.assignee !== "none" && r.assigneeId !== f.assignee) return false;
  if (f.team && r.teamId !== f.team) return false;
  if (f.category && r.category !== f.category) return false;
  if (f.tag && !r.tags.includes(f.tag)) return false;
  if (f.sla && rowSla(r, now) !== f.sla) return false;
  return true;
}

/** Live rows win over REST rows for the same conversation (they are newer). */
export function mergeRows(rest: Row[], live: Map<string, InboxItem>): Row[] {
  const byId = new Map<string, Row>();
  for (const r of rest) byId.set(r.conversationId, r);
  for (const item of live.values()) {
    const prev = byId.get(item.conversationId);
    byId.set(item.conversationId, {
      ...item,
      contactName: item.contactName ?? prev?.contactName ?? null,
      contactId: prev?.contactId ?? null,
    });
  }
  const prio = { urgent: 0, high: 1, normal: 2, low: 3 } as const;
  return [...byId.values()].sort(
    (a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0) || prio[a.priority] - prio[b.priority],
  );
}
