/**
 * /api/auth: password login (PBKDF2) with optional TOTP, throttled per address+account, per
 * address and per account (with a mailed unlock link), returning a JWT and setting it as the
 * browser's HttpOnly session cookie; logout; the caller's profile; TOTP enrolment.
 */
import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import { rawDb, schema } from "../db/client.ts";
import { ApiError, badRequest, tooMany, unauthorized } from "../lib/errors.ts";
import { clientAddress } from "../lib/client-address.ts";
import {
  ACCOUNT_POLICY,
  clearAttempts,
  IP_POLICY,
  PAIR_POLICY,
  refundAttempt,
  reserveAttempts,
} from "../lib/login-throttle.ts";
import { noticeMail } from "../lib/notice-mail.ts";
import { DUMMY_HASH, verifyPassword } from "../lib/password.ts";
import { decryptSecret, encryptSecret } from "../lib/secrets.ts";
import {
  signOperatorToken,
  signSocketTicket,
  signUnlockToken,
  SOCKET_TICKET_TTL_SECONDS,
  TokenError,
  verifyUnlockToken,
  OPERATOR_TOKEN_TTL_SECONDS,
  type UnlockClaims,
} from "../lib/tokens.ts";
import { bearer, jsonBody, newApp, ok, z } from "./openapi.ts";
import { assertCsrf, clearSessionCookie, sessionCookie, setSessionCookie } from "./session-cookie.ts";
import { LoginResponseSchema, OperatorSchema } from "./schemas.ts";

const LoginBody = z
  .object({
    email: z.email().max(254),
    password: z.string().min(1).max(200),
    totp: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
  })
  .openapi("LoginRequest");

const OperatorProfile = OperatorSchema;
const LoginResponse = LoginResponseSchema;

type OperatorRow = typeof schema.operators.$inferSelect;
export function toProfile(o: OperatorRow): z.infer<typeof OperatorProfile> {
  return {
    id: o.id,
    workspaceId: o.workspaceId,
    email: o.email,
    name: o.name,
    handle: o.handle,
    role: o.role,
    skills: o.skills,
    languages: o.languages,
    maxConcurrent: o.maxConcurrent,
    totpEnabled: o.totpEnabled,
  };
}

/** TOTP codes older than one step either side of now are refused (clock drift allowance). */
const TOTP_WINDOW = 1;
const TOTP_PERIOD_SECONDS = 30;

/**
 * Checks a TOTP code and consumes its time step in one conditional UPDATE: a code (or an
 * older one) that was accepted once is never accepted again, even by two parallel logins.
 */
async function consumeTotp(db: D1Database, op: OperatorRow, secretB32: string, code: string): Promise<boolean> {
  const delta = totpFor(secretB32, op.email).validate({ token: code, window: TOTP_WINDOW });
  if (delta === null) return false;
  const step = Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  const row = await db
    .prepare(
      "UPDATE operators SET totp_last_step = ?1 WHERE id = ?2 AND (totp_last_step IS NULL OR totp_last_step < ?1) RETURNING id",
    )
    .bind(step, op.id)
    .first<{ id: string }>();
  return row !== null;
}

/** Mails the operator a link that lifts the account-wide lock (the per-address locks stay). */
async function sendUnlockMail(env: Env, publicUrl: string, secret: string, op: OperatorRow): Promise<void> {
  const token = await signUnlockToken(secret, { operatorId: op.id, email: op.email });
  const link = `${publicUrl.replace(/\/+$/, "")}/api/auth/unlock?token=${encodeURIComponent(token)}`;
  await noticeMail.send(
    env,
    op.email,
    "Your OmniSupport sign-in was locked",
    [
      "There were many failed attempts to sign in to your OmniSupport account, so sign-in was locked.",
      "",
      `If this was not you, someone is guessing your password. To sign in anyway, open this link (valid one hour):`,
      link,
    ].join("\n"),
  );
}

