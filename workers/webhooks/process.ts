/**
 * Asynchronous half of the intake: turn journaled events into conversation messages and
 * delivery updates. Runs in `waitUntil` after the 200, from the email handler, and from
 * the cron reprocessor; every step is idempotent (the room dedupes on the provider id,
 * contacts and conversations are found before they are created), so a retry is safe.
 */
import { and, desc, eq, gte, inArray, lt, lte, or } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { resolveContact } from "../services/contacts.ts";
import { conversationForThread } from "../services/conversations.ts";
import { normalizePhone } from "../lib/phone.ts";
import { roomStub } from "../../durable-objects/presence.ts";
import { answerCallbackQuery } from "../channels/telegram/send.ts";
import { EventPayload, type JournaledMessage, type StoredAttachment } from "./journal.ts";
import { copyMedia } from "./media.ts";
import { loadInbox, type OpenInbox } from "./inbox.ts";

type EventRow = typeof schema.inboundEvents.$inferSelect;
type StatusPayload = Extract<EventPayload, { status: unknown }>["status"];

/** Events still `received` this long after arrival are presumed lost with their isolate. */
export const STUCK_AFTER_MS = 60_000;
/** Failed events are retried by the cron for this long, then left for an admin. */
export const RETRY_FAILED_FOR_MS = 60 * 60_000;

/** Outcome of processing one event; `note` is kept in the event's error column. */
interface Outcome {
  status: "processed" | "failed";
  note: string | null;
}

/** Why a message gets no answer (mail loops), or null when it should be answered. */
function silentReason(m: JournaledMessage): string | null {
  if (m.channel !== "email") return null;
  if (m.email?.bounce) return "not answered: bounce";
  if (m.email?.autoReply) return "not answered: auto-reply";
  if (!m.sender.email) return "not answered: no sender address";
  return null;
}

/** E.164 or nothing: contacts link across channels only on normalised numbers. */
function e164(phone: string | undefined): string | null {
  return phone ? normalizePhone(phone) : null;
}

/**
 * A chat thread keeps its conversation for good (a resolved one reopens), so once found it
 * is remembered for a minute in this isolate: a burst from one chat then costs no contact
 * or conversation lookups. Messages that carry a phone number always go through contact
 * resolution, because a number learnt later can link the sender to another contact.
 */
const THREAD_CACHE_TTL_MS = 60_000;
const threadCache = new Map<string, { at: number; conversationId: string }>();

const threadKeyOf = (open: OpenInbox, m: JournaledMessage) => `${open.tdb.workspaceId}|${open.inbox.id}|${m.threadKey}|${m.sender.externalId}`;

function forgetThread(open: OpenInbox, m: JournaledMessage): void {
  threadCache.delete(threadKeyOf(open, m));
}

async function threadConversation(open: OpenInbox, m: JournaledMessage): Promise<{ id: string; cached: boolean }> {
  const { tdb, inbox } = open;
  const key = threadKeyOf(open, m);
  const hit = threadCache.get(key);
  if (hit && !m.sender.phone && Date.now() - hit.at < THREAD_CACHE_TTL_MS) return { id: hit.conversationId, cached: true };
  const contact = await resolveContact(tdb, {
    channel: m.channel, inboxId: inbox.id, externalId: m.sender.externalId,
    name: m.sender.name ?? m.sender.username ?? null, phone: e164(m.sender.phone), email: m.sender.email ?? null,
    language: m.sender.languageCode ?? null,
    // WhatsApp proves the number (the wa_id is the phone); any other sender is only what it claims.
    verified: m.channel === "whatsapp",
  });
  const conv = await conversationForThread(tdb, {
    inboxId: inbox.id, channel: m.channel, threadKey: m.threadKey, contactId: contact.contactId, identityId: contact.identityId,
    subject: m.email?.subject ?? null, language: m.sender.languageCode ?? null,
  });
  if (threadCache.size > 10_000) threadCache.clear();
  threadCache.set(key, { at: Date.now(), conversationId: conv.id });
  return { id: conv.id, cached: false };
}

