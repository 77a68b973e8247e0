/**
 * Bad input, property-based (fast-check): every API operation listed in
 * /api/openapi.json, every webhook route and every websocket frame gets arbitrary
 * bodies, queries, path parameters and headers, with and without a valid admin token.
 * Never a 5xx, never a crash, and a rejected request (4xx or an error frame) stores
 * nothing: row counts of every D1 table (and the room's log, and the inbox's intake
 * journal) are compared around it.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { createHmac } from "node:crypto";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { intakeStub } from "../../../durable-objects/stubs.ts";
import { parseClientFrame, RoomSnapshot } from "../../../workers/protocol/frames.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../../workers/helpers.ts";
import { isType, openSocket, widgetSession } from "../../workers/ws.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/** Tables a rejected request may legitimately touch: login throttling counts failures. */
const MAY_CHANGE = new Set(["login_attempts", "d1_migrations"]);

let adminToken = "";
let tables: string[] = [];

beforeAll(async () => {
  await seedDemo();
  adminToken = await loginAdmin();
  const rows = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  tables = rows.results.map((r) => r.name).filter((n) => !MAY_CHANGE.has(n) && /^[a-z_0-9]+$/.test(n));
});

async function rowCounts(): Promise<Record<string, number>> {
  const sql = `SELECT ${tables.map((t) => `(SELECT COUNT(*) FROM "${t}") AS "${t}"`).join(", ")}`;
  const row = await env.DB.prepare(sql).first<Record<string, number>>();
  return row ?? {};
}

