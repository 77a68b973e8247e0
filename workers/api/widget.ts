/**
 * /api/widget: the public endpoints of the chat widget. A session binds a visitor
 * (signed visitor token) to a contact and a conversation of the workspace named by
 * its public widget key; a host site may vouch for a logged-in customer with an HMAC.
 * Sessions write nothing and are rate-limited per client address: the contact and the
 * conversation are created by the room at the visitor's first message (issue 21, item 9).
 */
import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { hmacSha256, timingSafeEqualString, toHex } from "../lib/encoding.ts";
import { ApiError, badRequest, notFound, tooMany, unauthorized } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { decryptSecret } from "../lib/secrets.ts";
import { signVisitorToken, TokenError, verifyVisitorToken } from "../lib/tokens.ts";
import { effectiveSettings, readInboxOverrides, readSettings } from "../protocol/settings.ts";
import { WidgetSessionSchema } from "../protocol/widget.ts";
import { findVisitorThread, visitorThreadKey } from "../services/widget-visitors.ts";
import { customerText } from "../copy/customer.ts";
import { clientAddress } from "../lib/client-address.ts";
import { deskOpen, describeHours, isOpen } from "../../durable-objects/lib/business-hours.ts";
import { rateLimiterStub } from "../../durable-objects/stubs.ts";
import { presenceOf } from "../services/data-location.ts";
import { putAttachment } from "../services/attachment-store.ts";
import { WIDGET_SESSIONS_PER_MINUTE } from "../../durable-objects/lib/visitor-limits.ts";
import { FORM_OVERHEAD_BYTES, payloadTooLarge, readMultipartForm } from "./form.ts";
import { jsonBody, newApp, ok, z } from "./openapi.ts";
import { toBusinessHours } from "../lib/hours.ts";
import { LanguageSchema } from "../protocol/vocabulary.ts";
import { consentText } from "../copy/consent.ts";

const SessionBody = z.object({
  widgetKey: z.string().min(1).max(100),
  visitorToken: z.string().max(2000).optional(),
  language: LanguageSchema.optional(),
  identity: z
    .object({
      email: z.email().max(254),
      name: z.string().max(120).optional(),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
    })
    .optional(),
  /** The visitor agreed to this version of the consent text (issue 20). */
  consent: z.object({ granted: z.literal(true), version: z.string().min(1).max(40) }).optional(),
});

const SessionOut = WidgetSessionSchema;

const ATTACHMENT_TYPES: Record<string, number[]> = {
  "image/png": [0x89, 0x50, 0x4e, 0x47],
  "image/jpeg": [0xff, 0xd8, 0xff],
  "image/gif": [0x47, 0x49, 0x46],
  "image/webp": [0x52, 0x49, 0x46, 0x46],
};
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** Sniffs the image type from its first bytes; the declared type is not trusted. */
export function sniffImage(bytes: Uint8Array): string | null {
  for (const [type, magic] of Object.entries(ATTACHMENT_TYPES)) {
    if (magic.every((b, i) => bytes[i] === b)) {
      if (type === "image/webp" && String.fromCharCode(...bytes.slice(8, 12)) !== "WEBP") continue;
      return type;
    }
  }
  return null;
}

/**
 * One more widget session for this client address and widget's workspace? The Workers
 * Rate Limiting binding in production, the LocalRateLimiter object locally (issue 21, 9).
 */
async function sessionAllowed(env: Env, key: string): Promise<boolean> {
  if (env.WIDGET_SESSION_LIMITER) return (await env.WIDGET_SESSION_LIMITER.limit({ key })).success;
  return rateLimiterStub(env, `widget-session|${key}`).limit(WIDGET_SESSIONS_PER_MINUTE, 60);
}

const sessionRoute = createRoute({
  method: "post",
  path: "/session",
  tags: ["widget"],
  summary: "Start or resume a widget session (public; identified by the widget key)",
  request: jsonBody(SessionBody),
  responses: ok(SessionOut),
});

const uploadRoute = createRoute({
  method: "post",
  path: "/upload",
  tags: ["widget"],
  summary: "Upload an image for the visitor's conversation (Bearer visitor token; multipart field `file`)",
  responses: ok(z.object({ key: z.string(), name: z.string(), mimeType: z.string(), size: z.number() })),
});

