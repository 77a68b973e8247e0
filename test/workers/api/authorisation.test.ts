/**
 * Authorisation by construction (workers/api/app.ts): walks the served OpenAPI document and
 * calls every operation that declares a security requirement without a token, with a
 * malformed one and with a well-formed token signed by another secret: each must answer 401
 * before any validation or handler runs. The operations without a security requirement must
 * be exactly the known public ones, so a new public route is a deliberate change here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { signOperatorToken } from "../../../workers/lib/tokens.ts";
import { call, seedDemo } from "../helpers.ts";

const PUBLIC_OPERATIONS = [
  "GET /api/health",
  "POST /api/auth/login",
  // The unlock link mailed after repeated failed logins carries its own signed token.
  "GET /api/auth/unlock",
  // Clears the browser's session cookie (CSRF-checked when one is sent), so an expired session can sign out.
  "POST /api/auth/logout",
  // Signed, expiring attachment links (the token is the authorisation).
  "GET /api/files/{token}",
  "GET /api/rights/export/{token}",
  // The widget's visitor endpoints check the widget key or the visitor token themselves.
  "POST /api/widget/session",
  "POST /api/widget/upload",
  "POST /api/widget/attachment-urls",
];
const METHODS = new Set(["get", "post", "put", "patch", "delete"]);

interface Operation {
  method: string;
  path: string;
  secured: boolean;
}

async function operations(): Promise<Operation[]> {
  const res = await call("/api/openapi.json");
  expect(res.status).toBe(200);
  const doc: { paths: Record<string, Record<string, { security?: unknown[] }>> } = await res.json();
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      if (METHODS.has(method)) out.push({ method, path, secured: (op.security?.length ?? 0) > 0 });
  return out;
}

/** A concrete URL for a templated path: every `{param}` becomes a plausible id. */
function concrete(path: string): string {
  return path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
}

let ops: Operation[] = [];
beforeAll(async () => {
  await seedDemo();
  ops = await operations();
});

describe("every non-public operation refuses an anonymous call", () => {
  it("documents many operations, and only the known public ones without a security requirement", () => {
    expect(ops.length).toBeGreaterThan(40);
    const publicOps = ops.filter((o) => !o.secured).map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(publicOps.sort()).toEqual([...PUBLIC_OPERATIONS].sort());
  });

  it("answers 401 without a token, with a malformed one and with one signed by another secret", async () => {
    const forged = await signOperatorToken("not-the-server-secret-but-long-enough-0123456789", {
      operatorId: "op",
      workspaceId: "ws",
      role: "admin",
    });
    const failures: string[] = [];
    for (const op of ops.filter((o) => o.secured)) {
      for (const [label, authorization] of [
        ["anonymous", undefined],
        ["malformed", "Bearer not.a.jwt"],
        ["forged", `Bearer ${forged}`],
      ] as const) {
        const headers: Record<string, string> = authorization ? { authorization } : {};
        const init = op.method === "get" ? { headers } : { method: op.method.toUpperCase(), headers, json: {} };
        const res = await call(concrete(op.path), init);
        if (res.status !== 401) failures.push(`${label} ${op.method.toUpperCase()} ${op.path} -> ${res.status}`);
        else {
          const body: { error?: { code?: string } } = await res.json();
          if (body.error?.code !== "unauthorized") failures.push(`${label} ${op.path}: code ${body.error?.code}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers 401, not 404, for an unknown path under /api: nothing unauthenticated reveals the routes", async () => {
    expect((await call("/api/no-such-endpoint")).status).toBe(401);
  });

  it("still serves the public operations anonymously", async () => {
    expect((await call("/api/health")).status).toBe(200);
    expect((await call("/api/openapi.json")).status).toBe(200);
    expect((await call("/api/auth/login", { method: "POST", json: {} })).status).toBe(400);
    expect((await call("/api/widget/session", { method: "POST", json: {} })).status).toBe(400);
  });
});
