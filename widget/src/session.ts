/**
 * The widget's HTTP side: `POST /api/widget/session` (who the visitor is, which
 * conversation, how the widget looks) and `POST /api/widget/upload`. The visitor
 * token lives in localStorage so a reload resumes the same visitor and conversation.
 */
import { z } from "zod";
import { AttachmentRef } from "../../workers/protocol/frames.ts";
import { AttachmentLinks, WidgetSessionSchema } from "../../workers/protocol/widget.ts";
import type { Lang } from "./i18n.ts";

/** The session response, as the route defines it (workers/protocol/widget.ts). */
export const SessionResponse = WidgetSessionSchema;
export type Session = z.infer<typeof SessionResponse>;
export type Identity = { email: string; name?: string; hash: string };

const StoredVisitor = z.object({ visitorId: z.string(), visitorToken: z.string() });

/**
 * Thrown for any non-2xx or malformed answer; `status` lets the UI tell 4xx from outages.
 * `notice` is the server's customer-facing sentence for a rate limit (already in the
 * visitor's language), shown as is.
 */
export class WidgetHttpError extends Error {
  status: number;
  notice: string | null;
  constructor(message: string, status: number, notice: string | null = null) {
    super(message);
    this.name = "WidgetHttpError";
    this.status = status;
    this.notice = notice;
  }
}

const RateLimited = z.object({ error: z.object({ code: z.literal("rate_limited"), message: z.string() }) });

export function readJson(key: string): unknown {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked (private mode, sandboxed frame): the chat still works, it just will not survive a reload.
  }
}

/** What the workspace asks the visitor to agree to before anything is stored (issue 20). */
export const ConsentAsk = z.object({ version: z.string(), text: z.string(), policyUrl: z.string().nullable() });
export type ConsentAsk = z.infer<typeof ConsentAsk>;
const ConsentRequiredBody = z.object({ error: z.object({ code: z.literal("consent_required"), details: ConsentAsk }) });

export class ConsentRequired extends Error {
  ask: ConsentAsk;
  constructor(ask: ConsentAsk) {
    super("consent required");
    this.name = "ConsentRequired";
    this.ask = ask;
  }
}

async function parseResponse<T>(res: Response, schema: z.ZodType<T>): Promise<T> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // handled below: an unreadable body is a malformed answer
  }
  if (res.status === 403) {
    const consent = ConsentRequiredBody.safeParse(body);
    if (consent.success) throw new ConsentRequired(consent.data.error.details);
  }
  if (!res.ok) {
    const limited = RateLimited.safeParse(body);
    throw new WidgetHttpError(`HTTP ${res.status}`, res.status, limited.success ? limited.data.error.message : null);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new WidgetHttpError("Malformed response", res.status);
  return parsed.data;
}

/** Creates or resumes the visitor's session; a stale stored token is dropped and retried once. */
export async function openSession(
  origin: string,
  widgetKey: string,
  language: Lang,
  identity: Identity | null,
  consent: { granted: true; version: string } | null = null,
): Promise<Session> {
  const storeKey = `omnisupport:visitor:${widgetKey}`;
  const stored = StoredVisitor.safeParse(readJson(storeKey));
  const attempt = async (resume: boolean): Promise<Session> => {
    const body = {
      widgetKey,
      language,
      ...(resume && stored.success ? stored.data : {}),
      ...(identity ? { identity } : {}),
      ...(consent ? { consent } : {}),
    };
    const res = await fetch(`${origin}/api/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return parseResponse(res, SessionResponse);
  };
  let session: Session;
  try {
    session = await attempt(true);
  } catch (err) {
    // A stale or foreign stored token is dropped; a rate limit is not a reason to become a new visitor.
    if (
      !(stored.success && err instanceof WidgetHttpError && err.status >= 400 && err.status < 500) ||
      err.status === 429
    )
      throw err;
    session = await attempt(false);
  }
  writeJson(storeKey, { visitorId: session.visitorId, visitorToken: session.visitorToken });
  return session;
}

export const UPLOAD_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

export async function uploadImage(origin: string, token: string, file: File): Promise<AttachmentRef> {
  const form = new FormData();
  form.append("file", file);
  const res = await fetch(`${origin}/api/widget/upload`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return parseResponse(res, AttachmentRef);
}

/** Signed, short-lived links to files of the visitor's own conversation. */
export async function attachmentLinks(origin: string, token: string, keys: string[]): Promise<AttachmentLinks> {
  const res = await fetch(`${origin}/api/widget/attachment-urls`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ keys }),
  });
  return parseResponse(res, AttachmentLinks);
}
