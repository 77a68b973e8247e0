/**
 * zod schemas for the parts of the Telegram Bot API `Update` we read. Lenient on purpose:
 * unknown keys are dropped, rarely-present fields optional (the official docs' own
 * examples omit `chat_instance` and put `type` inside `from`).
 */
import { z } from "zod";

export const TgUser = z.object({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

export const TgChat = z.object({
  id: z.number(),
  type: z.string().optional(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});

const TgFile = z.object({
  file_id: z.string(),
  file_unique_id: z.string().optional(),
  file_size: z.number().optional(),
  mime_type: z.string().optional(),
  file_name: z.string().optional(),
});

export const TgPhotoSize = TgFile.extend({ width: z.number(), height: z.number() });

/** Fields common to a message and the message it replies to. */
const TgMessageCore = z.object({
  message_id: z.number(),
  date: z.number(),
  chat: TgChat,
  from: TgUser.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
});

export const TgMessage = TgMessageCore.extend({
  edit_date: z.number().optional(),
  photo: z.array(TgPhotoSize).optional(),
  document: TgFile.optional(),
  voice: TgFile.extend({ duration: z.number().optional() }).optional(),
  audio: TgFile.extend({ duration: z.number().optional(), title: z.string().optional() }).optional(),
  video: TgFile.extend({ duration: z.number().optional() }).optional(),
  video_note: TgFile.optional(),
  sticker: TgFile.extend({ emoji: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  contact: z
    .object({
      phone_number: z.string(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
      user_id: z.number().optional(),
    })
    .optional(),
  reply_to_message: TgMessageCore.optional(),
});
export type TgMessage = z.infer<typeof TgMessage>;

export const TgCallbackQuery = z.object({
  id: z.string(),
  from: TgUser,
  message: TgMessageCore.optional(),
  inline_message_id: z.string().optional(),
  chat_instance: z.string().optional(),
  data: z.string().optional(),
});
export type TgCallbackQuery = z.infer<typeof TgCallbackQuery>;

/** The envelope: every update has an integer `update_id` and at most one payload key. */
export const TgUpdateEnvelope = z.object({ update_id: z.number().int() });
