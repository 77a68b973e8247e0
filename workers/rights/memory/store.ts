/**
 * Memories of a contact (issue 20): proposed from conversations, approved by operators
 * (or by category auto-approval), given to the agent only when approved and unexpired.
 * Every query is by workspace (TenantDb) AND contact: there is no call that reads
 * memories without naming the contact (the agno#7716 leak). Duplicates are refused by
 * the (workspace, contact, fact key) unique index (agno#2570); each contact keeps at most
 * MAX_MEMORIES_PER_CONTACT, the oldest non-approved going first.
 */
import { and, asc, desc, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { schema, type TenantDb } from "../../db/client.ts";
import { channelName } from "../../copy/customer.ts";
import { newId } from "../../lib/ids.ts";
import { factKey, type MemoryCandidate } from "./extract.ts";
import type { ProvenanceItem } from "./provenance.ts";

export const MAX_MEMORIES_PER_CONTACT = 50;
/** Memories the agent sees per turn. */
const AGENT_MEMORIES = 20;

export interface ProposeInput {
  contactId: string;
  conversationId: string | null;
  messageId: string | null;
  /** A candidate may name its own source message and expiry (the LLM path cites one message per fact). */
  candidates: Array<MemoryCandidate & { messageId?: string; expiresAt?: number | null }>;
  origin: "rules" | "llm" | "operator";
  /** Categories the workspace approves without review. */
  autoApprove: readonly string[];
  expiresAt?: number | null;
}

/** Stores new facts (a known fact is left as it is); returns how many were new. */
export async function proposeMemories(tdb: TenantDb, input: ProposeInput): Promise<number> {
  const m = schema.contactMemories;
  let added = 0;
  for (const c of input.candidates) {
    const approved = input.origin === "operator" || input.autoApprove.includes(c.category);
    const rows = await tdb.db
      .insert(m)
      .values({
        id: newId("mem"),
        workspaceId: tdb.workspaceId,
        contactId: input.contactId,
        category: c.category,
        fact: c.fact,
        factKey: factKey(c.fact),
        sourceConversationId: input.conversationId,
        sourceMessageId: c.messageId ?? input.messageId,
        confidence: c.confidence,
        origin: input.origin,
        status: approved ? "approved" : "proposed",
        expiresAt: c.expiresAt !== undefined ? c.expiresAt : (input.expiresAt ?? null),
      })
      .onConflictDoNothing()
      .returning({ id: m.id });
    added += rows.length;
  }
  if (added > 0) await bound(tdb, input.contactId);
  return added;
}

async function bound(tdb: TenantDb, contactId: string): Promise<void> {
  const m = schema.contactMemories;
  const rows = await tdb.select(m, eq(m.contactId, contactId), {
    orderBy: [asc(m.status), asc(m.createdAt)],
  });
  const over = rows.length - MAX_MEMORIES_PER_CONTACT;
  if (over <= 0) return;
  // Non-approved first (rejected, proposed), oldest first; approved only if they alone exceed the bound.
  const victims = [...rows.filter((r) => r.status !== "approved"), ...rows.filter((r) => r.status === "approved")]
    .slice(0, over)
    .map((r) => r.id);
  await tdb.delete(m, and(eq(m.contactId, contactId), inArray(m.id, victims)) ?? eq(m.contactId, contactId)).run();
}

export function listMemories(tdb: TenantDb, contactId: string) {
  const m = schema.contactMemories;
  return tdb.select(m, eq(m.contactId, contactId), { orderBy: [desc(m.createdAt)] });
}

/** Approved, unexpired memories of this contact with where each came from (date, channel), newest first. */
export async function memoriesWithProvenance(
  tdb: TenantDb,
  contactId: string,
  now: number,
): Promise<Array<ProvenanceItem & { id: string }>> {
  const m = schema.contactMemories;
  const rows = await tdb.select(
    m,
    and(eq(m.contactId, contactId), eq(m.status, "approved"), or(isNull(m.expiresAt), gt(m.expiresAt, now))),
    { orderBy: [desc(m.updatedAt)], limit: AGENT_MEMORIES },
  );
  const convIds = [...new Set(rows.map((r) => r.sourceConversationId).filter((x): x is string => x !== null))];
  const c = schema.conversations;
  // Same workspace AND same contact: a source conversation is only ever this customer's own.
  const convs = convIds.length
    ? await tdb.select(c, and(inArray(c.id, convIds), eq(c.contactId, contactId)) ?? inArray(c.id, convIds))
    : [];
  const channelOf = new Map(convs.map((x) => [x.id, x.channel]));
  return rows.map((r) => ({
    id: r.id,
    fact: r.fact,
    date: new Date(r.createdAt).toISOString().slice(0, 10),
    channel:
      r.origin === "operator" || !r.sourceConversationId ? null : (channelOf.get(r.sourceConversationId) ?? null),
    origin: r.origin,
  }));
}

/** The channel as customers call it ("website chat", not "widget"): a model may repeat it to them. */
const channel = (c: string | null): string => {
  const name = channelName("en", c);
  return name ? ` via ${name}` : "";
};

/**
 * What the agent may use: approved, unexpired, this contact only, each with its source as
 * the date and channel — never an internal id, which a model could repeat to the customer.
 */
export async function memoriesForAgent(
  tdb: TenantDb,
  contactId: string,
  now: number,
): Promise<Array<{ fact: string; source: string }>> {
  return (await memoriesWithProvenance(tdb, contactId, now)).map((r) => ({
    fact: r.fact,
    source:
      r.origin === "operator"
        ? `noted by our team on ${r.date}`
        : `what the customer wrote on ${r.date}${channel(r.channel)}`,
  }));
}
