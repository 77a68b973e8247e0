/**
 * zod schemas for Messenger Platform webhooks (`object: page`, `entry[].messaging[]`).
 * Attachment payloads vary by type, so every payload field is optional.
 */
import { z } from "zod";

const Referral = z.object({ ref: z.string().optional(), source: z.string().optional(), type: z.string().optional() });

export const MsAttachment = z.object({
  type: z.string(),
  payload: z
    .object({
      url: z.string().optional(),
      title: z.string().optional(),
      coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
    })
    .nullish(),
});

export const MsEvent = z.object({
  sender: z.object({ id: z.string().optional(), user_ref: z.string().optional() }),
  recipient: z.object({ id: z.string() }),
  timestamp: z.number(),
  message: z
    .object({
      mid: z.string(),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      reply_to: z.object({ mid: z.string() }).optional(),
      attachments: z.array(MsAttachment).optional(),
    })
    .optional(),
  postback: z
    .object({
      mid: z.string().optional(),
      title: z.string().optional(),
      payload: z.string().optional(),
      referral: Referral.optional(),
    })
    .optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number() }).optional(),
});
export type MsEvent = z.infer<typeof MsEvent>;

export const MsWebhook = z.object({
  object: z.literal("page"),
  entry: z.array(z.object({ id: z.string(), time: z.number().optional(), messaging: z.array(MsEvent).optional() })),
});
