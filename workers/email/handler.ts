/**
 * Inbound email (Email Workers): raw MIME → parse → the email inbox addressed → inline
 * attachments to R2 → the intake journal → the conversation. Threading is by the root
 * Message-ID (References/In-Reply-To), so a whole reply chain is one conversation.
 * Auto-replies and bounces are journaled but never reach the room, so they are never
 * answered (answering them starts mail loops).
 */
import { parseEmail } from "../channels/email/parse.ts";
import { WebhookParseError } from "../channels/common/errors.ts";
import type { InboundMessage } from "../channels/types.ts";
import { newId } from "../lib/ids.ts";
import { findEmailInbox } from "../webhooks/inbox.ts";
import { toIntakeEvents, type StoredAttachment } from "../../durable-objects/intake/journal.ts";
import { intakeOf } from "../services/data-location.ts";
import { putAttachment } from "../services/attachment-store.ts";

/** Cloudflare's Email Routing limit is 25 MiB; refuse anything larger before buffering it. */
const MAX_EMAIL_BYTES = 25 * 1024 * 1024;

/** What the handler needs of the runtime's ForwardableEmailMessage (tests pass a plain object). */
export type InboundEmail = Pick<ForwardableEmailMessage, "from" | "to" | "raw" | "rawSize" | "setReject">;

/** Outcome, for logs and tests. */
export type EmailOutcome = "rejected" | "duplicate" | "accepted";

async function storeParts(env: Env, workspaceId: string, msg: InboundMessage): Promise<StoredAttachment[]> {
  const out: StoredAttachment[] = [];
  for (const a of msg.attachments) {
    if (!a.content) continue;
    const name =
      (a.fileName ?? `part-${a.providerRef ?? out.length}`).replace(/[^\w.\- ]+/g, "_").slice(0, 120) || "file";
    const key = `${workspaceId}/email/${newId("att")}-${name}`;
    const mimeType = a.mimeType ?? "application/octet-stream";
    await putAttachment(env, workspaceId, key, a.content, { contentType: mimeType, custom: { channel: "email" } });
    out.push({ key, name, mimeType, size: a.content.length });
  }
  return out;
}

/**
 * Handle one inbound email. Unknown recipients and unreadable mail are rejected (the
 * sender gets a bounce); everything else is journaled, then processed in this invocation.
 */
export async function receiveEmail(message: InboundEmail, env: Env): Promise<EmailOutcome> {
  if (message.rawSize > MAX_EMAIL_BYTES) {
    message.setReject("Message too large");
    return "rejected";
  }
  const open = await findEmailInbox(env, message.to);
  if (!open) {
    message.setReject("Unknown recipient");
    return "rejected";
  }
  const raw = new Uint8Array(await new Response(message.raw).arrayBuffer());
  let parsed: InboundMessage;
  try {
    parsed = await parseEmail(raw);
  } catch (err) {
    if (!(err instanceof WebhookParseError)) throw err;
    message.setReject("Unreadable message");
    return "rejected";
  }
  // The envelope sender is authoritative when the From header is missing.
  if (!parsed.sender.email && message.from)
    parsed.sender = { ...parsed.sender, externalId: message.from.toLowerCase(), email: message.from.toLowerCase() };
  // Seen before: skip before copying parts so redelivery leaves no orphaned objects in R2.
  const intake = await intakeOf(env, open.tdb.workspaceId, open.inbox.id);
  if (await intake.seen("message", parsed.channelMessageId)) return "duplicate";
  const stored = await storeParts(env, open.tdb.workspaceId, parsed);
  const { accepted } = await intake.accept(
    open.tdb.workspaceId,
    open.inbox.id,
    toIntakeEvents({ messages: [parsed], statuses: [] }, stored),
  );
  return accepted.length === 0 ? "duplicate" : "accepted";
}

/** The Worker's `email` handler. */
export async function handleEmail(message: ForwardableEmailMessage, env: Env, _ctx: ExecutionContext): Promise<void> {
  await receiveEmail(message, env);
}
