/**
 * zod-lite parity: the widget build aliases `zod` to widget/src/zod-lite.ts, so in the
 * browser the shared protocol schemas run on a different runtime than on the server.
 * This property test builds the schemas the widget parses with twice — once with real zod,
 * once with zod-lite — and checks that both accept and reject the same inputs and produce
 * the same parsed value (defaults filled in, unknown keys stripped).
 *
 * Seam chosen: `vi.doMock("zod", …)` + `vi.resetModules()` + a second dynamic import of the
 * unchanged protocol modules. It runs the schemas exactly as written (the same thing the
 * Vite alias does) without a factory taking `z`, which would have meant rewriting every
 * protocol module for the sake of a test. A guard asserts the second copy really is
 * zod-lite, so the test cannot silently compare zod with itself.
 *
 * Inputs are JSON values (the widget only ever parses `JSON.parse` output): arbitrary JSON,
 * valid frames, and valid frames with one field replaced by arbitrary JSON (near misses
 * reach the deep checks that random noise never does). Only acceptance and the parsed
 * value are compared, not error messages (zod-lite's are deliberately shorter).
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import * as realFrames from "../../../workers/protocol/frames.ts";
import * as realWidget from "../../../workers/protocol/widget.ts";

type Frames = typeof realFrames;
type WidgetSchemas = typeof realWidget;

async function loadWithZodLite(): Promise<{ frames: Frames; widget: WidgetSchemas }> {
  vi.resetModules();
  vi.doMock("zod", () => vi.importActual("../../../widget/src/zod-lite.ts"));
  try {
    const frames = await import("../../../workers/protocol/frames.ts");
    const widget = await import("../../../workers/protocol/widget.ts");
    return { frames, widget };
  } finally {
    vi.doUnmock("zod");
    vi.resetModules();
  }
}

const lite = await loadWithZodLite();

type Parser = { safeParse(v: unknown): { success: boolean; data?: unknown } };

/** The same verdict and, when accepted, the same value. */
function expectSame(real: Parser, other: Parser, input: unknown): void {
  const a = real.safeParse(input);
  const b = other.safeParse(input);
  expect({ input, accepted: b.success }).toEqual({ input, accepted: a.success });
  if (a.success && b.success) expect(b.data).toEqual(a.data);
}

// ---------------------------------------------------------------------------
// Arbitraries for valid frames (the shapes of workers/protocol/frames.ts)
// ---------------------------------------------------------------------------

const str = fc.string({ maxLength: 12 });
const nullableStr = fc.option(str, { nil: null });
const int = fc.integer({ min: -1_000_000, max: 1_000_000 });
const seq = fc.nat({ max: 1_000_000 });
const clientId = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);
const language = fc.constantFrom("en", "ru", "he", "es", "fr");

const attachment = fc.record({
  key: fc.string({ minLength: 1, maxLength: 20 }),
  name: fc.string({ minLength: 1, maxLength: 20 }),
  mimeType: fc.constantFrom("image/png", "image/jpeg", "application/pdf"),
  size: fc.nat(),
});

const wireMessage = fc.record(
  {
    id: str,
    seq: int,
    type: fc.constantFrom("incoming", "outgoing", "activity", "note"),
    senderType: fc.constantFrom("contact", "operator", "bot", "system"),
    senderName: nullableStr,
    content: str,
    attachments: fc.array(attachment, { maxLength: 2 }),
    buttons: fc.array(fc.record({ title: str, payload: str }), { maxLength: 2 }),
    actionId: nullableStr,
    clientId: fc.option(clientId, { nil: null }),
    language: nullableStr,
    createdAt: fc.double({ noNaN: true, noDefaultInfinity: true }),
  },
  // buttons, actionId and language have defaults: leaving them out must be filled in alike.
  {
    requiredKeys: ["id", "seq", "type", "senderType", "senderName", "content", "attachments", "clientId", "createdAt"],
  },
);

const wireAction = fc.record({
  id: str,
  tool: str,
  summary: str,
  status: fc.constantFrom("proposed", "pending", "confirmed", "executed", "failed", "cancelled", "expired"),
  expiresAt: int,
  result: fc.option(fc.dictionary(str, fc.jsonValue({ maxDepth: 2 })), { nil: null }),
});

