/**
 * The one shape every channel normalises to. Webhook handlers verify, parse into this,
 * dedupe on (inboxId, channelMessageId) and hand it to the conversation's Durable Object.
 */
import { type Channel } from "../protocol/vocabulary.ts";
export type ChannelKind = Channel;

export interface InboundAttachment {
  kind: "image" | "file" | "audio" | "video" | "location";
  /** Provider's file reference (Telegram file_id, WhatsApp media id, Messenger URL, email part index). */
  providerRef?: string;
  url?: string;
  mimeType?: string;
  fileName?: string;
  size?: number;
  /** Inline bytes when the provider delivered them in the payload (email parts). */
  content?: Uint8Array;
  latitude?: number;
  longitude?: number;
  caption?: string;
}

export interface InboundSender {
  /** Stable id of the sender on this channel (Telegram user id, WhatsApp wa_id, PSID, email address). */
  externalId: string;
  name?: string;
  username?: string;
  phone?: string;
  email?: string;
  languageCode?: string;
}

export interface InboundMessage {
  channel: ChannelKind;
  /** The provider's id for this message/event; unique per inbox, used for dedupe. */
  channelMessageId: string;
  /** Conversation key on the provider side (Telegram chat id, wa_id, PSID, email thread root). */
  threadKey: string;
  sender: InboundSender;
  text: string;
  attachments: InboundAttachment[];
  /** Epoch milliseconds of the provider's timestamp. */
  sentAt: number;
  /** Provider id of the message this one replies to, when any. */
  replyToChannelMessageId?: string;
  /** A button press: confirmation of a pending action, quick reply or postback payload. */
  action?: {
    kind: "button" | "quick_reply" | "postback" | "list_reply";
    payload: string;
    title?: string;
    /** Deep-link referral that opened the thread (Messenger m.me `ref`), when any. */
    ref?: string;
  };
  /** An edit of an earlier message (Telegram edited_message). */
  editOf?: string;
  /** Email only: RFC 5322 threading headers. */
  email?: {
    subject?: string;
    messageId?: string;
    inReplyTo?: string;
    references?: string[];
    autoReply?: boolean;
    bounce?: boolean;
  };
}

/** Delivery status updates (WhatsApp statuses, Messenger delivery/read). */
export interface DeliveryStatusUpdate {
  channel: ChannelKind;
  channelMessageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  at: number;
  error?: string;
  /**
   * Watermark statuses (Messenger delivery/read): every outbound message in `threadKey`
   * sent at or before `upTo` (epoch ms) has this status; channelMessageId is then synthetic.
   */
  watermark?: { threadKey: string; upTo: number };
}

/** Outcome of parsing one webhook body: zero or more messages and statuses. */
export interface ParsedWebhook {
  messages: InboundMessage[];
  statuses: DeliveryStatusUpdate[];
  /** Events we understood but deliberately ignore (e.g. Messenger echoes), for logs. */
  ignored: string[];
}

/** What the agent or an operator sends out; each channel's send.ts renders it natively. */
export interface OutboundMessage {
  text: string;
  /** Buttons for confirming actions or quick replies; payload comes back as `action.payload`. */
  buttons?: Array<{ title: string; payload: string }>;
  attachments?: Array<{ url: string; mimeType?: string; fileName?: string }>;
  /** Reply threading (Telegram reply_to_message_id, WhatsApp context, email In-Reply-To). */
  replyToChannelMessageId?: string;
}
