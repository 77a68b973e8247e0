/**
 * The product's closed vocabularies, defined once: channels, languages, conversation
 * statuses, turn owners and priorities. Each is a readonly tuple (for drizzle column
 * enums, loops and UI pickers) and a zod enum of the same tuple (for wire schemas).
 * Server, dashboard and widget import them from here; nothing re-declares the literals.
 */
import { z } from "zod";

/** Every channel a conversation can arrive on. */
export const CHANNELS = ["widget", "telegram", "whatsapp", "messenger", "email"] as const;
export type Channel = (typeof CHANNELS)[number];
export const ChannelSchema = z.enum(CHANNELS);

/** Languages the router, the widget and the templates support. */
export const LANGUAGES = ["en", "ru", "he", "es", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LanguageSchema = z.enum(LANGUAGES);

/** A conversation's lifecycle. */
export const CONVERSATION_STATUSES = ["open", "pending", "snoozed", "resolved"] as const;

/** Who holds the turn: the bot, a human operator, or the queue waiting for one. */
export const TURN_OWNERS = ["bot", "human", "queue"] as const;

/** Conversation priority, lowest first (the order is the queue's rank). */
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
