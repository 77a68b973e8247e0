/**
 * The logged-in operator, as display state only (id, name, role, workspace). The session
 * itself is the HttpOnly cookie the login answer sets (issue 21, item 13): no script on
 * this origin can read it, and nothing here writes a token to localStorage or anywhere
 * else. "Am I logged in" is whatever GET /api/auth/me answers (401 → the login screen).
 */
import { setUnauthorizedHandler } from "./api/client.ts";
import { login, logout, me } from "./api/endpoints.ts";
import type { Operator } from "./api/schemas.ts";
import { createStore } from "./lib/store.ts";

export type Session = { operator: Operator };

export const sessionStore = createStore<Session | null>(null);
/** False until /api/auth/me has answered once, so the shell does not flash the login form. */
export const sessionChecked = createStore(false);

setUnauthorizedHandler(() => sessionStore.set(null));

/** Where earlier versions kept the token; removed so an old copy does not outlive this one. */
const LEGACY_KEY = "os.session";

/** Asks the server whether the browser's cookie is a live session. */
export async function restoreSession(): Promise<void> {
  if (typeof localStorage !== "undefined") localStorage.removeItem(LEGACY_KEY);
  try {
    sessionStore.set({ operator: await me() });
  } catch {
    sessionStore.set(null);
  } finally {
    sessionChecked.set(true);
  }
}

/** Logs in: the answer sets the cookie; the token in its body is parsed away (api/endpoints.ts). */
export async function signIn(credentials: { email: string; password: string; totp?: string }): Promise<void> {
  const res = await login(credentials);
  sessionStore.set({ operator: res.operator });
  sessionChecked.set(true);
}

/** Clears the cookie on the server; the screen goes back to the login form at once either way. */
export async function signOut(): Promise<void> {
  sessionStore.set(null);
  await logout().catch(() => undefined);
}

export const isAdmin = (s: Session | null): boolean => s?.operator.role === "admin" || s?.operator.role === "owner";

/**
 * Whether the admin section's page `sub` opens for this session: admins everything,
 * analysts only the AI traces (the conversation header links them there), nobody else
 * anything — the API refuses them anyway, and a page of 403 banners explains nothing.
 */
export const canOpenAdminPage = (s: Session | null, sub: string | undefined): boolean =>
  isAdmin(s) || (s?.operator.role === "analyst" && sub === "traces");
