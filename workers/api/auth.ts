/**
 * /api/auth: password login (PBKDF2) with optional TOTP, throttled per account and per IP,
 * returning a JWT; the caller's profile; TOTP enrolment.
 */
import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import { rawDb, schema } from "../db/client.ts";
import { ApiError, badRequest, tooMany, unauthorized } from "../lib/errors.ts";
import { ACCOUNT_POLICY, IP_POLICY, lockRemaining, recordFailure, type ThrottleState } from "../lib/login-throttle.ts";
import { DUMMY_HASH, verifyPassword } from "../lib/password.ts";
import { decryptSecret, encryptSecret } from "../lib/secrets.ts";
import { signOperatorToken, OPERATOR_TOKEN_TTL_SECONDS } from "../lib/tokens.ts";
import type { Db } from "../db/client.ts";
import { bearer, jsonBody, newApp, ok, z } from "./openapi.ts";
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

async function readThrottle(db: Db, key: string): Promise<ThrottleState | null> {
  const row = await db.select().from(schema.loginAttempts).where(eq(schema.loginAttempts.key, key)).get();
  return row ? { failures: row.failures, windowStart: row.windowStart, lockedUntil: row.lockedUntil } : null;
}

async function writeThrottle(db: Db, key: string, s: ThrottleState): Promise<void> {
  await db
    .insert(schema.loginAttempts)
    .values({ key, ...s })
    .onConflictDoUpdate({
      target: schema.loginAttempts.key,
      set: { failures: s.failures, windowStart: s.windowStart, lockedUntil: s.lockedUntil },
    });
}

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
export const loginApp = newApp().openapi(loginRoute, async (c) => {
  const { email, password, totp } = c.req.valid("json");
  const db = rawDb(c.env.DB);
  const now = Date.now();
  const accountKey = `account:${email.toLowerCase()}`;
  const ipKey = `ip:${c.req.header("cf-connecting-ip") ?? "local"}`;
  const [acct, ip] = await Promise.all([readThrottle(db, accountKey), readThrottle(db, ipKey)]);
  const wait = Math.max(lockRemaining(acct, now), lockRemaining(ip, now));
  if (wait > 0) throw tooMany("Too many failed login attempts. Try again later.", Math.ceil(wait / 1000));

  const op = await db.select().from(schema.operators).where(eq(schema.operators.email, email.toLowerCase())).get();
  const passwordOk = await verifyPassword(password, op?.passwordHash ?? DUMMY_HASH);
  const fail = async (message: string, code = "invalid_credentials") => {
    await Promise.all([
      writeThrottle(db, accountKey, recordFailure(acct, ACCOUNT_POLICY, now)),
      writeThrottle(db, ipKey, recordFailure(ip, IP_POLICY, now)),
    ]);
    return new ApiError(401, code, message);
  };
  if (!op || !passwordOk || op.disabled) throw await fail("Wrong email or password");
  if (op.totpEnabled) {
    if (!totp) throw new ApiError(401, "totp_required", "Enter the 6-digit code from your authenticator app");
    const secret = op.totpSecretEnc ? await decryptSecret(op.totpSecretEnc, c.var.config.encryptionKey) : "";
    if (!secret || totpFor(secret, op.email).validate({ token: totp, window: 1 }) === null)
      throw await fail("Wrong authentication code", "invalid_totp");
  }
  await db.delete(schema.loginAttempts).where(eq(schema.loginAttempts.key, accountKey));
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
  return c.json({ token, expiresIn: OPERATOR_TOKEN_TTL_SECONDS, operator: toProfile(op) }, 200);
});

/** The logged-in operator's own account: mounted after the auth middleware. */
export const authApp = newApp()
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
    const secret = await decryptSecret(op.totpSecretEnc, c.var.config.encryptionKey);
    if (totpFor(secret, op.email).validate({ token: code, window: 1 }) === null) throw badRequest("Wrong code");
    await c.var.tdb.update(schema.operators, { totpEnabled: true }, eq(schema.operators.id, op.id));
    return c.json({ totpEnabled: true }, 200);
  });
