/**
 * The operator session cookie (issue 21, item 13): where the dashboard's session lives
 * instead of localStorage, so a script injected into the dashboard cannot read it.
 * HttpOnly, Secure, SameSite=Strict, Path=/, `__Host-` prefixed, Max-Age = token TTL.
 * Secure holds in development too: development answers on loopback only
 * (workers/lib/config.ts), and browsers treat http://localhost and 127.0.0.1 as secure
 * (checked with the Chromium the e2e suite runs).
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ApiError } from "../lib/errors.ts";
import { allowedOrigins, csrfRefusal } from "../lib/csrf.ts";
import { SESSION_COOKIE, SESSION_COOKIE_PREFIX } from "../protocol/session.ts";
import type { AppEnv } from "./context.ts";

export function setSessionCookie(c: Context<AppEnv>, token: string, ttlSeconds: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    prefix: SESSION_COOKIE_PREFIX,
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: ttlSeconds,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    prefix: SESSION_COOKIE_PREFIX,
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
  });
}

export function sessionCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE, SESSION_COOKIE_PREFIX) || undefined;
}

/** Throws 403 `csrf` when a cookie-authenticated request fails the CSRF policy (workers/lib/csrf.ts). */
export function assertCsrf(c: Context<AppEnv>): void {
  const refusal = csrfRefusal(c.req.method, c.req.raw.headers, allowedOrigins(c.req.url, c.var.config.publicUrl));
  if (refusal) throw new ApiError(403, "csrf", refusal.message, { reason: refusal.reason });
}