async function processMessage(env: Env, open: OpenInbox, m: JournaledMessage, alreadyStored: StoredAttachment[]): Promise<Outcome> {
  const silent = silentReason(m);
  if (silent) return { status: "processed", note: silent };
  const { tdb, inbox } = open;
  let conv = await threadConversation(open, m);
  const media = await copyMedia(env, fetch, { workspaceId: tdb.workspaceId, conversationId: conv.id, inbox, secrets: open.secrets }, m);
  const attachments = [...alreadyStored, ...media.stored];
  const input = {
    channelMessageId: m.channelMessageId,
    text: m.text,
    attachments,
    senderName: m.sender.name ?? m.sender.username ?? null,
    sentAt: m.sentAt,
    language: m.sender.languageCode ?? null,
    actionPayload: m.action?.payload ?? null,
  };
  try {
    await roomStub(env, conv.id).ingest(input);
  } catch (err) {
    if (!conv.cached) throw err;
    // A remembered conversation that no longer exists: resolve the thread again, once.
    forgetThread(open, m);
    conv = await threadConversation(open, m);
    await roomStub(env, conv.id).ingest(input);
  }
  if (m.channel === "telegram" && m.action && open.secrets.botToken) {
    // Stops the spinner on the pressed button; cosmetic, so a failure is only noted.
    await answerCallbackQuery(fetch, { token: open.secrets.botToken }, m.channelMessageId).catch((err: unknown) => media.failures.push(`answerCallbackQuery: ${err instanceof Error ? err.message : String(err)}`));
  }
  return { status: "processed", note: media.failures.length ? `media not copied: ${media.failures.join("; ")}` : null };
}

/** Our outgoing messages a status refers to: by provider id, or every one under a watermark. */
async function statusTargets(tdb: TenantDb, inboxId: string, s: StatusPayload): Promise<Array<{ id: string; conversationId: string }>> {
  const msgs = schema.messages;
  if (!s.watermark) {
    const row = await tdb.first(msgs, and(eq(msgs.inboxId, inboxId), eq(msgs.channelMessageId, s.channelMessageId)));
    return row ? [{ id: row.id, conversationId: row.conversationId }] : [];
  }
  const convs = await tdb.select(schema.conversations, and(eq(schema.conversations.inboxId, inboxId), eq(schema.conversations.threadKey, s.watermark.threadKey)));
  if (convs.length === 0) return [];
  const rows = await tdb.select(msgs, and(
    inArray(msgs.conversationId, convs.map((c) => c.id)),
    eq(msgs.type, "outgoing"),
    lte(msgs.createdAt, s.watermark.upTo),
    inArray(msgs.deliveryStatus, ["pending", "sent", "delivered"]),
  ), { orderBy: desc(msgs.createdAt), limit: 50 });
  return rows.map((r) => ({ id: r.id, conversationId: r.conversationId }));
}

async function processStatus(env: Env, open: OpenInbox, s: StatusPayload): Promise<Outcome> {
  const targets = await statusTargets(open.tdb, open.inbox.id, s);
  // Not ours yet: the status can outrun the send's bookkeeping, so the cron retries it.
  if (targets.length === 0) return { status: s.watermark ? "processed" : "failed", note: "no outgoing message with this provider id" };
  for (const t of targets) {
    await roomStub(env, t.conversationId).delivery(t.id, s.status);
    if (s.status === "failed" && s.error) await open.tdb.update(schema.messages, { deliveryError: s.error.slice(0, 500) }, eq(schema.messages.id, t.id));
  }
  return { status: "processed", note: null };
}

/** Process one journaled event and record the outcome on it. Never throws. */
export async function processEvent(env: Env, event: EventRow): Promise<Outcome> {
  const tdb = new TenantDb(rawDb(env.DB), event.workspaceId);
  let outcome: Outcome;
  try {
    const payload = EventPayload.safeParse(event.payload);
    const open = await loadInbox(env, event.workspaceId, event.inboxId);
    if (!payload.success) outcome = { status: "failed", note: "payload does not match the journal schema" };
    else if (!open) outcome = { status: "failed", note: "inbox missing or disabled" };
    else if ("message" in payload.data) outcome = await processMessage(env, open, payload.data.message, payload.data.stored);
    else outcome = await processStatus(env, open, payload.data.status);
  } catch (err) {
    outcome = { status: "failed", note: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : "unknown error" };
  }
  await tdb.update(schema.inboundEvents, { status: outcome.status, error: outcome.note }, eq(schema.inboundEvents.id, event.id));
  return outcome;
}

/** Process the given events of one workspace in arrival order. */
export async function processEvents(env: Env, workspaceId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const rows = await tdb.select(schema.inboundEvents, inArray(schema.inboundEvents.id, ids), { orderBy: schema.inboundEvents.createdAt });
  for (const row of rows) await processEvent(env, row);
}

/**
 * Cron-safe reprocessor: events still `received` a minute after arrival (the isolate died
 * before waitUntil finished) and events that failed within the last hour are tried again.
 * Returns how many events were attempted.
 */
export async function reprocessPendingEvents(env: Env, now = Date.now(), limit = 100): Promise<number> {
  const e = schema.inboundEvents;
  const rows = await rawDb(env.DB)
    .select()
    .from(e)
    .where(or(
      and(eq(e.status, "received"), lt(e.createdAt, now - STUCK_AFTER_MS)),
      and(eq(e.status, "failed"), gte(e.createdAt, now - RETRY_FAILED_FOR_MS)),
    ))
    .orderBy(e.createdAt)
    .limit(limit);
  for (const row of rows) await processEvent(env, row);
  return rows.length;
}
