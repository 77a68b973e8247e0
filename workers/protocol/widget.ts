/**
 * The widget's HTTP contract: what `POST /api/widget/session` answers. Shared by the
 * route (workers/api/widget.ts) and the widget (widget/src/session.ts), in plain zod so
 * the widget builds it with its light zod stand-in.
 */
import { z } from "zod";
import { LANGUAGE } from "./frames.ts";

/** How the widget looks; edited with the workspace settings (workers/protocol/settings.ts). */
export const WidgetAppearanceSchema = z.object({
  primaryColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default("#1f6feb"),
  position: z.enum(["right", "left"]).default("right"),
  title: z.string().max(60).default("Support"),
  greeting: z.string().max(280).default("Hi! How can we help?"),
  showPoweredBy: z.boolean().default(true),
  launcherIcon: z.enum(["chat", "help", "message"]).default("chat"),
  /** Title and greeting per visitor language; a language without its own falls back to the fields above. */
  texts: z
    .partialRecord(
      LANGUAGE,
      z.object({ title: z.string().max(60).optional(), greeting: z.string().max(280).optional() }),
    )
    .default({}),
});

export const WidgetSessionSchema = z.object({
  visitorId: z.string(),
  visitorToken: z.string(),
  conversationId: z.string(),
  socketPath: z.string(),
  appearance: WidgetAppearanceSchema,
  businessHours: z.object({ open: z.boolean(), description: z.string() }),
});

/** Signed, short-lived links to a conversation's attachments (staff and visitor routes answer the same). */
export const AttachmentLinks = z.object({
  items: z.array(z.object({ key: z.string(), url: z.string(), expiresAt: z.number() })),
});
export type AttachmentLinks = z.infer<typeof AttachmentLinks>;

/**
 * The close code of a visitor's socket pushed out by a newer one of the same visitor
 * (the room keeps a few per visitor: durable-objects/lib/visitor-limits.ts). The widget
 * does not reconnect such a socket, or the windows would push each other out in turn.
 */
export const CLOSE_TOO_MANY_SOCKETS = 4429;
