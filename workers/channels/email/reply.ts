/**
 * Outbound email for the delivery queue: a threaded reply to the conversation's last
 * inbound email, sent through the `send_email` binding. Threading headers point at the
 * customer's last Message-ID and the thread root, so their client files our answer
 * under the original conversation and their next reply threads back to it.
 */
import { EmailMessage } from "cloudflare:email";
import { and, desc, eq } from "drizzle-orm";
import { schema } from "../../db/client.ts";
import { buildReplyMime, newMessageId } from "./send.ts";
import { ChannelSendError } from "../common/errors.ts";
import { settingString, type OpenInbox } from "../../webhooks/inbox.ts";

/** What the consumer knows about the message to send. */
export interface EmailReplyInput {
  conversationId: string;
  messageId: string;
  threadKey: string;
  text: string;
}

function permanent(message: string): ChannelSendError {
  return new ChannelSendError(message, { channel: "email", status: 0, retryable: false });
}

/**
 * Send `input.text` as a reply in the conversation's thread. Returns our Message-ID,
 * which later replies quote in In-Reply-To. Throws ChannelSendError: permanent when the
 * inbox or recipient is unusable, retryable when the binding itself failed.
 */
export async function sendEmailReply(
  env: Env,
  open: OpenInbox,
  input: EmailReplyInput,
): Promise<{ providerMessageId: string }> {
  const { tdb, inbox } = open;
  const address = settingString(inbox, "address");
  if (!address) throw permanent("email inbox has no address");
  const conv = await tdb.first(schema.conversations, eq(schema.conversations.id, input.conversationId));
  if (!conv) throw permanent("conversation not found");
  const identity = await tdb.first(schema.contactIdentities, eq(schema.contactIdentities.id, conv.identityId));
  const to = identity?.email ?? identity?.externalId;
  if (!to || !to.includes("@")) throw permanent("conversation has no customer email address");
  const m = schema.messages;
  const lastInbound = await tdb.select(m, and(eq(m.conversationId, conv.id), eq(m.type, "incoming")), {
    orderBy: desc(m.seq),
    limit: 1,
  });
  const outgoing = await tdb.first(m, eq(m.id, input.messageId));
  const fromName = settingString(inbox, "fromName");
  const domain = address.split("@")[1] ?? "omnisupport.invalid";
  const messageId = newMessageId(domain);
  const raw = buildReplyMime({
    from: fromName ? { name: fromName, address } : address,
    to,
    subject: conv.subject ?? "Your request",
    text: input.text,
    ...(lastInbound[0]?.channelMessageId ? { inReplyTo: lastInbound[0].channelMessageId } : {}),
    references: [input.threadKey],
    messageId,
    // RFC 3834: an answer nobody reviewed must not trigger the customer's autoresponder.
    autoSubmitted: outgoing?.senderType === "bot",
  });
  try {
    await env.EMAIL.send(new EmailMessage(address, to, raw));
  } catch (err) {
    throw new ChannelSendError(`email send failed: ${err instanceof Error ? err.message : String(err)}`, {
      channel: "email",
      status: 0,
      retryable: true,
    });
  }
  return { providerMessageId: messageId };
}
