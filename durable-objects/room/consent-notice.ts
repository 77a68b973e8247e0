/**
 * The first-message notice on messengers and email (issue 20, data rights 1). A widget
 * visitor can be asked before they write; a Telegram, WhatsApp, Messenger or email
 * contact has already written when we first hear of them. So their first message on a
 * channel without any consent record gets one short notice in their language (with the
 * workspace's policy link), and the basis "notice shown" is recorded with the text
 * version, time and channel — once per contact and channel, whichever of the contact's
 * conversations gets there first (a partial unique index decides; see schema-rights.ts).
 *
 * The notice leaves through `sendOutgoing`, like every other message to the customer, so
 * it is queued for delivery and its status tracked.
 */
import { and, eq } from "drizzle-orm";
import { schema } from "../../workers/db/client.ts";
import { newId } from "../../workers/lib/ids.ts";
import { copyLanguage } from "../../workers/copy/customer.ts";
import { noticeText } from "../../workers/copy/consent.ts";
import type { RoomHost } from "./host.ts";
import type { RoomMeta } from "./meta.ts";
import { sendOutgoing, settingsOf } from "./outgoing.ts";

/**
 * Contacts (and channels) this room has seen a consent record for. A record is never
 * withdrawn into "no record" (a refusal is a record too; erasure removes the contact and
 * its conversations with it), so once seen the question is settled for the room's life:
 * without this, every message of a conversation cost three D1 reads (settings twice,
 * consents) — most of the per-message regression the webhook benchmark showed.
 */
const settled = new WeakMap<RoomHost, Set<string>>();

/** Sends the notice if this contact has no consent record for this channel; returns whether it did. */
export async function firstMessageNotice(host: RoomHost, meta: RoomMeta, language: string | null): Promise<boolean> {
  if (meta.channel === "widget") return false;
  const key = `${meta.contactId}|${meta.channel}`;
  let known = settled.get(host);
  if (!known) settled.set(host, (known = new Set<string>()));
  if (known.has(key)) return false;
  const tdb = host.tdb(meta);
  const t = schema.contactConsents;
  const mine = and(eq(t.contactId, meta.contactId), eq(t.channel, meta.channel));
  if (await tdb.first(t, mine)) {
    known.add(key);
    return false;
  }
  // Asked only while no record exists: a workspace that turns the notice on later still
  // reaches contacts who have none.
  const { consent } = await settingsOf(host, meta);
  if (!consent.notice.enabled) return false;
  const lang = copyLanguage(language ?? meta.language);
  // Claim first: only one conversation of this contact on this channel may send it.
  const claimed = await tdb.db
    .insert(t)
    .values({
      id: newId("cns"),
      workspaceId: tdb.workspaceId,
      contactId: meta.contactId,
      channel: meta.channel,
      textVersion: consent.version,
      language: lang,
      granted: true,
      basis: "notice",
    })
    .onConflictDoNothing()
    .returning({ id: t.id });
  const claim = claimed[0];
  if (!claim) {
    known.add(key);
    return false;
  }
  try {
    await sendOutgoing(host, meta, {
      content: noticeText(consent.notice.texts, lang, consent.policyUrl),
      language: lang,
      // Per claim: a notice appended but never queued (the queue failed) is retried under a new key.
      idempotencyKey: `consent-notice:${claim.id}`,
    });
  } catch (err) {
    // Not shown: give the claim back so the contact's next message tries again.
    await tdb.delete(t, eq(t.id, claim.id));
    throw err;
  }
  known.add(key);
  return true;
}
