/**
 * The customer's cards that are not messages: the pre-chat form, the after-hours
 * request (seed 003's after-hours mode: collect the question and a callback, tell the
 * opening hours) and the CSAT/NPS rating at the end.
 *
 * Typed email and phone are claims, never links (issue 21, High 2): they are recorded
 * with any possible match for operators to confirm on the contact card.
 */
import { eq } from "drizzle-orm";
import { schema } from "../../workers/db/client.ts";
import { withWhen } from "../../workers/copy/customer.ts";
import { normalizePhone } from "../../workers/lib/phone.ts";
import type { ClientFrame } from "../../workers/protocol/frames.ts";
import { recordClaims } from "../../workers/services/contact-claims.ts";
import type { RoomHost } from "./host.ts";
import { replyWindowOf, sendOutgoing } from "./outgoing.ts";

type FormFrame = Extract<ClientFrame, { type: "form" }>;
type RatingFrame = Extract<ClientFrame, { type: "csat" } | { type: "nps" }>;

export async function submitForm(host: RoomHost, customerId: string, f: FormFrame): Promise<void> {
  const meta = await host.meta();
  if (!meta) return;
  const tdb = host.tdb(meta);
  const email = f.fields.email ? f.fields.email.toLowerCase() : null;
  // E.164 so an operator sees the same number as on the customer's WhatsApp/Telegram contact.
  const phone = f.fields.phone ? normalizePhone(f.fields.phone) : null;
  if (f.fields.name) {
    const name = f.fields.name;
    const contact = await tdb.first(schema.contacts, eq(schema.contacts.id, meta.contactId));
    if (contact && !contact.name)
      await tdb.update(schema.contacts, { name, updatedAt: Date.now() }, eq(schema.contacts.id, meta.contactId));
    host.store.updateMeta((m) => {
      m.contactName ??= name;
    });
  }
  if (email || phone) {
    const claims = await recordClaims(tdb, meta.contactId, meta.conversationId, { email, phone });
    const matches = claims.filter((c) => c.candidateContactId && c.status === "pending");
    if (matches.length)
      await host.append({
        type: "activity",
        senderType: "system",
        senderId: null,
        senderName: null,
        content: `Possible match: the customer typed ${matches.map((m) => `${m.field} ${m.value}`).join(" and ")} (not verified), which another contact has. Confirm on the contact card before treating them as the same person.`,
        internal: {
          possibleMatches: matches.map((m) => ({ claimId: m.id, candidateContactId: m.candidateContactId })),
        },
      });
  }
  if (f.form !== "after_hours") {
    await host.append({
      type: "activity",
      senderType: "contact",
      senderId: customerId,
      senderName: null,
      content: "Customer filled in the pre-chat form",
    });
    return;
  }
  const lines = [
    f.fields.name && `Name: ${f.fields.name}`,
    f.fields.email && `Email: ${f.fields.email}`,
    f.fields.phone && `Phone: ${f.fields.phone}`,
    f.fields.question && `Question: ${f.fields.question}`,
    f.fields.callback ? "Callback requested" : null,
  ].filter(Boolean);
  await host.append({
    type: "incoming",
    senderType: "contact",
    senderId: customerId,
    senderName: f.fields.name ?? meta.contactName,
    content: lines.join("\n"),
    internal: { form: "after_hours", callback: f.fields.callback ?? false },
  });
  const current = host.store.getMeta() ?? meta;
  await sendOutgoing(host, current, {
    content: withWhen(current.language, "afterHoursThanks", await replyWindowOf(host, current)),
  });
  if (current.turn.owner === "bot")
    await host.applyTurn(
      { type: "bot_handoff", teamId: current.teamId },
      "After-hours request waiting for the team",
      null,
    );
}

export type RatingResult = { ok: true } | { ok: false; code: string; message: string };

export async function rate(host: RoomHost, f: RatingFrame): Promise<RatingResult> {
  const meta = await host.meta();
  if (!meta) return { ok: false, code: "not_found", message: "Conversation not found" };
  if (!meta.csatRequested && meta.turn.status !== "resolved")
    return { ok: false, code: "not_requested", message: "Ratings are asked when the conversation ends" };
  const tdb = host.tdb(meta);
  const c = schema.conversations;
  if (f.type === "csat")
    await tdb.update(c, { csatScore: f.score, csatComment: f.comment ?? null }, eq(c.id, meta.conversationId));
  else await tdb.update(c, { npsScore: f.score }, eq(c.id, meta.conversationId));
  await host.append({
    type: "activity",
    senderType: "contact",
    senderId: meta.contactId,
    senderName: null,
    content:
      f.type === "csat"
        ? `Customer rated the conversation ${f.score}/5${f.comment ? `: ${f.comment}` : ""}`
        : `Customer gave NPS ${f.score}/10`,
  });
  if (f.type === "csat") await host.automationEvent("csat_received", `csat@${Date.now()}`, { csat: f.score });
  return { ok: true };
}