const conversationState = fc.record({
  id: str,
  status: fc.constantFrom("open", "pending", "snoozed", "resolved"),
  owner: fc.constantFrom("bot", "human", "queue"),
  assigneeId: nullableStr,
  assigneeName: nullableStr,
  teamId: nullableStr,
  priority: fc.constantFrom("low", "normal", "high", "urgent"),
  tags: fc.array(str, { maxLength: 3 }),
  category: nullableStr,
  language: nullableStr,
  snoozedUntil: fc.option(int, { nil: null }),
  queuePosition: fc.option(int, { nil: null }),
  csatRequested: fc.boolean(),
});

const serverFrame = fc.oneof(
  fc.record({
    type: fc.constant("welcome"),
    conversationId: str,
    role: fc.constantFrom("contact", "operator"),
    lastSeq: seq,
    state: conversationState,
  }),
  fc.record({
    type: fc.constant("sync"),
    messages: fc.array(wireMessage, { maxLength: 3 }),
    lastSeq: seq,
    actions: fc.array(wireAction, { maxLength: 2 }),
  }),
  fc.record({ type: fc.constant("message"), message: wireMessage }),
  fc.record({ type: fc.constant("ack"), clientId: str, seq, messageId: str, duplicate: fc.boolean() }),
  fc.record({
    type: fc.constant("typing"),
    from: fc.constantFrom("contact", "operator", "bot"),
    name: nullableStr,
    on: fc.boolean(),
  }),
  fc.record({ type: fc.constant("read"), by: fc.constantFrom("contact", "operator"), seq }),
  fc.record({ type: fc.constant("stream"), streamId: str, delta: str, done: fc.boolean() }),
  fc.record({ type: fc.constant("action"), action: wireAction }),
  fc.record({ type: fc.constant("state"), state: conversationState }),
  fc.record({
    type: fc.constant("ai"),
    draft: nullableStr,
    summary: nullableStr,
    sentiment: nullableStr,
    category: nullableStr,
    gate: nullableStr,
  }),
  fc.record(
    { type: fc.constant("error"), code: str, message: str, clientId: str },
    { requiredKeys: ["type", "code", "message"] },
  ),
  fc.record({ type: fc.constant("pong") }),
);