export const widgetApp = newApp()
  .openapi(sessionRoute, async (c) => {
    const body = c.req.valid("json");
    const db = rawDb(c.env.DB);
    const ws = await db.select().from(schema.workspaces).where(eq(schema.workspaces.widgetKey, body.widgetKey)).get();
    if (!ws) throw notFound("Widget");
    if (!(await sessionAllowed(c.env, `${ws.id}|${clientAddress(c.req.raw.headers)}`)))
      throw tooMany(customerText(body.language, "tooManySessions"), 60);
    const tdb = new TenantDb(db, ws.id);
    const inbox = await tdb.first(schema.inboxes, eq(schema.inboxes.channel, "widget"));
    if (!inbox) throw notFound("Widget inbox");
    const settings = effectiveSettings(readSettings(ws.settings), readInboxOverrides(inbox.settings));

    let verifiedEmail: string | null = null;
    if (body.identity) {
      const secret = ws.identitySecretEnc
        ? await decryptSecret(ws.identitySecretEnc, c.var.config.decryptionKeys)
        : null;
      const expected = secret ? toHex(await hmacSha256(secret, body.identity.email.toLowerCase())) : "";
      if (!secret || !timingSafeEqualString(expected, body.identity.hash))
        throw unauthorized("Identity verification failed");
      verifiedEmail = body.identity.email.toLowerCase();
    }

    type Consent = { v: string; at: number; lang: string };
    let resumed: {
      visitorId: string;
      contactId: string;
      conversationId: string;
      verified: boolean;
      consent: Consent | null;
    } | null = null;
    if (body.visitorToken) {
      try {
        const v = await verifyVisitorToken(body.visitorToken, c.var.config.jwtSecret);
        if (v.ws === ws.id)
          resumed = {
            visitorId: v.vid,
            contactId: v.sub,
            conversationId: v.conv,
            verified: v.verified ?? false,
            consent: v.consent ?? null,
          };
      } catch (err) {
        if (!(err instanceof TokenError)) throw err;
      }
    }
    const hours = settings.businessHours ? toBusinessHours(settings.businessHours) : null;
    const within = hours ? isOpen(hours, new Date()) : true;
    const online = within ? 0 : await (await presenceOf(c.env, ws.id)).onlineCount();
    const answer = async (p: {
      visitorId: string;
      contactId: string;
      conversationId: string;
      verified: boolean;
      name?: string | null;
      consent?: Consent | null;
    }) => {
      const token = await signVisitorToken(c.var.config.jwtSecret, {
        ...p,
        workspaceId: ws.id,
        email: p.verified ? verifiedEmail : null,
      });
      return c.json(
        {
          visitorId: p.visitorId,
          visitorToken: token,
          conversationId: p.conversationId,
          socketPath: `/parties/conversation-room/${p.conversationId}`,
          appearance: settings.widget,
          businessHours: {
            open: deskOpen(within, online),
            description: hours ? describeHours(hours, body.language ?? "en") : "",
          },
        },
        200,
      );
    };
    // Nothing is written here: an existing conversation is resumed, otherwise the token
    // reserves ids and the room creates the rows at the visitor's first message.
    // Same visitor, no new identity: resume exactly the conversation the token names
    // (created by now, or still reserved).
    if (resumed && !verifiedEmail) {
      const conv = await tdb.first(schema.conversations, eq(schema.conversations.id, resumed.conversationId));
      return answer({ ...resumed, contactId: conv?.contactId ?? resumed.contactId });
    }
    // Consent before anything is stored: no contact, no conversation, no identity until then.
    const lang = body.language ?? "en";
    if (settings.consent.required && body.consent?.version !== settings.consent.version)
      throw new ApiError(403, "consent_required", "The visitor has not agreed to the processing of personal data", {
        version: settings.consent.version,
        text: consentText(settings.consent.texts, lang),
        policyUrl: settings.consent.policyUrl,
      });
    const visitorId = resumed?.visitorId ?? newId("v");
    const threadKey = visitorThreadKey(visitorId, verifiedEmail);
    const found = await findVisitorThread(tdb, inbox.id, threadKey);
    // Reserved ids are derived from the thread (and its generation), so every session of an
    // identified customer before the first message lands in the same reserved conversation.
    const reserve = async (kind: "conv" | "ct", generation: number) =>
      `${kind}_r${toHex(await hmacSha256(c.var.config.jwtSecret, `reserve|${kind}|${ws.id}|${threadKey}|${generation}`)).slice(0, 32)}`;
    // The consent travels in the token and is stored with the contact the room creates at
    // the first message; a contact that exists already (a returning customer) gets it now.
    const consent: Consent | null = body.consent
      ? { v: body.consent.version, at: Date.now(), lang }
      : (resumed?.consent ?? null);
    const existingContact = found.conversation?.contactId ?? found.contactId ?? null;
    if (body.consent && existingContact)
      await tdb.insert(schema.contactConsents, {
        id: newId("cns"),
        contactId: existingContact,
        channel: "widget",
        textVersion: body.consent.version,
        language: lang,
        granted: true,
      });
    return answer({
      consent: existingContact ? null : consent,
      visitorId,
      contactId: found.conversation?.contactId ?? found.contactId ?? (await reserve("ct", 0)),
      conversationId: found.conversation?.id ?? (await reserve("conv", found.generation)),
      verified: Boolean(verifiedEmail),
      name: body.identity?.name ?? null,
    });
  })
  .openapi(uploadRoute, async (c) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!match?.[1]) throw unauthorized();
    let v;
    try {
      v = await verifyVisitorToken(match[1], c.var.config.jwtSecret);
    } catch {
      throw unauthorized("Invalid visitor token");
    }
    const form = await readMultipartForm(c.req.raw, {
      maxBytes: MAX_ATTACHMENT_BYTES + FORM_OVERHEAD_BYTES,
      tooLarge: `Files are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
      notForm: "Send the image as multipart/form-data in the field `file`",
    });
    const file = form.get("file");
    if (!file || typeof file === "string") throw badRequest("Missing file", [{ path: "file", message: "Required" }]);
    if (file.size > MAX_ATTACHMENT_BYTES)
      throw payloadTooLarge(`Files are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const type = sniffImage(bytes);
    if (!type) throw badRequest("Only PNG, JPEG, GIF and WebP images are accepted");
    const name = (file.name || "image").replace(/[^\w.\- ]+/g, "_").slice(0, 120);
    const key = `${v.ws}/${v.conv}/${newId("att")}-${name}`;
    await putAttachment(c.env, v.ws, key, bytes, {
      contentType: type,
      custom: { conversationId: v.conv, contactId: v.sub, name },
    });
    return c.json({ key, name, mimeType: type, size: bytes.length }, 200);
  });