const socketTicketRoute = createRoute({
  method: "post",
  path: "/socket-ticket",
  tags: ["auth"],
  summary: "A 60-second ticket for opening a realtime socket (instead of the session token in the URL)",
  security: bearer,
  responses: ok(z.object({ ticket: z.string(), expiresIn: z.number() })),
});

const logoutRoute = createRoute({
  method: "post",
  path: "/logout",
  tags: ["auth"],
  summary: "End the browser session: clears the session cookie",
  description:
    "The signed token itself stays valid until it expires (12 hours) for a client that kept a copy; " +
    "disabling the operator ends every session at once.",
  responses: ok(z.object({ ok: z.literal(true) })),
});

const unlockRoute = createRoute({
  method: "get",
  path: "/unlock",
  tags: ["auth"],
  summary: "Lift an account-wide login lock with the link mailed to the operator",
  request: { query: z.object({ token: z.string().min(1).max(2000) }) },
  responses: ok(z.object({ unlocked: z.literal(true) })),
});

const loginRoute = createRoute({
  method: "post",
  path: "/login",
  tags: ["auth"],
  summary: "Log in with email and password (and a TOTP code when enabled)",
  request: jsonBody(LoginBody),
  description: "Answers 429 with Retry-After after repeated failures for the account or the address.",
  responses: ok(LoginResponse),
});

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["auth"],
  summary: "The logged-in operator",
  security: bearer,
  responses: ok(OperatorProfile),
});

const totpSetupRoute = createRoute({
  method: "post",
  path: "/totp/setup",
  tags: ["auth"],
  summary: "Start TOTP enrolment: returns the secret and otpauth URI once",
  security: bearer,
  responses: ok(z.object({ secret: z.string(), uri: z.string() })),
});

const totpEnableRoute = createRoute({
  method: "post",
  path: "/totp/enable",
  tags: ["auth"],
  summary: "Confirm TOTP enrolment with a current code",
  security: bearer,
  request: jsonBody(z.object({ code: z.string().regex(/^\d{6}$/) })),
  responses: ok(z.object({ totpEnabled: z.boolean() })),
});

function totpFor(secretB32: string, email: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: "OmniSupport",
    label: email,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secretB32),
  });
}