/** The frames the widget sends (validated on the server with zod; the widget builds them with zod-lite types). */
const clientFrame = fc.oneof(
  fc.record(
    {
      type: fc.constant("send"),
      clientId,
      text: fc.string({ maxLength: 40 }),
      attachments: fc.array(attachment, { maxLength: 5 }),
      language,
    },
    { requiredKeys: ["type", "clientId", "text"] },
  ),
  fc.record({ type: fc.constant("typing"), on: fc.boolean() }),
  fc.record({ type: fc.constant("read"), seq }),
  fc.record({ type: fc.constant("resume"), lastSeq: seq }),
  fc.record({
    type: fc.constant("action.decide"),
    actionId: fc.string({ maxLength: 100 }),
    decision: fc.constantFrom("confirm", "cancel"),
  }),
  fc.record(
    { type: fc.constant("csat"), score: fc.integer({ min: 1, max: 5 }), comment: fc.string({ maxLength: 40 }) },
    { requiredKeys: ["type", "score"] },
  ),
  fc.record({ type: fc.constant("nps"), score: fc.integer({ min: 0, max: 10 }) }),
  fc.record({
    type: fc.constant("form"),
    form: fc.constantFrom("prechat", "after_hours"),
    fields: fc.record(
      {
        name: fc.string({ maxLength: 20 }),
        email: fc.constantFrom("a@b.co", "visitor@example.com"),
        phone: fc.string({ maxLength: 20 }),
        question: fc.string({ maxLength: 40 }),
        callback: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ type: fc.constant("ping") }),
);

const widgetSession = fc.record({
  visitorId: str,
  visitorToken: str,
  conversationId: str,
  socketPath: str,
  appearance: fc.record(
    {
      primaryColor: fc.constantFrom("#1f6feb", "#ABCDEF", "#00ff00"),
      position: fc.constantFrom("right", "left"),
      title: fc.string({ maxLength: 60 }),
      greeting: fc.string({ maxLength: 280 }),
      showPoweredBy: fc.boolean(),
      launcherIcon: fc.constantFrom("chat", "help", "message"),
      texts: fc.dictionary(
        language,
        fc.record(
          { title: fc.string({ maxLength: 60 }), greeting: fc.string({ maxLength: 80 }) },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
  businessHours: fc.record({ open: fc.boolean(), description: str }),
});

const attachmentLinks = fc.record({
  items: fc.array(fc.record({ key: str, url: str, expiresAt: int }), { maxLength: 3 }),
});

/** A valid value with one (possibly nested) field replaced by arbitrary JSON. */
function nearMiss(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.jsonValue({ maxDepth: 2 })).map(([value, pick, replacement]) => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      if (path.length) paths.push(path);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(value, []);
    const path = paths[pick % Math.max(paths.length, 1)];
    if (!path) return replacement;
    const copy: unknown = structuredClone(value);
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
    (node as Record<string | number, unknown>)[path[path.length - 1] as string | number] = replacement;
    return copy;
  });
}

/** Inputs as the widget sees them: through JSON, so no undefined, NaN or shared references. */
const viaJson = (arb: fc.Arbitrary<unknown>) => arb.map((v) => JSON.parse(JSON.stringify(v)) as unknown);

const RUNS = { numRuns: 300 };

const cases: { name: string; real: Parser; lite: Parser; valid: fc.Arbitrary<unknown> }[] = [
  { name: "ServerFrame", real: realFrames.ServerFrame, lite: lite.frames.ServerFrame, valid: serverFrame },
  { name: "ClientFrame", real: realFrames.ClientFrame, lite: lite.frames.ClientFrame, valid: clientFrame },
  {
    name: "WidgetSessionSchema",
    real: realWidget.WidgetSessionSchema,
    lite: lite.widget.WidgetSessionSchema,
    valid: widgetSession,
  },
  {
    name: "AttachmentLinks",
    real: realWidget.AttachmentLinks,
    lite: lite.widget.AttachmentLinks,
    valid: attachmentLinks,
  },
];

describe("zod-lite parity with zod on the protocol schemas the widget uses", () => {
  it("really loads the second copy of the schemas on zod-lite", () => {
    expect(Object.hasOwn(lite.frames.ServerFrame, "_run")).toBe(true);
    expect(Object.hasOwn(realFrames.ServerFrame, "_run")).toBe(false);
  });

  for (const c of cases) {
    describe(c.name, () => {
      it("accepts every valid value and parses it to the same result", () => {
        fc.assert(
          fc.property(viaJson(c.valid), (input) => {
            expect(c.real.safeParse(input).success).toBe(true);
            expectSame(c.real, c.lite, input);
          }),
          RUNS,
        );
      });

      it("agrees on near misses (one field replaced by arbitrary JSON)", () => {
        fc.assert(
          fc.property(viaJson(nearMiss(c.valid)), (input) => expectSame(c.real, c.lite, input)),
          RUNS,
        );
      });

      it("agrees on arbitrary JSON", () => {
        fc.assert(
          fc.property(fc.jsonValue({ maxDepth: 3 }), (input) => expectSame(c.real, c.lite, input)),
          RUNS,
        );
      });
    });
  }

  it("agrees on the single-field schemas the widget uses directly", () => {
    const pairs: [Parser, Parser, fc.Arbitrary<unknown>][] = [
      [realFrames.ClientId, lite.frames.ClientId, fc.oneof(clientId, fc.string({ maxLength: 70 }), fc.jsonValue())],
      [realFrames.LANGUAGE, lite.frames.LANGUAGE, fc.oneof(language, fc.string({ maxLength: 3 }), fc.jsonValue())],
      [realFrames.AttachmentRef, lite.frames.AttachmentRef, fc.oneof(attachment, nearMiss(attachment))],
      [
        realFrames.ClientFrame,
        lite.frames.ClientFrame,
        fc
          .oneof(fc.emailAddress(), fc.string({ maxLength: 30 }), fc.stringMatching(/^[a-z.+_'-]{0,8}@[a-z.-]{0,8}$/))
          .map((email) => ({ type: "form", form: "prechat", fields: { email } })),
      ],
      [
        realFrames.ClientFrame,
        lite.frames.ClientFrame,
        fc
          .oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 53, 2 ** 53 - 1, -(2 ** 53), 1e300, -0, 0.5))
          .map((n) => ({ type: "read", seq: n })),
      ],
    ];
    for (const [real, other, arb] of pairs)
      fc.assert(
        fc.property(viaJson(arb), (input) => expectSame(real, other, input)),
        RUNS,
      );
  });
});
