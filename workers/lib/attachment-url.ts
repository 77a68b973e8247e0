/**
 * Signed, short-lived links to attachments in R2. An `<img src>` cannot send a bearer
 * token, so the widget and the dashboard first ask for a link (authenticated as the
 * visitor or the operator, checked against the conversation) and then load it with no
 * credentials. The signature binds the object key, the conversation it was issued for
 * and the expiry, so a link cannot be stretched in time or pointed at another file.
 *
 * Hand-written rather than a JWT library: three fields and one HMAC; the JWT helpers
 * in tokens.ts are for identities and would accept their tokens here if shared, so the
 * signed text carries its own purpose prefix.
 */
import { fromBase64Url, hmacSha256, timingSafeEqualBytes, toBase64Url } from "./encoding.ts";

/** Links live ten minutes: long enough to render a conversation, short enough that a leaked link soon dies. */
export const ATTACHMENT_URL_TTL_MS = 10 * 60_000;

export interface AttachmentGrant {
  key: string;
  conversationId: string;
  expiresAt: number;
}

const PURPOSE = "omnisupport.attachment.v1:";

async function mac(secret: string, payload: string): Promise<Uint8Array> {
  return hmacSha256(secret, PURPOSE + payload);
}

/** The token that goes into `/api/files/<token>`. */
export async function signAttachment(secret: string, grant: AttachmentGrant): Promise<string> {
  const payload = toBase64Url(
    new TextEncoder().encode(JSON.stringify({ k: grant.key, c: grant.conversationId, e: grant.expiresAt })),
  );
  return `${payload}.${toBase64Url(await mac(secret, payload))}`;
}

export type VerifyResult =
  { ok: true; grant: AttachmentGrant } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

/** Checks signature (constant time) and expiry; never trusts the payload before the signature. */
export async function verifyAttachment(secret: string, token: string, now: number): Promise<VerifyResult> {
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined || payload.length > 2000) return { ok: false, reason: "malformed" };
  let given: Uint8Array;
  try {
    given = fromBase64Url(sig);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!timingSafeEqualBytes(given, await mac(secret, payload))) return { ok: false, reason: "bad_signature" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    !("k" in parsed && "c" in parsed && "e" in parsed) ||
    typeof parsed.k !== "string" ||
    typeof parsed.c !== "string" ||
    typeof parsed.e !== "number"
  )
    return { ok: false, reason: "malformed" };
  if (parsed.e <= now) return { ok: false, reason: "expired" };
  return { ok: true, grant: { key: parsed.k, conversationId: parsed.c, expiresAt: parsed.e } };
}

/**
 * Whether `key` may be shown in `conversationId` of `workspaceId`: files uploaded into
 * or copied for the conversation live under `<workspace>/<conversation>/`; anything else
 * (an email attachment under `<workspace>/email/`) must be named by one of the
 * conversation's own messages (`knownKeys`).
 */
export function keyBelongsTo(
  key: string,
  scope: { workspaceId: string; conversationId: string },
  knownKeys: ReadonlySet<string> = new Set(),
): boolean {
  if (key.includes("..")) return false;
  return key.startsWith(`${scope.workspaceId}/${scope.conversationId}/`) || knownKeys.has(key);
}
