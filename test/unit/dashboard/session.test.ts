/**
 * The dashboard's session module against a fake browser (issue 21, item 13): logging in,
 * restoring and signing out never put the operator token into localStorage,
 * sessionStorage or the session store, and every request rides on the cookie with the
 * CSRF header instead of an Authorization header.
 */
import { afterAll, describe, expect, it, vi } from "vitest";

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
// Header and payload look like a real token, so a leak anywhere is recognisable.
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcF8xIiwiYXVkIjoib3BlcmF0b3IifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const OPERATOR = {
  id: "op_1",
  workspaceId: "ws_1",
  email: "op@example.com",
  name: "Op One",
  handle: "op",
  role: "operator",
  skills: [],
  languages: ["en"],
  maxConcurrent: 5,
  totpEnabled: false,
};

function fakeStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, String(v)),
    removeItem: (k: string) => void data.delete(k),
    clear: () => data.clear(),
    key: (i: number) => [...data.keys()][i] ?? null,
    get length() {
      return data.size;
    },
  };
}

const local = fakeStorage();
const session = fakeStorage();
// What an older dashboard left behind: it must not survive the next load.
local.setItem("os.session", JSON.stringify({ token: TOKEN, operator: OPERATOR, expiresAt: Date.now() + 3_600_000 }));
vi.stubGlobal("localStorage", local);
vi.stubGlobal("sessionStorage", session);

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
}
const sent: Sent[] = [];
let meStatus = 401;
const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = String(input);
  sent.push({
    url,
    method: init?.method ?? "GET",
    headers: new Headers(init?.headers),
    credentials: init?.credentials,
  });
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  if (url === "/api/auth/login") return json({ token: TOKEN, expiresIn: 43_200, operator: OPERATOR });
  if (url === "/api/auth/me")
    return meStatus === 200 ? json(OPERATOR) : json({ error: { code: "unauthorized", message: "no" } }, 401);
  if (url === "/api/auth/logout") return json({ ok: true });
  if (url === "/api/conversations")
    return json({ error: { code: "unauthorized", message: "This session has ended." } }, 401);
  return json({ error: { code: "not_found", message: "No such endpoint" } }, 404);
});
vi.stubGlobal("fetch", fetchMock);

const { canOpenAdminPage, restoreSession, sessionChecked, sessionStore, signIn, signOut } =
  await import("../../../dashboard/src/session.ts");
const { api } = await import("../../../dashboard/src/api/client.ts");
const { z } = await import("zod");

function storedValues(): string {
  return [...local.data.values(), ...session.data.values()].join("\n");
}

afterAll(() => vi.unstubAllGlobals());

describe("dashboard session: the token never reaches page storage", () => {
  it("on load, asks /api/auth/me and drops what an older version stored", async () => {
    await restoreSession();
    expect(sessionChecked.get()).toBe(true);
    expect(sessionStore.get()).toBeNull();
    expect(local.getItem("os.session")).toBeNull();
    expect(storedValues()).not.toMatch(JWT);
  });

  it("logs in without storing the token anywhere the page can read", async () => {
    await signIn({ email: OPERATOR.email, password: "secret-password" });
    expect(sessionStore.get()?.operator.id).toBe("op_1");
    expect(JSON.stringify(sessionStore.get())).not.toMatch(JWT);
    expect(storedValues()).not.toMatch(JWT);
    expect(storedValues()).not.toContain(TOKEN);
  });

  it("sends the cookie (same-origin credentials) and the CSRF header, never an Authorization header", async () => {
    meStatus = 200;
    await restoreSession();
    expect(sessionStore.get()?.operator.name).toBe("Op One");
    await api(z.object({ ok: z.boolean() }), "/auth/logout", { method: "POST" });
    expect(sent.length).toBeGreaterThanOrEqual(4);
    for (const req of sent) {
      expect(req.headers.get("authorization"), req.url).toBeNull();
      expect(req.headers.get("x-requested-with"), req.url).toBe("omnisupport");
      expect(req.credentials, req.url).toBe("same-origin");
    }
  });

  it("a 401 from any call shows the login screen; signing out asks the server to clear the cookie", async () => {
    await expect(api(z.object({}), "/conversations")).rejects.toMatchObject({ status: 401 });
    expect(sessionStore.get()).toBeNull();
    await signIn({ email: OPERATOR.email, password: "secret-password" });
    sent.length = 0;
    await signOut();
    expect(sessionStore.get()).toBeNull();
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /api/auth/logout"]);
    expect(storedValues()).not.toMatch(JWT);
  });
});

describe("who opens which admin page", () => {
  const as = (role: "owner" | "admin" | "operator" | "analyst") => ({ operator: { ...OPERATOR, role } });
  it("admins every page; analysts only AI traces; operators none (the learnings page included)", () => {
    expect(canOpenAdminPage(as("admin"), "knowledge")).toBe(true);
    expect(canOpenAdminPage(as("admin"), undefined)).toBe(true);
    expect(canOpenAdminPage(as("analyst"), "traces")).toBe(true);
    expect(canOpenAdminPage(as("analyst"), "knowledge")).toBe(false);
    expect(canOpenAdminPage(as("operator"), "knowledge")).toBe(false);
    expect(canOpenAdminPage(as("operator"), "traces")).toBe(false);
    expect(canOpenAdminPage(null, "team")).toBe(false);
  });
});
