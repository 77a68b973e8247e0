/**
 * Outbound delivery consumer (queue `omnisupport-outbound`). The ConversationRoom enqueues
 * a `deliver` message for every reply to an external channel; here it is rendered for
 * the channel (Telegram inline keyboard, WhatsApp buttons or a template outside the
 * 24-hour window, Messenger quick replies, threaded email), sent, and the provider's id
 * is stored on our message so status webhooks can find it. Retryable failures go back
 * to the queue with backoff (Retry-After honoured); permanent ones are marked failed and
 * dead-lettered at once; exhausted retries reach the DLQ consumer (./dead-letter.ts).
 */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { schema } from "../db/client.ts";
import type { OutboundMessage } from "../channels/types.ts";
import { ChannelSendError } from "../channels/common/errors.ts";
import { classifySendError, nextRetryDelayMs, type RetryPolicy } from "../channels/common/retry.ts";
import { telegramSend } from "../channels/telegram/send.ts";
import { isWithinCustomerServiceWindow, whatsappSend, whatsappSendTemplate } from "../channels/whatsapp/send.ts";
import { messengerSend } from "../channels/messenger/send.ts";
import { sendEmailReply } from "../email/reply.ts";
import { loadInbox, settingString, type OpenInbox } from "../webhooks/inbox.ts";
import { roomOf } from "../services/data-location.ts";
import { markDeliveryFailed, recordDeadLetter } from "./dead-letter.ts";
import { ChannelSchema } from "../protocol/vocabulary.ts";
import { renderForChannel } from "../flows/render.ts";

/** Body of a `deliver` message, as the ConversationRoom sends it. */
export const DeliverBody = z.object({
  kind: z.literal("deliver"),
  workspaceId: z.string().min(1),
  conversationId: z.string().min(1),
  messageId: z.string().min(1),
  inboxId: z.string().min(1),
  channel: ChannelSchema,
  threadKey: z.string().min(1),
  text: z.string(),
  buttons: z.array(z.object({ title: z.string(), payload: z.string() })).optional(),
  attempt: z.number().int().nonnegative().default(0),
});
export type DeliverBody = z.infer<typeof DeliverBody>;

/** Backoff between attempts: exponential from 2 s, capped at 5 min, full jitter. */
export const OUTBOUND_RETRY_POLICY: RetryPolicy = { baseMs: 2_000, maxMs: 5 * 60_000, jitter: "full" };

/** Cloudflare Queues accepts retry delays up to 12 hours. */
const MAX_DELAY_SECONDS = 12 * 60 * 60;

/** Customer's latest inbound message time, for the WhatsApp customer-service window. */
async function lastInboundAt(open: OpenInbox, conversationId: string): Promise<number | null> {
  const m = schema.messages;
  const rows = await open.tdb.select(m, and(eq(m.conversationId, conversationId), eq(m.type, "incoming")), {
    orderBy: desc(m.createdAt),
    limit: 1,
  });
  return rows[0]?.createdAt ?? null;
}

/** The WhatsApp template configured for re-opening a closed window (`settings.reengagementTemplate`). */
function reengagementTemplate(open: OpenInbox): { name: string; languageCode: string } | null {
  const parsed = z
    .object({ name: z.string().min(1), languageCode: z.string().min(1) })
    .safeParse(open.inbox.settings.reengagementTemplate);
  return parsed.success ? parsed.data : null;
}

function missing(channel: DeliverBody["channel"], what: string): ChannelSendError {
  return new ChannelSendError(`${channel} inbox has no ${what}`, { channel, status: 0, retryable: false });
}

