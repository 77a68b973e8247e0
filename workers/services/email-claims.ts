/**
 * Who may receive mail for an address (issue 21, item 10). Before this, any workspace
 * could create an email inbox for any address and the first match received the mail.
 *
 * Verification: a code mailed to the address itself, entered by the admin. Reading mail
 * at the address is the proof, and it works offline (locally `send_email` writes .eml
 * files). In production, verify before pointing the domain's Email Routing at this Worker
 * (or while the address still forwards to a mailbox). A DNS TXT token was the other option;
 * it proves control of the domain but needs DNS-over-HTTPS, which cannot run offline.
 *
 * A verified address belongs to one inbox across all workspaces (partial unique index on
 * email_address_claims); an address verified by one inbox cannot be claimed by another
 * until that inbox is deleted. Unverified claims expire after CLAIM_TTL_MS and lock after
 * MAX_CODE_ATTEMPTS wrong codes (counted atomically). Mail is accepted only for inboxes
 * with a verified claim (workers/webhooks/inbox.ts).
 */
import { hmacSha256Hex, timingSafeEqual, utf8 } from "../channels/common/crypto.ts";
import { noticeMail } from "../lib/notice-mail.ts";

export const CLAIM_TTL_MS = 24 * 3600_000;
export const MAX_CODE_ATTEMPTS = 5;

export type ClaimResult = "verified" | "wrong_code" | "no_pending_claim" | "taken";

function newCode(): string {
  const n = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  return String(n % 100_000_000).padStart(8, "0");
}

function codeHash(secret: string, inboxId: string, address: string, code: string): Promise<string> {
  return hmacSha256Hex(secret, utf8(`email-claim:${inboxId}:${address}:${code}`));
}

/** The inbox (any workspace) holding a verified claim on `address`, if any. */
export async function verifiedHolder(db: D1Database, address: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT inbox_id FROM email_address_claims WHERE address = ?1 AND verified_at IS NOT NULL")
    .bind(address.trim().toLowerCase())
    .first<{ inbox_id: string }>();
  return row?.inbox_id ?? null;
}

/** Records a pending claim of `address` for the inbox and mails the code to the address. */
export async function startClaim(
  env: Env,
  secret: string,
  p: { workspaceId: string; inboxId: string; address: string },
  now = Date.now(),
): Promise<void> {
  const address = p.address.trim().toLowerCase();
  const code = newCode();
  await env.DB.prepare(
    `INSERT INTO email_address_claims (inbox_id, workspace_id, address, code_hash, attempts, expires_at, verified_at)
     VALUES (?1, ?2, ?3, ?4, 0, ?5, NULL)
     ON CONFLICT(inbox_id) DO UPDATE SET address = ?3, code_hash = ?4, attempts = 0, expires_at = ?5, verified_at = NULL`,
  )
    .bind(p.inboxId, p.workspaceId, address, await codeHash(secret, p.inboxId, address, code), now + CLAIM_TTL_MS)
    .run();
  await noticeMail.send(
    env,
    address,
    `Verification code ${code} for your OmniSupport inbox`,
    [
      `Someone asked to receive the mail sent to ${address} in an OmniSupport inbox.`,
      "",
      `If that was you, enter this code in the inbox settings: ${code}`,
      "",
      "The code is valid for 24 hours. If you did not ask for it, ignore this email: nothing is received until the code is entered.",
    ].join("\n"),
  );
}

/** Checks a code for the inbox's pending claim (one attempt counted atomically before comparing). */
export async function confirmClaim(
  db: D1Database,
  secret: string,
  p: { workspaceId: string; inboxId: string; code: string },
  now = Date.now(),
): Promise<ClaimResult> {
  const pending = await db
    .prepare(
      `UPDATE email_address_claims SET attempts = attempts + 1
       WHERE inbox_id = ?1 AND workspace_id = ?2 AND verified_at IS NULL AND code_hash IS NOT NULL
         AND attempts < ?3 AND expires_at > ?4
       RETURNING address, code_hash`,
    )
    .bind(p.inboxId, p.workspaceId, MAX_CODE_ATTEMPTS, now)
    .first<{ address: string; code_hash: string }>();
  if (pending === null) return "no_pending_claim";
  const expected = await codeHash(secret, p.inboxId, pending.address, p.code);
  if (!timingSafeEqual(utf8(expected), utf8(pending.code_hash))) return "wrong_code";
  try {
    await db
      .prepare(
        "UPDATE email_address_claims SET verified_at = ?3, code_hash = NULL WHERE inbox_id = ?1 AND workspace_id = ?2",
      )
      .bind(p.inboxId, p.workspaceId, now)
      .run();
  } catch (err) {
    // The partial unique index: another inbox verified the address first.
    if (err instanceof Error && /UNIQUE/i.test(err.message)) return "taken";
    throw err;
  }
  return "verified";
}

/** Releases whatever the inbox claimed (the inbox was deleted). */
export async function releaseClaim(db: D1Database, workspaceId: string, inboxId: string): Promise<void> {
  await db
    .prepare("DELETE FROM email_address_claims WHERE inbox_id = ?1 AND workspace_id = ?2")
    .bind(inboxId, workspaceId)
    .run();
}
