/**
 * Storage and delivery of one-time codes: a row in verification_codes holding only the
 * HMAC, 10-minute expiry, 5 attempts, consumed on success. The code goes to the email on
 * file through env.EMAIL; in development a `[dev]` log line shows it too, and tests may
 * pin it with TEST_FIXED_OTP — both refused in production.
 *
 * Attempts are counted atomically: every check first takes an attempt with one
 * conditional `UPDATE … SET attempts = attempts + 1 WHERE attempts < 5 RETURNING`, and only
 * a check that got a slot compares the code. The room handles socket frames concurrently,
 * so a read-compare-write count let 200 parallel guesses all be checked (issue 21, High 1).
 * Issuing is capped per conversation and per email address (one conditional INSERT each),
 * so a visitor cannot mint fresh attempts by asking for code after code.
 */
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../../db/client.ts";
import { getConfig } from "../../lib/config.ts";
import { newId } from "../../lib/ids.ts";
import { envString } from "../../commerce/connector.ts";
import { CODE_TTL_MS, generateOtp, hashOtp, maskEmail, MAX_CODE_ATTEMPTS, otpMatches } from "./otp.ts";
import { sendCodeEmail } from "./mail.ts";

/** Window of the issue caps below. */
export const ISSUE_WINDOW_MS = 60 * 60_000;
/** Codes one conversation may ask for per window (5 attempts each: 15 guesses an hour at most). */
export const MAX_CODES_PER_CONVERSATION = 3;
/** Codes one email address may receive per window across all conversations of a workspace. */
export const MAX_CODES_PER_EMAIL = 5;

export type IssueResult = { ok: true } | { ok: false; reason: "rate_limited" };

/**
 * Issues a code for `email` (the store's email on file) and sends it in the customer's
 * language, unless a cap is reached. With `deliver: false` (an address with no account)
 * the code is recorded but never sent and never known to anyone: the caps, the attempt
 * count and everything the customer is told stay exactly as for an address with an
 * account, so the answers do not reveal which addresses have one.
 */
export async function issueCode(
  env: Env,
  workspaceId: string,
  conversationId: string,
  email: string,
  shopName: string,
  opts: { deliver?: boolean; language?: string | null } = {},
): Promise<IssueResult> {
  const deliver = opts.deliver ?? true;
  const production = env.ENVIRONMENT === "production";
  const fixed = production || !deliver ? "" : envString(env, "TEST_FIXED_OTP");
  const code = /^\d{6}$/.test(fixed) ? fixed : generateOtp();
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const vc = schema.verificationCodes;
  const now = Date.now();
  const since = now - ISSUE_WINDOW_MS;
  const id = newId("vc");
  const codeHash = await hashOtp(code, conversationId, email, getConfig(env).jwtSecret);
  // One statement: insert only while both caps hold, so parallel requests cannot overshoot.
  const inserted = await env.DB.prepare(
    `INSERT INTO verification_codes (id, workspace_id, conversation_id, email, code_hash, attempts, expires_at, created_at)
     SELECT ?1, ?2, ?3, ?4, ?5, 0, ?6, ?7
     WHERE (SELECT COUNT(*) FROM verification_codes WHERE workspace_id = ?2 AND conversation_id = ?3 AND created_at > ?8) < ?9
       AND (SELECT COUNT(*) FROM verification_codes WHERE workspace_id = ?2 AND email = ?4 AND created_at > ?8) < ?10
     RETURNING id`,
  )
    .bind(
      id,
      workspaceId,
      conversationId,
      email,
      codeHash,
      now + CODE_TTL_MS,
      now,
      since,
      MAX_CODES_PER_CONVERSATION,
      MAX_CODES_PER_EMAIL,
    )
    .all();
  if (inserted.results.length === 0) return { ok: false, reason: "rate_limited" };
  // The new code replaces any open one for the conversation.
  await tdb.update(
    vc,
    { consumedAt: now },
    and(eq(vc.conversationId, conversationId), isNull(vc.consumedAt), sql`${vc.id} <> ${id}`) ??
      eq(vc.conversationId, conversationId),
  );
  if (!deliver) return { ok: true };
  if (env.ENVIRONMENT === "development") console.log(`[dev] verification code for ${maskEmail(email)}: ${code}`);
  await sendCodeEmail(env, email, code, shopName, opts.language ?? null);
  return { ok: true };
}

export type CodeCheck =
  | { ok: true; email: string }
  | { ok: false; reason: "wrong"; attemptsLeft: number }
  | { ok: false; reason: "expired" | "none" | "locked" };

/** Checks a typed code against the conversation's open code. */
export async function checkCode(
  env: Env,
  workspaceId: string,
  conversationId: string,
  code: string,
): Promise<CodeCheck> {
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const vc = schema.verificationCodes;
  const row = (
    await tdb.select(vc, and(eq(vc.conversationId, conversationId), isNull(vc.consumedAt)), {
      orderBy: desc(vc.createdAt),
      limit: 1,
    })
  )[0];
  if (!row) return { ok: false, reason: "none" };
  const now = Date.now();
  if (row.expiresAt < now) return { ok: false, reason: "expired" };
  // Take an attempt before comparing: the conditional UPDATE is the lock, whatever the concurrency.
  const slot = await tdb.db
    .update(vc)
    .set({ attempts: sql`${vc.attempts} + 1` })
    .where(
      tdb.scope(
        vc,
        and(eq(vc.id, row.id), isNull(vc.consumedAt), lt(vc.attempts, MAX_CODE_ATTEMPTS), gt(vc.expiresAt, now)),
      ),
    )
    .returning({ attempts: vc.attempts });
  const attempts = slot[0]?.attempts;
  if (attempts === undefined) return { ok: false, reason: "locked" };
  if (await otpMatches(code, row.codeHash, conversationId, row.email, getConfig(env).jwtSecret)) {
    // Consumed once: a second right guess racing this one finds consumed_at set.
    const used = await tdb
      .update(vc, { consumedAt: now }, and(eq(vc.id, row.id), isNull(vc.consumedAt)) ?? eq(vc.id, row.id))
      .returning({ id: vc.id });
    return used.length ? { ok: true, email: row.email } : { ok: false, reason: "expired" };
  }
  return attempts >= MAX_CODE_ATTEMPTS
    ? { ok: false, reason: "locked" }
    : { ok: false, reason: "wrong", attemptsLeft: MAX_CODE_ATTEMPTS - attempts };
}

/** What the engine may know about who writes: the contact identity's email, whether the host vouched for it, the channel. */
export interface ContactIdentity {
  email: string;
  /** True when the host site vouched for the email (HMAC identity). */
  verified: boolean;
  channel: string;
}

/** The conversation contact's identity with an email, if any. */
export async function contactIdentity(
  env: Env,
  workspaceId: string,
  conversationId: string,
): Promise<ContactIdentity | null> {
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const conv = await tdb.first(schema.conversations, eq(schema.conversations.id, conversationId));
  if (!conv) return null;
  const ident = await tdb.first(schema.contactIdentities, eq(schema.contactIdentities.id, conv.identityId));
  if (!ident?.email) return null;
  return { email: ident.email.toLowerCase(), verified: ident.verified, channel: ident.channel };
}