/** Render and send one message on its channel; returns the provider's message id. */
export async function sendOnChannel(env: Env, open: OpenInbox, body: DeliverBody, now: number): Promise<string> {
  // Flow options beyond what the channel draws (and all of them on email) become numbered text.
  const rendered = renderForChannel(body.channel, body.text, body.buttons ?? []);
  const msg: OutboundMessage = {
    text: rendered.text,
    ...(rendered.buttons.length > 0 ? { buttons: rendered.buttons } : {}),
  };
  const s = open.secrets;
  switch (body.channel) {
    case "telegram": {
      if (!s.botToken) throw missing("telegram", "bot token");
      return (await telegramSend(fetch, { token: s.botToken }, body.threadKey, msg)).providerMessageId;
    }
    case "whatsapp": {
      const phoneNumberId = settingString(open.inbox, "phoneNumberId");
      if (!s.accessToken || !phoneNumberId) throw missing("whatsapp", "access token or phone number id");
      const cfg = { token: s.accessToken, phoneNumberId };
      if (isWithinCustomerServiceWindow(await lastInboundAt(open, body.conversationId), now)) {
        return (await whatsappSend(fetch, cfg, body.threadKey, msg)).providerMessageId;
      }
      // Outside 24 hours Meta rejects free-form text; only an approved template may re-open the chat.
      const template = reengagementTemplate(open);
      if (!template)
        throw new ChannelSendError("whatsapp: the 24-hour window is closed and no reengagementTemplate is configured", {
          channel: "whatsapp",
          status: 0,
          code: "window_closed",
          retryable: false,
        });
      return (await whatsappSendTemplate(fetch, cfg, body.threadKey, template)).providerMessageId;
    }
    case "messenger": {
      if (!s.pageAccessToken) throw missing("messenger", "page access token");
      return (await messengerSend(fetch, { pageAccessToken: s.pageAccessToken }, body.threadKey, msg))
        .providerMessageId;
    }
    case "email":
      return (
        await sendEmailReply(env, open, {
          conversationId: body.conversationId,
          messageId: body.messageId,
          threadKey: body.threadKey,
          text: msg.text,
        })
      ).providerMessageId;
    case "widget":
      throw new ChannelSendError("widget messages are delivered over the socket, not the queue", {
        channel: "widget",
        status: 0,
        retryable: false,
      });
  }
}

/** What happened to one queue message. */
export type DeliveryOutcome =
  | { kind: "sent"; providerMessageId: string }
  | { kind: "skipped"; reason: string }
  | { kind: "retry"; delaySeconds: number; error: string }
  | { kind: "failed"; error: string };

/**
 * Deliver one message. `attempts` is the queue's 1-based attempt counter. Idempotent:
 * a message that already carries a provider id was sent by an earlier attempt.
 */
export async function deliverOne(
  env: Env,
  body: DeliverBody,
  attempts: number,
  now = Date.now(),
): Promise<DeliveryOutcome> {
  const open = await loadInbox(env, body.workspaceId, body.inboxId);
  if (!open) return { kind: "failed", error: "inbox missing or disabled" };
  const stored = await open.tdb.first(schema.messages, eq(schema.messages.id, body.messageId));
  if (stored?.channelMessageId) return { kind: "skipped", reason: "already sent" };
  let providerMessageId: string;
  try {
    providerMessageId = await sendOnChannel(env, open, body, now);
  } catch (err) {
    const decision = classifySendError(err);
    const error = err instanceof Error ? err.message.slice(0, 500) : "unknown error";
    if (!decision.retryable) return { kind: "failed", error };
    const delayMs = nextRetryDelayMs(Math.max(0, attempts - 1), OUTBOUND_RETRY_POLICY, decision.retryAfterMs);
    return { kind: "retry", delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(delayMs / 1000))), error };
  }
  // The room mirrors messages with an upsert that leaves these two columns alone.
  await open.tdb.update(
    schema.messages,
    { inboxId: body.inboxId, channelMessageId: providerMessageId, deliveryError: null },
    eq(schema.messages.id, body.messageId),
  );
  await (await roomOf(env, body.workspaceId, body.conversationId)).delivery(body.messageId, "sent");
  return { kind: "sent", providerMessageId };
}

/** Queue consumer for `omnisupport-outbound`. */
export async function handleOutboundBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = DeliverBody.safeParse(msg.body);
    if (!parsed.success) {
      // Not something the room produces: keep it for an admin rather than loop on it.
      await recordDeadLetter(env, {
        queue: batch.queue,
        messageId: msg.id,
        body: msg.body,
        error: "unrecognised outbound message",
        attempts: msg.attempts,
      });
      msg.ack();
      continue;
    }
    try {
      const outcome = await deliverOne(env, parsed.data, msg.attempts);
      if (outcome.kind === "retry") {
        msg.retry({ delaySeconds: outcome.delaySeconds });
        continue;
      }
      if (outcome.kind === "failed") {
        await markDeliveryFailed(env, parsed.data, outcome.error);
        await recordDeadLetter(env, {
          queue: batch.queue,
          messageId: msg.id,
          body: parsed.data,
          error: outcome.error,
          attempts: msg.attempts,
        });
      }
      msg.ack();
    } catch (err) {
      // Our own bookkeeping failed (D1, the room): the send may be retried; deliverOne is idempotent.
      console.error("outbound delivery error", err instanceof Error ? err.message : "unknown");
      msg.retry({
        delaySeconds: Math.max(
          1,
          Math.ceil(nextRetryDelayMs(Math.max(0, msg.attempts - 1), OUTBOUND_RETRY_POLICY) / 1000),
        ),
      });
    }
  }
}