/** Sends the request; a 4xx must leave every table as it was. Returns the status. */
async function expectSafe(path: string, init: RequestInit & { token?: string; json?: unknown }): Promise<number> {
  const before = await rowCounts();
  const res = await call(path, init);
  const text = await res.text();
  expect(res.status, `${init.method ?? "GET"} ${path} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(await rowCounts(), `${init.method ?? "GET"} ${path} stored rows although rejected (${res.status})`).toEqual(
      before,
    );
    if (text) expect(() => JSON.parse(text), `error body of ${path} is JSON`).not.toThrow();
  }
  return res.status;
}

const garbageBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => new TextDecoder().decode(b)),
  fc
    .dictionary(
      fc.constantFrom(
        "email",
        "password",
        "name",
        "widgetKey",
        "command",
        "operatorId",
        "text",
        "id",
        "role",
        "settings",
        "key",
        "version",
        "tags",
      ),
      fc.jsonValue(),
    )
    .map((o) => JSON.stringify(o)),
);
const pathParam = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.constantFrom("..", "%", "conv_demo_1", "op_operator", "demo-telegram", "x".repeat(300), "' OR 1=1 --", "💥"),
);
const query = fc.dictionary(
  fc.constantFrom(
    "limit",
    "cursor",
    "after",
    "status",
    "channel",
    "q",
    "owner",
    "assignee",
    "pending",
    "hub.mode",
    "x",
  ),
  fc.string({ maxLength: 30 }),
  { maxKeys: 4 },
);
const tokenChoice = fc.constantFrom<"none" | "admin" | "garbage">("none", "admin", "garbage");

describe("every API operation from the OpenAPI document", () => {
  it("answers garbage with a 4xx (never 5xx) and stores nothing", async () => {
    // Outbound providers (Telegram setWebhook) answer as they do for a bad bot token, so
    // this measures our input handling, not the sandbox's missing network.
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(
      async () =>
        new Response(JSON.stringify({ ok: false, error_code: 401, description: "Unauthorized" }), {
          status: 401,
          headers: { "content-type": "application/json" },
        }),
    );
    onTestFinished(() => fetchSpy.mockRestore());
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc: { paths: Record<string, Record<string, unknown>> } = await res.json();
    const ops = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.keys(methods)
        .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
        .map((m) => ({ path: p, method: m.toUpperCase() })),
    );
    expect(ops.length).toBeGreaterThan(20);
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(pathParam, { minLength: 4, maxLength: 4 }),
          query,
          garbageBody,
          tokenChoice,
          async (params, q, body, tok) => {
            let i = 0;
            const filled = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++ % params.length] ?? "x"));
            const qs = new URLSearchParams(q).toString();
            const path = `${filled.startsWith("/api") ? "" : "/api"}${filled}${qs ? `?${qs}` : ""}`;
            const token =
              tok === "admin" ? adminToken : tok === "garbage" ? "eyJhbGciOiJIUzI1NiJ9.e30.garbage" : undefined;
            await expectSafe(path, {
              method: op.method,
              token,
              headers: { "content-type": "application/json" },
              ...(op.method === "GET" || op.method === "DELETE" ? {} : { body }),
            });
          },
        ),
        { numRuns: RUNS },
      );
    }
  });
});

describe("webhook routes", () => {
  const routes = [
    "/webhooks/telegram/demo-telegram",
    "/webhooks/whatsapp/demo-whatsapp",
    "/webhooks/messenger/demo-messenger",
  ];
  it("reject forged, unsigned and malformed deliveries without storing anything", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom("valid", "wrong", "missing"),
        garbageBody,
        fc.boolean(),
        async (route, auth, body, otherInbox) => {
          const headers: Record<string, string> = { "content-type": "application/json" };
          const isTelegram = route.includes("telegram");
          if (auth !== "missing") {
            if (isTelegram)
              headers["x-telegram-bot-api-secret-token"] =
                auth === "valid" ? "dev-telegram-secret" : "dev-telegram-secreT";
            else
              headers["x-hub-signature-256"] = `sha256=${createHmac(
                "sha256",
                auth === "valid" ? "dev-meta-app-secret" : "wrong-secret",
              )
                .update(body)
                .digest("hex")}`;
          }
          const path = otherInbox ? route.replace(/demo-[a-z]+$/, "no-such-inbox") : route;
          const inbox = route.split("/").pop() ?? "";
          const journal = async () => {
            const st = await intakeStub(env, inbox).stats();
            return st.received + st.processed + st.failed;
          };
          const before = await journal();
          const status = await expectSafe(path, { method: "POST", headers, body });
          if (auth !== "valid" || otherInbox) expect(status).toBeGreaterThanOrEqual(400);
          // The journal of record lives in the intake object: a rejected delivery must not reach it either.
          if (status >= 400) expect(await journal()).toBe(before);
        },
      ),
      { numRuns: RUNS * 10 },
    );
  });

  it("answer the Meta verification handshake only for the right token", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("whatsapp", "messenger"), query, async (channel, q) => {
        const status = await expectSafe(`/webhooks/${channel}/demo-${channel}?${new URLSearchParams(q).toString()}`, {
          method: "GET",
        });
        expect(status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});

const frameTypes = [
  "send",
  "note",
  "typing",
  "read",
  "resume",
  "action.decide",
  "csat",
  "nps",
  "form",
  "command",
  "ping",
  "welcome",
  "message",
  "admin",
];
const frameLike = fc.record(
  {
    type: fc.constantFrom(...frameTypes),
    clientId: fc.oneof(fc.string({ maxLength: 80 }), fc.integer()),
    text: fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.constant(null)),
    seq: fc.oneof(fc.integer(), fc.string()),
    role: fc.constantFrom("assistant", "operator", "system"),
    cmd: fc.jsonValue(),
  },
  { requiredKeys: ["type"] },
);
const rawFrame = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  frameLike.map((f) => JSON.stringify(f)),
  fc.constant("x".repeat(70_000)),
);

describe("websocket frames", () => {
  it("an invalid frame gets an error frame, the socket stays usable and nothing is stored", async () => {
    const s = await widgetSession();
    const opToken = await loginOperator();
    const customer = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    const operator = await openSocket(`${s.socketPath}?token=${opToken}`);
    await customer.next(isType("sync"));
    await operator.next(isType("sync"));
    const logLength = async () =>
      RoomSnapshot.parse(JSON.parse(await roomStub(env, s.conversationId).snapshot())).messages.length;
    const before = await logLength();
    const dbBefore = await rowCounts();
    await fc.assert(
      fc.asyncProperty(
        rawFrame.filter((raw) => !parseClientFrame(raw).ok),
        fc.boolean(),
        async (raw, asOperator) => {
          const sock = asOperator ? operator : customer;
          sock.ws.send(raw);
          const err = await sock.next(isType("error"), 3000);
          expect(["invalid_json", "invalid_frame"]).toContain(err.code);
        },
      ),
      { numRuns: RUNS * 10 },
    );
    customer.send({ type: "ping" });
    await customer.next(isType("pong"));
    operator.send({ type: "ping" });
    await operator.next(isType("pong"));
    expect(await logLength()).toBe(before);
    expect(await rowCounts()).toEqual(dbBefore);
    customer.close();
    operator.close();
  });
});
