/**
 * Signed tokens: operator sessions (JWT, HS256) and widget visitor tokens. Both carry
 * the workspace; identity and role always come from here, never from a request body.
 */
import { sign, verify } from "hono/jwt";
import { z } from "zod";

export const ROLES = ["owner", "admin", "operator", "analyst"] as const;
export type Role = (typeof ROLES)[number];

const ISSUER = "omnisupport";
export const OPERATOR_TOKEN_TTL_SECONDS = 12 * 3600;
export const VISITOR_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

const operatorClaims = z.object({
  sub: z.string(),
  ws: z.string(),
  role: z.enum(ROLES),
  aud: z.literal("operator"),
  iss: z.literal(ISSUER),
  exp: z.number(),
  /** "socket": a short-lived socket ticket, refused by the REST API. */
  scp: z.literal("socket").optional(),
});
export type OperatorClaims = z.infer<typeof operatorClaims>;

const visitorClaims = z.object({
  sub: z.string(), // contact id
  ws: z.string(),
  conv: z.string(),
  vid: z.string(),
  verified: z.boolean().optional(),
  /**
   * A host-verified email and name for a contact that does not exist yet: widget rows are
   * created at the visitor's first message (issue 21, item 9), by the room, from these.
   */
  email: z.string().max(254).optional(),
  name: z.string().max(120).optional(),
  /**
   * The consent the visitor gave before any row existed (issue 20): text version, time (ms)
   * and language, stored with the contact when the room creates it.
   */
  consent: z.object({ v: z.string().max(40), at: z.number(), lang: z.string().max(8) }).optional(),
  aud: z.literal("visitor"),
  iss: z.literal(ISSUER),
  exp: z.number(),
});

export class TokenError extends Error {
  override readonly name = "TokenError";
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function signOperatorToken(
  secret: string,
  p: { operatorId: string; workspaceId: string; role: Role },
  ttl = OPERATOR_TOKEN_TTL_SECONDS,
): Promise<string> {
  const iat = nowSeconds();
  return sign(
    { sub: p.operatorId, ws: p.workspaceId, role: p.role, aud: "operator", iss: ISSUER, iat, exp: iat + ttl },
    secret,
    "HS256",
  );
}

/**
 * Browsers cannot put an Authorization header on a websocket, so the socket URL carries a
 * token. The dashboard puts a ticket there instead of its session token: minted by an
 * authenticated POST with the operator's current role, valid SOCKET_TICKET_TTL_SECONDS,
 * and refused by the REST API, so a URL that leaks into a log is worth little.
 */
export const SOCKET_TICKET_TTL_SECONDS = 60;

export function signSocketTicket(
  secret: string,
  p: { operatorId: string; workspaceId: string; role: Role },
): Promise<string> {
  const iat = nowSeconds();
  return sign(
    {
      sub: p.operatorId,
      ws: p.workspaceId,
      role: p.role,
      aud: "operator",
      iss: ISSUER,
      scp: "socket",
      iat,
      exp: iat + SOCKET_TICKET_TTL_SECONDS,
    },
    secret,
    "HS256",
  );
}

export function signVisitorToken(
  secret: string,
  p: {
    contactId: string;
    workspaceId: string;
    conversationId: string;
    visitorId: string;
    verified?: boolean;
    email?: string | null;
    name?: string | null;
    consent?: { v: string; at: number; lang: string } | null;
  },
  ttl = VISITOR_TOKEN_TTL_SECONDS,
): Promise<string> {
  const iat = nowSeconds();
  return sign(
    {
      sub: p.contactId,
      ws: p.workspaceId,
      conv: p.conversationId,
      vid: p.visitorId,
      verified: p.verified ?? false,
      ...(p.email ? { email: p.email } : {}),
      ...(p.name ? { name: p.name } : {}),
      ...(p.consent ? { consent: p.consent } : {}),
      aud: "visitor",
      iss: ISSUER,
      iat,
      exp: iat + ttl,
    },
    secret,
    "HS256",
  );
}

async function verifyWith<T>(schema: z.ZodType<T>, token: string, secret: string): Promise<T> {
  let payload: unknown;
  try {
    payload = await verify(token, secret, "HS256");
  } catch (err) {
    throw new TokenError(
      err instanceof Error && /expired/i.test(err.name + err.message) ? "Token expired" : "Invalid token",
    );
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new TokenError("Invalid token");
  return parsed.data;
}

export const verifyOperatorToken = (token: string, secret: string) => verifyWith(operatorClaims, token, secret);
export const verifyVisitorToken = (token: string, secret: string) => verifyWith(visitorClaims, token, secret);

/** Unlock links mailed when an account's login limit is reached: valid one hour. */
export const UNLOCK_TOKEN_TTL_SECONDS = 3600;

const unlockClaims = z.object({
  sub: z.string(), // operator id
  email: z.string(),
  aud: z.literal("unlock"),
  iss: z.literal(ISSUER),
  exp: z.number(),
});
export type UnlockClaims = z.infer<typeof unlockClaims>;

export function signUnlockToken(secret: string, p: { operatorId: string; email: string }): Promise<string> {
  const iat = nowSeconds();
  return sign(
    { sub: p.operatorId, email: p.email, aud: "unlock", iss: ISSUER, iat, exp: iat + UNLOCK_TOKEN_TTL_SECONDS },
    secret,
    "HS256",
  );
}

export const verifyUnlockToken = (token: string, secret: string) => verifyWith(unlockClaims, token, secret);
