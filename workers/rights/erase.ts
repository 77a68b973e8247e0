/**
 * Erasure of a contact everywhere it is stored (issue 20, "right to erasure"):
 * the rooms' own SQLite logs, R2 attachments, the inbox intake journals, the workspace's
 * vector index, every D1 row keyed to the contact, and the copies that carry the contact
 * in free text (traces, journals' D1 copy, audit details, eval sets, webhook bodies,
 * analytics questions, dead letters), found by the subject's needles.
 *
 * Order matters: the rooms go first (an erased room cannot mirror its log back into D1),
 * then the stores derived from D1's keys, then D1 itself. The receipt lists every store,
 * removed 0 included, so an auditor sees what was searched, not only what was found.
 *
 * Not covered (documented in README "Data rights"): the merchant's own commerce backend
 * (the demo store tables stand in for it: it is the shop's system of record) and
 * provider-side copies (Telegram, WhatsApp, mail servers).
 */
import { inArray, type SQL } from "drizzle-orm";
import { schema, type TenantDb, type TenantTable } from "../db/client.ts";
import { intakeOf, roomOf, workspaceLocation } from "../services/data-location.ts";
import { vectorIndexStub } from "../../durable-objects/vector-index.ts";
import { knowledgeIndex, type IndexEnv } from "../knowledge/index-client.ts";
import { audit } from "../services/audit.ts";
import { loadSubject, slices, type Subject } from "./subject.ts";

export interface StoreReceipt {
  name: string;
  removed: number;
}
export interface ErasureReceipt {
  contactId: string;
  erasedAt: number;
  stores: StoreReceipt[];
}

/**
 * D1 tables whose rows copy customer text without a contact key: searched by needle.
 * Table and column names are constants here, never input.
 */
export const TEXT_COPIES: ReadonlyArray<{ table: string; columns: string[] }> = [
  { table: "ai_traces", columns: ["detail"] },
  { table: "inbound_events", columns: ["payload"] },
  { table: "audit_log", columns: ["detail"] },
  { table: "few_shot_examples", columns: ["question", "answer"] },
  { table: "eval_cases", columns: ["data"] },
  { table: "eval_results", columns: ["detail"] },
  { table: "eval_reviews", columns: ["corrected_reply"] },
  { table: "webhook_deliveries", columns: ["body"] },
  { table: "analytics_turns", columns: ["question", "answer"] },
  { table: "dead_letters", columns: ["body"] },
  { table: "learning_examples", columns: ["text"] },
];

type EraseEnv = Env & IndexEnv;

async function deleteIn<T extends TenantTable>(
  tdb: TenantDb,
  table: T,
  ids: string[],
  cond: (part: string[]) => SQL | undefined,
): Promise<number> {
  let removed = 0;
  for (const part of slices(ids)) {
    const c = cond(part);
    if (!c) continue;
    const res = await tdb.delete(table, c).run();
    removed += res.meta.changes ?? 0;
  }
  return removed;
}

/** Deletes the workspace's rows of `table` whose text columns contain any needle. */
export async function deleteByNeedles(
  db: D1Database,
  workspaceId: string,
  copy: { table: string; columns: string[] },
  needles: string[],
): Promise<number> {
  let removed = 0;
  // One parameter per needle per column, plus the workspace: stay under D1's 100.
  const per = Math.max(1, Math.floor(90 / copy.columns.length));
  for (const part of slices(needles, per)) {
    const terms = copy.columns.flatMap((col) => part.map(() => `instr(${col}, ?) > 0`)).join(" OR ");
    const args = copy.columns.flatMap(() => part);
    const res = await db
      .prepare(`DELETE FROM ${copy.table} WHERE workspace_id = ? AND (${terms})`)
      .bind(workspaceId, ...args)
      .run();
    removed += res.meta.changes ?? 0;
  }
  return removed;
}

async function eraseRooms(env: EraseEnv, s: Subject): Promise<StoreReceipt[]> {
  let messages = 0;
  let actions = 0;
  for (const id of s.conversationIds) {
    const r = await (await roomOf(env, s.workspaceId, id)).erase();
    messages += r.messages;
    actions += r.actions;
  }
  return [
    { name: "rooms.messages", removed: messages },
    { name: "rooms.actions", removed: actions },
  ];
}

