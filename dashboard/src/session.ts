/** The logged-in operator: JWT + profile, kept in localStorage and validated on load. */
import { z } from "zod";
import { setToken, setUnauthorizedHandler } from "./api/client.ts";
import { OperatorSchema, type Operator } from "./api/schemas.ts";
import { createStore } from "./lib/store.ts";

const Saved = z.object({ token: z.string(), operator: OperatorSchema, expiresAt: z.number() });
export type Session = { token: string; operator: Operator; expiresAt: number };

function load(): Session | null {
  try {
    const parsed = Saved.safeParse(JSON.parse(localStorage.getItem("os.session") ?? "null"));
    if (parsed.success && parsed.data.expiresAt > Date.now()) return parsed.data;
  } catch {
    // corrupted storage: start logged out
  }
  return null;
}

export const sessionStore = createStore<Session | null>(load());
setToken(sessionStore.get()?.token ?? null);
sessionStore.subscribe((s) => {
  setToken(s?.token ?? null);
  if (s) localStorage.setItem("os.session", JSON.stringify(s));
  else localStorage.removeItem("os.session");
});
setUnauthorizedHandler(() => sessionStore.set(null));

export const isAdmin = (s: Session | null): boolean => s?.operator.role === "admin" || s?.operator.role === "owner";
