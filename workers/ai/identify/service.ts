/**
 * Storage and delivery of one-time codes: a row in verification_codes holding only the
 * HMAC, 10-minute expiry, 5 attempts, consumed on success. The code goes to the email on
 * file through env.EMAIL; in development a `[dev]` log line shows it too, and tests may
 * pin it with TEST_FIXED_OTP — both refused in production.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../../db/client.ts";
import { getConfig } from "../../lib/config.ts";
import { newId } from "../../lib/ids.ts";
import { envString } from "../../commerce/connector.ts";
import { CODE_TTL_MS, generateOtp, hashOtp, maskEmail, MAX_CODE_ATTEMPTS, otpMatches } from "./otp.ts";
import { sendCodeEmail } from "./mail.ts";

/** Issues a code for `email` (the store's email on file) and sends it. */
export async function issueCode(
  env: Env,
  workspaceId: string,
  conversationId: string,
  email: string,
  shopName: string,
): Promise<void> {
  const production = env.ENVIRONMENT === "production";
  const fixed = production ? "" : envString(env, "TEST_FIXED_OTP");
  const code = /^\d{6}$/.test(fixed) ? fixed : generateOtp();
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  const vc = schema.verificationCodes;
  // A new code replaces any open one for the conversation.
  await tdb.update(
    vc,
    { consumedAt: Date.now() },
    and(eq(vc.conversationId, conversationId), isNull(vc.consumedAt)) ?? eq(vc.conversationId, conversationId),
  );
  await tdb.insert(vc, {
    id: newId("vc"),
    conversationId,
    email,
    codeHash: await hashOtp(code, conversationId, email, getConfig(env).jwtSecret),
    expiresAt: Date.now() + CODE_TTL_MS,
  });
  if (env.ENVIRONMENT === "development") console.log(`[dev] verification code for ${maskEmail(email)}: ${code}`);
  await sendCodeEmail(env, email, code, shopName);
}

export type CodeCheck =
  | { ok: true; email: string }
  | { ok: false; reason: "wrong"; attemptsLeft: number }
  | { ok: false; reason: "expired" | "none" };

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
  if (row.expiresAt < Date.now() || row.attempts >= MAX_CODE_ATTEMPTS) return { ok: false, reason: "expired" };
  if (await otpMatches(code, row.codeHash, conversationId, row.email, getConfig(env).jwtSecret)) {
    await tdb.update(vc, { consumedAt: Date.now() }, eq(vc.id, row.id));
    return { ok: true, email: row.email };
  }
  const attempts = row.attempts + 1;
  await tdb.update(vc, { attempts }, eq(vc.id, row.id));
  return attempts >= MAX_CODE_ATTEMPTS
    ? { ok: false, reason: "expired" }
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
