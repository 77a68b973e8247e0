/**
 * Per-channel rendering of a message with options. The senders in workers/channels turn
 * buttons into each provider's widget (Telegram inline keyboard, WhatsApp reply buttons
 * up to 3 and a list up to 10, Messenger quick replies up to 13); beyond what a channel
 * can draw, and on email, the options become plain text with numbers, and the interpreter
 * accepts the number as the answer. Forms already ask one field at a time everywhere.
 */
import { BUTTON_PREFIX } from "./engine.ts";

export type RenderChannel = "widget" | "telegram" | "whatsapp" | "messenger" | "email";

/** The most options each channel can draw as buttons (0 = none). */
export const MAX_BUTTONS: Record<RenderChannel, number> = {
  widget: 10,
  telegram: 10,
  whatsapp: 10,
  messenger: 13,
  email: 0,
};

const PROMPT: Record<string, string> = {
  en: "Reply with the number of your choice.",
  ru: "Ответьте номером варианта.",
  he: "השיבו עם מספר האפשרות.",
  es: "Responda con el número de su opción.",
  fr: "Répondez avec le numéro de votre choix.",
};

export interface Rendered {
  text: string;
  buttons: Array<{ title: string; payload: string }>;
}

/**
 * What to send on `channel`. Only flow options fall back to numbered text: other buttons
 * (action confirmations) keep their channel behaviour.
 */
export function renderForChannel(
  channel: RenderChannel,
  text: string,
  buttons: ReadonlyArray<{ title: string; payload: string }>,
  language: string | null = null,
): Rendered {
  if (buttons.length === 0) return { text, buttons: [] };
  const flowOptions = buttons.every((b) => b.payload.startsWith(BUTTON_PREFIX));
  if (buttons.length <= MAX_BUTTONS[channel] || !flowOptions) return { text, buttons: [...buttons] };
  const list = buttons.map((b, i) => `${i + 1}. ${b.title}`).join("\n");
  const prompt = PROMPT[language ?? "en"] ?? PROMPT.en;
  return { text: `${text}\n\n${list}\n\n${prompt}`, buttons: [] };
}