/** Public: mounted before the auth middleware (see app.ts). */
export const loginApp = newApp()
  .openapi(loginRoute, async (c) => {
    const { email: rawEmail, password, totp } = c.req.valid("json");
    const email = rawEmail.toLowerCase();
    const db = rawDb(c.env.DB);
    const ip = clientAddress(c.req.raw.headers);
    const pairKey = `pair:${email}|${ip}`;
    const ipKey = `ip:${ip}`;
    const accountKey = `account:${email}`;
    // Reserve the attempt before the password is checked: see workers/lib/login-throttle.ts.
    const attempt = await reserveAttempts(c.env.DB, [
      { key: pairKey, policy: PAIR_POLICY },
      { key: ipKey, policy: IP_POLICY },
      { key: accountKey, policy: ACCOUNT_POLICY },
    ]);
    const op = await db.select().from(schema.operators).where(eq(schema.operators.email, email)).get();
    if (!attempt.allowed) {
      if (op && !op.disabled && attempt.justLocked.includes(accountKey)) {
        await sendUnlockMail(c.env, c.var.config.publicUrl, c.var.config.jwtSecret, op).catch((err: unknown) =>
          console.error("unlock mail failed", err instanceof Error ? err.name : "unknown"),
        );
      }
      throw tooMany("Too many failed login attempts. Try again later.", attempt.retryAfterSeconds);
    }
    const passwordOk = await verifyPassword(password, op?.passwordHash ?? DUMMY_HASH);
    // One answer for every failure: it never tells that the password was right but the
    // second factor is missing or wrong.
    const refused = new ApiError(401, "invalid_credentials", "Wrong email, password or authentication code");
    if (!op || !passwordOk || op.disabled) throw refused;
    if (op.totpEnabled) {
      const secret = op.totpSecretEnc ? await decryptSecret(op.totpSecretEnc, c.var.config.decryptionKeys) : "";
      if (!totp || !secret || !(await consumeTotp(c.env.DB, op, secret, totp))) throw refused;
    }
    await clearAttempts(c.env.DB, [pairKey, accountKey]);
    await refundAttempt(c.env.DB, ipKey);
    const token = await signOperatorToken(c.var.config.jwtSecret, {
      operatorId: op.id,
      workspaceId: op.workspaceId,
      role: op.role,
    });
    await db.insert(schema.auditLog).values({
      id: crypto.randomUUID(),
      workspaceId: op.workspaceId,
      actorType: "operator",
      actorId: op.id,
      action: "auth.login",
      detail: {},
    });
    // Browsers keep the session in the HttpOnly cookie; the body still carries the token for
    // API and CLI clients (the dashboard never stores it).
    setSessionCookie(c, token, OPERATOR_TOKEN_TTL_SECONDS);
    return c.json({ token, expiresIn: OPERATOR_TOKEN_TTL_SECONDS, operator: toProfile(op) }, 200);
  })
  .openapi(logoutRoute, async (c) => {
    // Public, so an expired session can still be cleared; a browser's cookie logout passes the
    // CSRF policy like any cookie write, so another site cannot sign the operator out.
    if (sessionCookie(c) !== undefined) assertCsrf(c);
    clearSessionCookie(c);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(unlockRoute, async (c) => {
    const { token } = c.req.valid("query");
    let claims: UnlockClaims;
    try {
      claims = await verifyUnlockToken(token, c.var.config.jwtSecret);
    } catch (err) {
      if (err instanceof TokenError) throw new ApiError(400, "invalid_link", "This unlock link is invalid or expired");
      throw err;
    }
    await clearAttempts(c.env.DB, [`account:${claims.email.toLowerCase()}`]);
    return c.json({ unlocked: true as const }, 200);
  });

/** The logged-in operator's own account: mounted after the auth middleware. */
export const authApp = newApp()
  .openapi(socketTicketRoute, async (c) => {
    const ticket = await signSocketTicket(c.var.config.jwtSecret, c.var.auth);
    return c.json({ ticket, expiresIn: SOCKET_TICKET_TTL_SECONDS }, 200);
  })
  .openapi(meRoute, async (c) => {
    const op = await c.var.tdb.first(schema.operators, eq(schema.operators.id, c.var.auth.operatorId));
    if (!op) throw unauthorized("Operator no longer exists");
    return c.json(toProfile(op), 200);
  })
  .openapi(totpSetupRoute, async (c) => {
    const op = await c.var.tdb.first(schema.operators, eq(schema.operators.id, c.var.auth.operatorId));
    if (!op) throw unauthorized();
    if (op.totpEnabled) throw badRequest("TOTP is already enabled");
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await c.var.tdb.update(
      schema.operators,
      { totpSecretEnc: await encryptSecret(secret, c.var.config.encryptionKey) },
      eq(schema.operators.id, op.id),
    );
    return c.json({ secret, uri: totpFor(secret, op.email).toString() }, 200);
  })
  .openapi(totpEnableRoute, async (c) => {
    const { code } = c.req.valid("json");
    const op = await c.var.tdb.first(schema.operators, eq(schema.operators.id, c.var.auth.operatorId));
    if (!op?.totpSecretEnc) throw badRequest("Start TOTP setup first");
    const secret = await decryptSecret(op.totpSecretEnc, c.var.config.decryptionKeys);
    // Consuming the step here too means the enrolment code cannot be replayed at login.
    if (!(await consumeTotp(c.env.DB, op, secret, code))) throw badRequest("Wrong code");
    await c.var.tdb.update(schema.operators, { totpEnabled: true }, eq(schema.operators.id, op.id));
    return c.json({ totpEnabled: true }, 200);
  });