async function eraseAttachments(env: EraseEnv, s: Subject): Promise<number> {
  const keys = new Set(s.attachmentKeys);
  // Uploads are stored under <workspace>/<conversation>/ even before a message refers to them.
  for (const conv of s.conversationIds) {
    let cursor: string | undefined;
    do {
      const page = await env.ATTACHMENTS.list({ prefix: `${s.workspaceId}/${conv}/`, cursor });
      for (const o of page.objects) keys.add(o.key);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
  // A key outside this workspace's prefix is never deleted, whatever a message claims.
  const own = [...keys].filter((k) => k.startsWith(`${s.workspaceId}/`));
  let removed = 0;
  for (const part of slices(own, 500)) {
    const existing = await Promise.all(part.map((k) => env.ATTACHMENTS.head(k)));
    removed += existing.filter((o) => o !== null).length;
    await env.ATTACHMENTS.delete(part);
  }
  return removed;
}

async function eraseJournals(env: EraseEnv, s: Subject): Promise<number> {
  let removed = 0;
  for (const inbox of s.inboxIds)
    removed += await (await intakeOf(env, s.workspaceId, inbox)).eraseMatching(s.channelMessageIds, s.needles);
  return removed;
}

async function eraseIndex(env: EraseEnv, s: Subject): Promise<number> {
  const ids = await vectorIndexStub(env, s.workspaceId, await workspaceLocation(env, s.workspaceId)).eraseMatching(
    s.workspaceId,
    s.needles,
  );
  const index = knowledgeIndex(env, s.workspaceId, await workspaceLocation(env, s.workspaceId));
  if (index.backend === "vectorize" && ids.length > 0) await index.vectors.deleteByIds(ids);
  return ids.length;
}

async function eraseD1(tdb: TenantDb, db: D1Database, s: Subject): Promise<StoreReceipt[]> {
  const out: StoreReceipt[] = [];
  const add = (name: string, removed: number) => out.push({ name: `d1.${name}`, removed });
  const t = schema;
  const convs = s.conversationIds;
  const contacts = s.contactIds;
  add("messages", await deleteIn(tdb, t.messages, convs, (p) => inArray(t.messages.conversationId, p)));
  add(
    "actions",
    (await deleteIn(tdb, t.actions, convs, (p) => inArray(t.actions.conversationId, p))) +
      (await deleteIn(tdb, t.actions, contacts, (p) => inArray(t.actions.contactId, p))),
  );
  add(
    "verification_codes",
    await deleteIn(tdb, t.verificationCodes, convs, (p) => inArray(t.verificationCodes.conversationId, p)),
  );
  add("conversations", await deleteIn(tdb, t.conversations, convs, (p) => inArray(t.conversations.id, p)));
  add(
    "contact_identities",
    await deleteIn(tdb, t.contactIdentities, s.identityIds, (p) => inArray(t.contactIdentities.id, p)),
  );
  add("contact_claims", await deleteIn(tdb, t.contactClaims, contacts, (p) => inArray(t.contactClaims.contactId, p)));
  add(
    "contact_memories",
    await deleteIn(tdb, t.contactMemories, contacts, (p) => inArray(t.contactMemories.contactId, p)),
  );
  add(
    "contact_profiles",
    await deleteIn(tdb, t.contactProfiles, contacts, (p) => inArray(t.contactProfiles.contactId, p)),
  );
  add(
    "contact_consents",
    await deleteIn(tdb, t.contactConsents, contacts, (p) => inArray(t.contactConsents.contactId, p)),
  );
  add("contacts", await deleteIn(tdb, t.contacts, contacts, (p) => inArray(t.contacts.id, p)));

  // Rows keyed by conversation or source message, then free-text copies.
  const keyed: Record<string, number> = {
    ai_traces: await deleteIn(tdb, t.aiTraces, convs, (p) => inArray(t.aiTraces.conversationId, p)),
    inbound_events: await deleteIn(tdb, t.inboundEvents, s.channelMessageIds, (p) =>
      inArray(t.inboundEvents.channelMessageId, p),
    ),
    audit_log: await deleteIn(tdb, t.auditLog, [...contacts, ...convs], (p) => inArray(t.auditLog.targetId, p)),
    few_shot_examples: await deleteIn(tdb, t.fewShotExamples, s.messageIds, (p) =>
      inArray(t.fewShotExamples.sourceMessageId, p),
    ),
    // Cross-customer learnings keep each example under its contact (issue 20, Memory 3).
    learning_examples: await deleteIn(tdb, t.learningExamples, contacts, (p) =>
      inArray(t.learningExamples.contactId, p),
    ),
  };
  // Conversation ids are unique strings: a copy that names the conversation goes too.
  const copyNeedles = [...s.needles, ...convs];
  for (const copy of TEXT_COPIES)
    add(copy.table, (keyed[copy.table] ?? 0) + (await deleteByNeedles(db, s.workspaceId, copy, copyNeedles)));
  return out;
}

/** Erases the contact; null when the workspace has no such contact. */
export async function eraseContact(
  env: EraseEnv,
  tdb: TenantDb,
  contactId: string,
  actorId: string,
): Promise<ErasureReceipt | null> {
  // Bring D1 level with the rooms first, so messages not yet mirrored are found and their text searched for.
  const first = await loadSubject(tdb, contactId);
  if (!first) return null;
  await Promise.all(first.conversationIds.map(async (id) => (await roomOf(env, tdb.workspaceId, id)).syncMirror()));
  const s = (await loadSubject(tdb, contactId)) ?? first;

  const stores: StoreReceipt[] = [];
  stores.push(...(await eraseRooms(env, s)));
  stores.push({ name: "r2.attachments", removed: await eraseAttachments(env, s) });
  stores.push({ name: "intake_journals", removed: await eraseJournals(env, s) });
  stores.push({ name: "vector_index", removed: await eraseIndex(env, s) });
  stores.push(...(await eraseD1(tdb, env.DB, s)));
  const receipt: ErasureReceipt = { contactId, erasedAt: Date.now(), stores };
  // The audit entry names only ids and counts: nothing that identifies the person.
  await audit(tdb, {
    actorType: "operator",
    actorId,
    action: "contact.erase",
    targetType: "contact",
    targetId: contactId,
    detail: { stores, conversations: s.conversationIds.length },
  });
  return receipt;
}
