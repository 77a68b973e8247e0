/**
 * The learnings job (issue 20, Memory 3), run by an admin (`POST /api/learnings/run`) or
 * the daily scheduled handler, per workspace:
 * (a) questions the knowledge base did not answer — general questions whose conversation
 *     was handed to a human or whose retrieval found nothing good — clustered across
 *     customers into draft FAQ proposals;
 * (b) AI drafts operators rewrote before sending, per category, into rule proposals.
 * It only ever writes proposals (open) and their PII-stripped examples; approving one is
 * an admin's act (workers/api/learnings.ts). A dismissed or approved pattern is not
 * reopened: the same signature found again only refreshes its count.
 */
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { D1_MAX_PARAMS, rawDb, schema, TenantDb } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import {
  clusterQuestions,
  correctionPatterns,
  DEFAULT_MIN_OCCURRENCES,
  stripPii,
  type CorrectionItem,
  type QuestionItem,
} from "./detect.ts";

/** A retrieval whose best passage scores below this did not answer. */
export const LOW_RETRIEVAL_SCORE = 0.35;
const WINDOW_DAYS = 30;
const MAX_CONVERSATIONS = 2000;
const MAX_EXAMPLES = 10;

export interface LearningsRun {
  knowledge: number;
  rules: number;
}

function bestScore(detail: Record<string, unknown>): number {
  const passages = Array.isArray(detail.passages) ? detail.passages : [];
  let best = 0;
  for (const p of passages)
    if (p && typeof p === "object" && "score" in p && typeof p.score === "number") best = Math.max(best, p.score);
  return best;
}

async function upsertProposal(
  tdb: TenantDb,
  p: {
    kind: "knowledge" | "category_rule";
    category: string;
    signature: string;
    title: string;
    pattern: { added: string[]; removed: string[] } | null;
    examples: Array<{ contactId: string; conversationId: string; text: string }>;
  },
): Promise<boolean> {
  const t = schema.learningProposals;
  const where = and(eq(t.kind, p.kind), eq(t.category, p.category), eq(t.signature, p.signature));
  const occurrences = p.examples.length;
  const existing = where ? await tdb.first(t, where) : undefined;
  let id: string;
  if (existing) {
    id = existing.id;
    await tdb
      .update(t, { occurrences: Math.max(existing.occurrences, occurrences), updatedAt: Date.now() }, eq(t.id, id))
      .run();
  } else {
    id = newId("lrn");
    await tdb.insert(t, {
      id,
      kind: p.kind,
      category: p.category,
      signature: p.signature,
      title: p.title,
      pattern: p.pattern,
      occurrences,
    });
  }
  const e = schema.learningExamples;
  for (const x of p.examples.slice(0, MAX_EXAMPLES))
    await tdb.db
      .insert(e)
      .values({ id: newId("lrx"), workspaceId: tdb.workspaceId, proposalId: id, ...x })
      .onConflictDoNothing();
  return !existing;
}

/**
 * Ids per `IN (…)` read: D1 binds at most 100 parameters a statement and the workspace
 * id (and any extra condition) take some. A month of a busy workspace is thousands of
 * conversations, so every read by id list goes in slices.
 */
const IDS_PER_READ = D1_MAX_PARAMS - 10;

async function inSlices<T>(ids: string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_READ) out.push(...(await read(ids.slice(i, i + IDS_PER_READ))));
  return out;
}

