/**
 * Asynchronous half of the intake: turn journaled events into conversation messages and
 * delivery updates. Called by the inbox's InboxIntake object after the provider got its
 * 200, in journal order; every step is idempotent (the room dedupes on the provider id,
 * contacts and conversations are found before they are created), so a retry is safe.
 */
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import { schema, type TenantDb } from "../../workers/db/client.ts";
import { resolveContact } from "../../workers/services/contacts.ts";
import { conversationForThread } from "../../workers/services/conversations.ts";
import { normalizePhone } from "../../workers/lib/phone.ts";
import { roomOf } from "../../workers/services/data-location.ts";
import type { InboundInput } from "../conversation.ts";
import { answerCallbackQuery } from "../../workers/channels/telegram/send.ts";
import { EventPayload, type JournaledMessage, type StoredAttachment } from "./journal.ts";
import { copyMedia } from "./media.ts";
import type { OpenInbox } from "../../workers/webhooks/inbox.ts";
import type { Outcome as JournalOutcome } from "./store.ts";

type StatusPayload = Extract<EventPayload, { status: unknown }>["status"];

/** Outcome of processing one event, as the journal records it, plus what it touched. */
export interface Outcome extends JournalOutcome {
  /** The conversations the event touched (the caller may flush their D1 mirrors). */
  conversations: string[];
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
 * or conversation lookups. The sender's phone and email are part of the key, so a number
 * or address the thread has not shown before still goes through contact resolution (it
 * may link the sender to another contact).
 */
const THREAD_CACHE_TTL_MS = 60_000;
const threadCache = new Map<string, { at: number; conversationId: string }>();

const threadKeyOf = (open: OpenInbox, m: JournaledMessage) =>
  `${open.tdb.workspaceId}|${open.inbox.id}|${m.threadKey}|${m.sender.externalId}|${m.sender.phone ?? ""}|${m.sender.email ?? ""}`;

function forgetThread(open: OpenInbox, m: JournaledMessage): void {
  threadCache.delete(threadKeyOf(open, m));
}

async function threadConversation(open: OpenInbox, m: JournaledMessage): Promise<{ id: string; cached: boolean }> {
  const { tdb, inbox } = open;
  const key = threadKeyOf(open, m);
  const hit = threadCache.get(key);
  if (hit && Date.now() - hit.at < THREAD_CACHE_TTL_MS) return { id: hit.conversationId, cached: true };
  const contact = await resolveContact(tdb, {
    channel: m.channel,
    inboxId: inbox.id,
    externalId: m.sender.externalId,
    name: m.sender.name ?? m.sender.username ?? null,
    phone: e164(m.sender.phone),
    email: m.sender.email ?? null,
    language: m.sender.languageCode ?? null,
    // WhatsApp proves the number (the wa_id is the phone); any other sender is only what it claims.
    verified: m.channel === "whatsapp",
  });
  const conv = await conversationForThread(tdb, {
    inboxId: inbox.id,
    channel: m.channel,
    threadKey: m.threadKey,
    contactId: contact.contactId,
    identityId: contact.identityId,
    subject: m.email?.subject ?? null,
    language: m.sender.languageCode ?? null,
  });
  if (threadCache.size > 10_000) threadCache.clear();
  threadCache.set(key, { at: Date.now(), conversationId: conv.id });
  return { id: conv.id, cached: false };
}

/** A message ready for its room: the conversation it belongs to and the room's input. */
interface Prepared {
  conversationId: string;
  cached: boolean;
  input: InboundInput;
  failures: string[];
}

async function prepareMessage(
  env: Env,
  open: OpenInbox,
  m: JournaledMessage,
  alreadyStored: StoredAttachment[],
): Promise<Prepared> {
  const { tdb, inbox } = open;
  const conv = await threadConversation(open, m);
  const media = await copyMedia(
    env,
    fetch,
    { workspaceId: tdb.workspaceId, conversationId: conv.id, inbox, secrets: open.secrets },
    m,
  );
  return {
    conversationId: conv.id,
    cached: conv.cached,
    failures: media.failures,
    input: {
      channelMessageId: m.channelMessageId,
      text: m.text,
      attachments: [...alreadyStored, ...media.stored],
      senderName: m.sender.name ?? m.sender.username ?? null,
      sentAt: m.sentAt,
      language: m.sender.languageCode ?? null,
      actionPayload: m.action?.payload ?? null,
    },
  };
}

/** After the room took the message: stop the spinner on a pressed Telegram button (cosmetic, so a failure is only noted). */
async function afterIngest(open: OpenInbox, m: JournaledMessage, p: Prepared): Promise<Outcome> {
  if (m.channel === "telegram" && m.action && open.secrets.botToken) {
    await answerCallbackQuery(fetch, { token: open.secrets.botToken }, m.channelMessageId).catch((err: unknown) =>
      p.failures.push(`answerCallbackQuery: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
  return {
    status: "processed",
    note: p.failures.length ? `media not copied: ${p.failures.join("; ")}` : null,
    conversations: [p.conversationId],
  };
}

/** One (answerable) message on its own, re-resolving a remembered conversation that no longer exists (once). */
async function processMessage(
  env: Env,
  open: OpenInbox,
  m: JournaledMessage,
  alreadyStored: StoredAttachment[],
): Promise<Outcome> {
  let p = await prepareMessage(env, open, m, alreadyStored);
  try {
    await (await roomOf(env, open.tdb.workspaceId, p.conversationId)).ingest(p.input);
  } catch (err) {
    if (!p.cached) throw err;
    forgetThread(open, m);
    p = await prepareMessage(env, open, m, alreadyStored);
    await (await roomOf(env, open.tdb.workspaceId, p.conversationId)).ingest(p.input);
  }
  return afterIngest(open, m, p);
}

/** Our outgoing messages a status refers to: by provider id, or every one under a watermark. */
async function statusTargets(
  tdb: TenantDb,
  inboxId: string,
  s: StatusPayload,
): Promise<Array<{ id: string; conversationId: string }>> {
  const msgs = schema.messages;
  if (!s.watermark) {
    const row = await tdb.first(msgs, and(eq(msgs.inboxId, inboxId), eq(msgs.channelMessageId, s.channelMessageId)));
    return row ? [{ id: row.id, conversationId: row.conversationId }] : [];
  }
  const convs = await tdb.select(
    schema.conversations,
    and(eq(schema.conversations.inboxId, inboxId), eq(schema.conversations.threadKey, s.watermark.threadKey)),
  );
  if (convs.length === 0) return [];
  const rows = await tdb.select(
    msgs,
    and(
      inArray(
        msgs.conversationId,
        convs.map((c) => c.id),
      ),
      eq(msgs.type, "outgoing"),
      lte(msgs.createdAt, s.watermark.upTo),
      inArray(msgs.deliveryStatus, ["pending", "sent", "delivered"]),
    ),
    { orderBy: desc(msgs.createdAt), limit: 50 },
  );
  return rows.map((r) => ({ id: r.id, conversationId: r.conversationId }));
}

async function processStatus(env: Env, open: OpenInbox, s: StatusPayload): Promise<Outcome> {
  const targets = await statusTargets(open.tdb, open.inbox.id, s);
  // Not ours yet: the status can outrun the send's bookkeeping, so the intake retries it.
  if (targets.length === 0)
    return {
      status: s.watermark ? "processed" : "failed",
      note: "no outgoing message with this provider id",
      conversations: [],
    };
  for (const t of targets) {
    await (await roomOf(env, open.tdb.workspaceId, t.conversationId)).delivery(t.id, s.status);
    if (s.status === "failed" && s.error)
      await open.tdb.update(schema.messages, { deliveryError: s.error.slice(0, 500) }, eq(schema.messages.id, t.id));
  }
  return { status: "processed", note: null, conversations: [...new Set(targets.map((t) => t.conversationId))] };
}

const failed = (err: unknown): Outcome => ({
  status: "failed",
  note: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : "unknown error",
  conversations: [],
});

/**
 * Process a slice of the journal (payloads in journal order); returns one outcome per
 * payload and never throws. Messages are resolved to their conversations first, then
 * each conversation gets its messages in one room call, in order: under a burst the cost
 * of reaching a room is paid once per conversation per slice instead of once per message.
 */
export async function processPayloads(env: Env, open: OpenInbox, raws: unknown[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const groups = new Map<
    string,
    Array<{ index: number; m: JournaledMessage; stored: StoredAttachment[]; p: Prepared }>
  >();
  for (const [index, raw] of raws.entries()) {
    outcomes.push({ status: "failed", note: "not processed", conversations: [] });
    try {
      const payload = EventPayload.safeParse(raw);
      if (!payload.success) {
        outcomes[index] = { status: "failed", note: "payload does not match the journal schema", conversations: [] };
        continue;
      }
      if (!("message" in payload.data)) {
        outcomes[index] = await processStatus(env, open, payload.data.status);
        continue;
      }
      const { message: m, stored } = payload.data;
      const silent = silentReason(m);
      if (silent) {
        outcomes[index] = { status: "processed", note: silent, conversations: [] };
        continue;
      }
      const p = await prepareMessage(env, open, m, stored);
      const group = groups.get(p.conversationId) ?? [];
      group.push({ index, m, stored, p });
      groups.set(p.conversationId, group);
    } catch (err) {
      outcomes[index] = failed(err);
    }
  }
  for (const [conversationId, items] of groups) {
    try {
      await (await roomOf(env, open.tdb.workspaceId, conversationId)).ingestMany(items.map((i) => i.p.input));
      for (const i of items) outcomes[i.index] = await afterIngest(open, i.m, i.p);
    } catch {
      // One by one: a remembered conversation that is gone is resolved again; a real failure is recorded per event.
      for (const i of items) {
        if (i.p.cached) forgetThread(open, i.m);
        try {
          outcomes[i.index] = await processMessage(env, open, i.m, i.stored);
        } catch (err) {
          outcomes[i.index] = failed(err);
        }
      }
    }
  }
  return outcomes;
}
