/**
 * Authentication and authorisation for /api. `authenticate` verifies the operator JWT
 * (an `Authorization: Bearer` header, or the browser's session cookie plus the CSRF
 * policy for writes: workers/api/session-cookie.ts),
 * checks the operator's current state (disabled or demoted takes effect at once), and
 * puts the caller and a workspace-scoped database on the context; `requireRole`
 * guards each route; `analystReadOnly` is a backstop refusing every write by an analyst
 * unless the route is on the short allow-list of read-style POSTs.
 */
import { createMiddleware } from "hono/factory";
import { rawDb, TenantDb } from "../db/client.ts";
import { ConfigError, getConfig } from "../lib/config.ts";
import { errorBody, forbidden, unauthorized } from "../lib/errors.ts";
import { claimsStillValid, operatorState } from "../lib/operator-state.ts";
import { TokenError, verifyOperatorToken, type OperatorClaims, type Role } from "../lib/tokens.ts";
import type { AppEnv } from "./context.ts";
import { assertCsrf, sessionCookie } from "./session-cookie.ts";

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  // A bearer header (API clients, CLI) wins; browsers send the session cookie instead, and a
  // cookie-authenticated write must pass the CSRF policy (the cookie travels on its own).
  let token: string | undefined;
  if (header !== undefined) {
    token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw unauthorized();
  } else {
    token = sessionCookie(c);
    if (!token) throw unauthorized();
    assertCsrf(c);
  }
  let claims: OperatorClaims;
  try {
    claims = await verifyOperatorToken(token, c.var.config.jwtSecret);
  } catch (err) {
    if (err instanceof TokenError) throw unauthorized(err.message);
    throw err;
  }
  if (claims.scp === "socket") throw unauthorized("A socket ticket is not a session token");
  // The token proves who; the database says whether they may still act, and as what.
  const state = await operatorState(c.env.DB, claims.sub);
  if (!claimsStillValid(state, claims.ws)) throw unauthorized("This session has ended. Sign in again.");
  c.set("auth", { operatorId: claims.sub, workspaceId: claims.ws, role: state.role });
  c.set("tdb", new TenantDb(rawDb(c.env.DB), claims.ws));
  await next();
});

/** Roles allowed on a route. Owners can do everything an admin can. */
export function requireRole(...roles: Role[]) {
  const allowed = new Set<Role>(roles.includes("admin") ? [...roles, "owner"] : roles);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!allowed.has(c.var.auth.role))
      throw forbidden(`This action needs one of the roles: ${[...allowed].join(", ")}`);
    await next();
  });
}

export const STAFF: Role[] = ["admin", "operator"];
export const READERS: Role[] = ["admin", "operator", "analyst"];
export const ADMIN: Role[] = ["admin"];

// Analytics writes only the analyst's own threads, feedback, pins and layer reviews, never customer data.
const ANALYST_POST_ALLOWLIST = [/^\/api\/ai\/route$/, /^\/api\/analytics\//, /^\/api\/auth\//];

export const analystReadOnly = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  if (c.var.auth.role === "analyst" && method !== "GET" && method !== "HEAD") {
    const path = new URL(c.req.url).pathname;
    if (!ANALYST_POST_ALLOWLIST.some((re) => re.test(path))) throw forbidden("Analysts have read-only access");
  }
  await next();
});

/**
 * Refuses every request when the configuration is unsafe for it (workers/lib/config.ts):
 * 503 with the reason, before any route reads a secret.
 */
export const configGuard = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  try {
    getConfig(c.env, c.req.raw);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error("configuration refused", err.message);
    return c.json(errorBody("misconfigured", err.message), 503);
  }
  await next();
});
