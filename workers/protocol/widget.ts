/**
 * The widget's HTTP contract: what `POST /api/widget/session` answers. Shared by the
 * route (workers/api/widget.ts) and the widget (widget/src/session.ts), in plain zod so
 * the widget builds it with its light zod stand-in.
 */
import { z } from "zod";
import { WidgetAppearanceSchema } from "./settings.ts";

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
