/**
 * The customer's self-service export link: a token binding workspace, contact and expiry,
 * HMAC-signed with its own purpose prefix (so no other token of the platform — session,
 * attachment link — is accepted here, nor this one there). Mailed to the address on file
 * only; opening it returns the same archive an admin gets.
 * Hand-written like attachment-url.ts: three fields and one HMAC.
 */
import { z } from "zod";
import { fromBase64Url, hmacSha256, timingSafeEqualBytes, toBase64Url } from "../lib/encoding.ts";

export const EXPORT_LINK_VALID_MS = 24 * 3600_000;
const PURPOSE = "omnisupport.contact-export-link.v1:";
const Payload = z.object({ w: z.string().min(1), c: z.string().min(1), e: z.number().int() });

export interface ExportGrant {
  workspaceId: string;
  contactId: string;
  expiresAt: number;
}

export async function signExportLink(secret: string, g: ExportGrant): Promise<string> {
  const payload = toBase64Url(
    new TextEncoder().encode(JSON.stringify({ w: g.workspaceId, c: g.contactId, e: g.expiresAt })),
  );
  return `${payload}.${toBase64Url(await hmacSha256(secret, PURPOSE + payload))}`;
}

/** The grant, or null for a malformed, forged or expired token (the caller answers 404 either way). */
export async function verifyExportLink(secret: string, token: string, now: number): Promise<ExportGrant | null> {
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined || payload.length > 1000) return null;
  try {
    if (!timingSafeEqualBytes(fromBase64Url(sig), await hmacSha256(secret, PURPOSE + payload))) return null;
    const p = Payload.safeParse(JSON.parse(new TextDecoder().decode(fromBase64Url(payload))));
    if (!p.success || p.data.e <= now) return null;
    return { workspaceId: p.data.w, contactId: p.data.c, expiresAt: p.data.e };
  } catch {
    return null;
  }
}
