/**
 * "How do you know that?" in the room (issue 20, Memory 2): when the customer asks where a
 * fact came from and the contact has approved memories, the room answers from the memory
 * store itself — the date and channel of the conversation where they said it — instead of
 * letting a model (or the template engine, which never sees memories) improvise, and offers
 * to forget it.
 *
 * Forgetting DELETES the memory rather than flagging it for review: the customer is the
 * data subject of their own conversation, the fact came from them, and a withdrawn fact
 * that waits for an operator would still be held (and, until reviewed, used). Operators are
 * told in an internal note and the audit log records the count — never the fact.
 */
import { and, eq, inArray } from "drizzle-orm";
import { schema } from "../../workers/db/client.ts";
import {
  forgetOutcomeReply,
  isForgetRequest,
  isKeepAnswer,
  isProvenanceQuestion,
  provenanceReply,
  relevantMemories,
} from "../../workers/rights/memory/provenance.ts";
import { memoriesWithProvenance } from "../../workers/rights/memory/store.ts";
import { audit } from "../../workers/services/audit.ts";
import type { RoomHost } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import { sendOutgoing } from "./outgoing.ts";
import type { StoredMessage } from "./store.ts";

/** An offer to forget is answered within the day or not at all. */
const OFFER_TTL_MS = 24 * 3_600_000;

/** True when the message was a question about (or an answer to an offer to forget) memories and was answered. */
export async function memoryQuestion(host: RoomHost, meta: RoomMeta, message: StoredMessage): Promise<boolean> {
  const language = message.language ?? meta.language;
  const offer = meta.forgetOffer ?? null;
  if (offer) {
    const fresh = host.store.updateMeta((m) => void (m.forgetOffer = null)) ?? meta;
    if (Date.now() - offer.at < OFFER_TTL_MS && isForgetRequest(message.content)) {
      const m = schema.contactMemories;
      const tdb = host.tdb(fresh);
      const res = await tdb
        .delete(m, and(eq(m.contactId, fresh.contactId), inArray(m.id, offer.ids)) ?? eq(m.contactId, fresh.contactId))
        .run();
      const removed = res.meta.changes ?? 0;
      await audit(tdb, {
        actorType: "contact",
        actorId: fresh.contactId,
        action: "memory.forget",
        targetType: "contact",
        targetId: fresh.contactId,
        detail: { removed, conversationId: fresh.conversationId },
      });
      await host.append({
        type: "note",
        senderType: "bot",
        senderId: null,
        senderName: "Assistant",
        content: `The customer asked us to forget what we remembered about them; ${removed} remembered fact(s) deleted.`,
        internal: { memoryForget: removed },
      });
      await sendOutgoing(host, fresh, { content: forgetOutcomeReply(language, true) });
      return true;
    }
    if (Date.now() - offer.at < OFFER_TTL_MS && isKeepAnswer(message.content)) {
      await sendOutgoing(host, fresh, { content: forgetOutcomeReply(language, false) });
      return true;
    }
  }
  if (!isProvenanceQuestion(message.content)) return false;
  const all = await memoriesWithProvenance(host.tdb(meta), meta.contactId, Date.now());
  if (all.length === 0) return false;
  const lastBot =
    host.store
      .recent(10)
      .filter((m) => m.type === "outgoing" && m.senderType === "bot")
      .pop()?.content ?? null;
  const items = relevantMemories(all, lastBot);
  const reply = provenanceReply(language, items);
  const fresh =
    host.store.updateMeta((m) => void (m.forgetOffer = { ids: items.map((i) => i.id), at: Date.now() })) ?? meta;
  await sendOutgoing(host, fresh, { content: reply.text, buttons: reply.buttons });
  return true;
}
