/**
 * Channel webhooks: `/webhooks/telegram/:inboxId`, `/webhooks/whatsapp/:inboxId` and
 * `/webhooks/messenger/:inboxId`. Each handler only authenticates, parses, journals (in
 * the inbox's InboxIntake object) and answers; the object processes after the 200 (see
 * ./process.ts). Nothing is stored for a request that fails verification or parsing.
 */
import { Hono, type Context } from "hono";
import type { ChannelKind, ParsedWebhook } from "../channels/types.ts";
import { verifyTelegram } from "../channels/telegram/verify.ts";
import { parseTelegramUpdate } from "../channels/telegram/parse.ts";
import { verifyMetaChallenge, verifyMetaSignature } from "../channels/common/meta.ts";
import { parseWhatsAppWebhook } from "../channels/whatsapp/parse.ts";
import { parseMessengerWebhook } from "../channels/messenger/parse.ts";
import { WebhookParseError } from "../channels/common/errors.ts";
import { clientAddress } from "../lib/client-address.ts";
import { errorBody } from "../lib/errors.ts";
import { clearAttempts, reserveAttempts, VERIFY_TOKEN_POLICY } from "../lib/login-throttle.ts";
import { findChannelInbox, type OpenInbox } from "./inbox.ts";
import { toIntakeEvents } from "../../durable-objects/intake/journal.ts";
import { intakeOf } from "../services/data-location.ts";

type Ctx = Context<{ Bindings: Env }>;

/** Providers send small JSON; anything larger is not a webhook we want to buffer. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Meta's signature header (lowercase; Hono header lookup is case-insensitive). */
const META_SIGNATURE_HEADER = "x-hub-signature-256";

function fail(c: Ctx, status: 400 | 401 | 403 | 404 | 413, code: string, message: string) {
  return c.json(errorBody(code, message), status);
}

/** Read the body once as bytes (signatures cover the raw bytes), bounded in size. */
async function rawBody(c: Ctx): Promise<Uint8Array | null> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return null;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  return bytes.length > MAX_BODY_BYTES ? null : bytes;
}

/** JSON.parse of the bytes, or undefined. */
function parseJson(bytes: Uint8Array): unknown {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return value;
  } catch {
    return undefined;
  }
}

/** Parse with the channel's parser; a WebhookParseError is returned (→ 400), anything else is a bug and throws. */
function parseWith(parser: (json: unknown) => ParsedWebhook, json: unknown): ParsedWebhook | WebhookParseError {
  try {
    return parser(json);
  } catch (err) {
    if (err instanceof WebhookParseError) return err;
    throw err;
  }
}

/** Journal (durable before the reply), answer 200; the intake object processes afterwards. */
async function accept(c: Ctx, open: OpenInbox, parsed: ParsedWebhook) {
  const events = toIntakeEvents(parsed);
  const result = events.length
    ? await (
        await intakeOf(c.env, open.tdb.workspaceId, open.inbox.id)
      ).accept(open.tdb.workspaceId, open.inbox.id, events)
    : { accepted: [], duplicates: 0 };
  return c.json(
    { ok: true, accepted: result.accepted.length, duplicates: result.duplicates, ignored: parsed.ignored.length },
    200,
  );
}

/** Body → parsed webhook, or the 400/413 response to send. */
async function readParsed(
  c: Ctx,
  bytes: Uint8Array | null,
  parser: (json: unknown) => ParsedWebhook,
): Promise<ParsedWebhook | Response> {
  if (!bytes) return fail(c, 413, "payload_too_large", "The body is too large");
  const json = parseJson(bytes);
  if (json === undefined) return fail(c, 400, "invalid_json", "The body is not valid JSON");
  const parsed = parseWith(parser, json);
  if (parsed instanceof WebhookParseError) return fail(c, 400, parsed.code, parsed.message);
  return parsed;
}

async function inboxOr404(c: Ctx, channel: ChannelKind): Promise<OpenInbox | Response> {
  const open = await findChannelInbox(c.env, c.req.param("inboxId") ?? "", channel);
  return open ?? fail(c, 404, "not_found", "No such inbox");
}

/** GET handshake shared by WhatsApp and Messenger. */
async function metaChallenge(c: Ctx, channel: "whatsapp" | "messenger") {
  const open = await inboxOr404(c, channel);
  if (open instanceof Response) return open;
  // Verify tokens are guessable secrets: count the attempt before comparing (per inbox and
  // address, see workers/lib/login-throttle.ts); Meta itself tries once per set-up.
  const key = `verify:${open.inbox.id}|${clientAddress(c.req.raw.headers)}`;
  const attempt = await reserveAttempts(c.env.DB, [{ key, policy: VERIFY_TOKEN_POLICY }]);
  if (!attempt.allowed) {
    c.header("Retry-After", String(attempt.retryAfterSeconds));
    return c.json(errorBody("rate_limited", "Too many verification attempts. Try again later."), 429);
  }
  const result = verifyMetaChallenge(new URL(c.req.url), open.secrets.verifyToken ?? "");
  if (result.ok) await clearAttempts(c.env.DB, [key]);
  if (!result.ok)
    return fail(c, result.status, result.status === 400 ? "bad_request" : "forbidden", "Webhook verification failed");
  return c.text(result.challenge, 200);
}

/** POST shared by WhatsApp and Messenger: X-Hub-Signature-256 over the raw bytes. */
async function metaDelivery(c: Ctx, channel: "whatsapp" | "messenger", parser: (json: unknown) => ParsedWebhook) {
  const open = await inboxOr404(c, channel);
  if (open instanceof Response) return open;
  const header = c.req.header(META_SIGNATURE_HEADER) ?? null;
  if (!header) return fail(c, 401, "unauthorized", "Missing X-Hub-Signature-256");
  const bytes = await rawBody(c);
  if (!bytes) return fail(c, 413, "payload_too_large", "The body is too large");
  if (!(await verifyMetaSignature(bytes, header, open.secrets.appSecret ?? "")))
    return fail(c, 403, "forbidden", "Invalid signature");
  const parsed = await readParsed(c, bytes, parser);
  return parsed instanceof Response ? parsed : accept(c, open, parsed);
}

export const webhooksApp = new Hono<{ Bindings: Env }>()
  .post("/telegram/:inboxId", async (c) => {
    const open = await inboxOr404(c, "telegram");
    if (open instanceof Response) return open;
    if (!verifyTelegram(c.req.raw.headers, open.secrets.secretToken ?? ""))
      return fail(c, 401, "unauthorized", "Invalid or missing secret token");
    const parsed = await readParsed(c, await rawBody(c), (json) => parseTelegramUpdate(json));
    return parsed instanceof Response ? parsed : accept(c, open, parsed);
  })
  .get("/whatsapp/:inboxId", (c) => metaChallenge(c, "whatsapp"))
  .post("/whatsapp/:inboxId", (c) => metaDelivery(c, "whatsapp", parseWhatsAppWebhook))
  .get("/messenger/:inboxId", (c) => metaChallenge(c, "messenger"))
  .post("/messenger/:inboxId", (c) => metaDelivery(c, "messenger", parseMessengerWebhook));

webhooksApp.notFound((c) => c.json(errorBody("not_found", "No such webhook"), 404));
webhooksApp.onError((err, c) => {
  // The provider retries on 5xx, which is what we want when the journal could not be written.
  console.error("webhook failed", err instanceof Error ? `${err.name}: ${err.message}` : "unknown");
  return c.json(errorBody("internal", "Something went wrong on our side"), 500);
});