export async function runLearnings(
  tdb: TenantDb,
  opts: { minOccurrences?: number; now?: number } = {},
): Promise<LearningsRun> {
  const min = opts.minOccurrences ?? DEFAULT_MIN_OCCURRENCES;
  const since = (opts.now ?? Date.now()) - WINDOW_DAYS * 86_400_000;
  const c = schema.conversations;
  const convs = await tdb.select(c, gte(c.createdAt, since), { orderBy: [asc(c.createdAt)], limit: MAX_CONVERSATIONS });
  if (convs.length === 0) return { knowledge: 0, rules: 0 };
  const contacts = await inSlices([...new Set(convs.map((x) => x.contactId))], (slice) =>
    tdb.select(schema.contacts, inArray(schema.contacts.id, slice)),
  );
  const namesOf = new Map(contacts.map((x) => [x.id, [x.name, x.email, x.phone]]));
  const byId = new Map(convs.map((x) => [x.id, x]));
  const ids = convs.map((x) => x.id);
  const m = schema.messages;
  // Each slice is ordered by conversation then seq, and a conversation never spans two slices.
  const msgs = await inSlices(ids, (slice) =>
    tdb.select(m, inArray(m.conversationId, slice), { orderBy: [asc(m.conversationId), asc(m.seq)] }),
  );

  // (a) General questions the knowledge base did not answer.
  const tr = schema.aiTraces;
  const retrieveOf = (slice: string[]): SQL =>
    and(inArray(tr.conversationId, slice), eq(tr.step, "retrieve")) ?? eq(tr.step, "retrieve");
  const traces = await inSlices(ids, (slice) => tdb.select(tr, retrieveOf(slice)));
  const retrieved = new Map<string, number>();
  for (const x of traces) {
    if (!x.conversationId || x.detail.category !== "general_question") continue;
    retrieved.set(x.conversationId, Math.max(retrieved.get(x.conversationId) ?? 0, bestScore(x.detail)));
  }
  const questions: QuestionItem[] = [];
  for (const conv of convs) {
    if (conv.category !== "general_question") continue;
    const handedOff = conv.owner !== "bot" && !conv.aiResolved;
    const score = retrieved.get(conv.id);
    if (!handedOff && (score === undefined || score >= LOW_RETRIEVAL_SCORE)) continue;
    const first = msgs.find((x) => x.conversationId === conv.id && x.type === "incoming" && x.senderType === "contact");
    if (!first) continue;
    questions.push({
      contactId: conv.contactId,
      conversationId: conv.id,
      text: stripPii(first.content, namesOf.get(conv.contactId) ?? []),
    });
  }
  let knowledge = 0;
  for (const cluster of clusterQuestions(questions, min))
    if (
      await upsertProposal(tdb, {
        kind: "knowledge",
        category: "general_question",
        signature: cluster.signature,
        title: cluster.title,
        pattern: null,
        examples: cluster.items,
      })
    )
      knowledge++;

  // (b) Drafts operators rewrote: a held AI draft, then the operator's reply that went out.
  const corrections: CorrectionItem[] = [];
  for (const [i, draft] of msgs.entries()) {
    if (draft.type !== "note" || draft.contentAttributes.draft !== true) continue;
    const sent = msgs
      .slice(i + 1)
      .find((x) => x.conversationId === draft.conversationId && x.type === "outgoing" && x.senderType === "operator");
    const conv = byId.get(draft.conversationId);
    if (!sent || !conv) continue;
    const names = namesOf.get(conv.contactId) ?? [];
    corrections.push({
      contactId: conv.contactId,
      conversationId: conv.id,
      category: conv.category ?? "other",
      draft: stripPii(draft.content, names),
      sent: stripPii(sent.content, names),
    });
  }
  let rules = 0;
  for (const p of correctionPatterns(corrections, min))
    if (
      await upsertProposal(tdb, {
        kind: "category_rule",
        category: p.category,
        signature: `+${p.added.join(" ")} -${p.removed.join(" ")}`.slice(0, 300),
        title: `Operators rewrite ${p.category} drafts`,
        pattern: { added: p.added, removed: p.removed },
        examples: p.items.map((x) => ({ contactId: x.contactId, conversationId: x.conversationId, text: x.sent })),
      })
    )
      rules++;
  return { knowledge, rules };
}

/**
 * The daily run from the five-minute cron: only the tick in 03:00–03:04 UTC works, so
 * each workspace is scanned once a day without keeping state for it.
 */
export async function runLearningsDaily(env: Env, now: number): Promise<void> {
  const d = new Date(now);
  if (d.getUTCHours() !== 3 || d.getUTCMinutes() >= 5) return;
  const db = rawDb(env.DB);
  for (const ws of await db.select({ id: schema.workspaces.id }).from(schema.workspaces).all())
    await runLearnings(new TenantDb(db, ws.id), { now });
}
