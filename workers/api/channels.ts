/**
 * /api/channels (admin): the outbound dead-letter table (list, replay) and channel set-up
 * calls that talk to the provider (Telegram setWebhook with this deployment's public
 * URL and the inbox's secret token). Mounted by the API app at `/channels`.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, isNull, lt, or, type SQL } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { setWebhook } from "../channels/telegram/send.ts";
import { ChannelSendError } from "../channels/common/errors.ts";
import { ApiError, conflict, notFound } from "../lib/errors.ts";
import { decryptJson, encryptJson } from "../lib/secrets.ts";
import { ADMIN, requireRole } from "./middleware.ts";
import { decodeCursor, encodeCursor } from "./pagination.ts";
import { bearer, CursorQuery, IdParam, newApp, ok, z } from "./openapi.ts";
import { DeadLetterPageSchema, DeadLetterSchema } from "./schemas.ts";

type DeadLetterRow = typeof schema.deadLetters.$inferSelect;

function toDeadLetter(r: DeadLetterRow): z.infer<typeof DeadLetterSchema> {
  return {
    id: r.id,
    queue: r.queue,
    body: r.body,
    error: r.error,
    attempts: r.attempts,
    replayedAt: r.replayedAt,
    createdAt: r.createdAt,
  };
}

/** Queues a dead letter can be replayed into, by the name recorded on it. */
function queueFor(env: Env, name: string): Queue | null {
  if (name === "omnisupport-outbound") return env.OUTBOUND_QUEUE;
  if (name === "omnisupport-ingest") return env.INGEST_QUEUE;
  if (name === "omnisupport-evals") return env.EVAL_QUEUE;
  if (name === "omnisupport-webhooks") return env.WEBHOOK_QUEUE;
  return null;
}

const listRoute = createRoute({
  method: "get",
  path: "/dead-letters",
  tags: ["channels"],
  summary: "Messages that could not be processed (newest first; pending=true hides replayed ones)",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { query: CursorQuery.extend({ pending: z.enum(["true", "false"]).optional() }) },
  responses: ok(DeadLetterPageSchema),
});

const replayRoute = createRoute({
  method: "post",
  path: "/dead-letters/{id}/replay",
  tags: ["channels"],
  summary: "Send a dead letter back to its queue (once)",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(DeadLetterSchema),
});

const setWebhookRoute = createRoute({
  method: "post",
  path: "/inboxes/{id}/telegram/set-webhook",
  tags: ["channels"],
  summary: "Point the Telegram bot at this deployment's webhook URL with the inbox's secret token",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(z.object({ ok: z.literal(true), url: z.string() })),
});

/** Telegram accepts 1–256 chars of [A-Za-z0-9_-]; 32 random bytes in hex fit. */
function newSecretToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const channelsApp = newApp()
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const t = schema.deadLetters;
    const conds: SQL[] = [];
    if (q.pending === "true") conds.push(isNull(t.replayedAt));
    const cursor = decodeCursor(q.cursor);
    if (cursor) {
      const before = or(lt(t.createdAt, cursor.sortValue), and(eq(t.createdAt, cursor.sortValue), lt(t.id, cursor.id)));
      if (before) conds.push(before);
    }
    const rows = await c.var.tdb.select(t, conds.length ? and(...conds) : undefined, {
      orderBy: [desc(t.createdAt), desc(t.id)],
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map(toDeadLetter),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
      },
      200,
    );
  })
  .openapi(replayRoute, async (c) => {
    const { id } = c.req.valid("param");
    const t = schema.deadLetters;
    const row = await c.var.tdb.first(t, eq(t.id, id));
    if (!row) throw notFound("Dead letter");
    if (row.replayedAt !== null) throw conflict("This dead letter was already replayed");
    const queue = queueFor(c.env, row.queue);
    if (!queue) throw new ApiError(422, "not_replayable", `No queue named ${row.queue} to replay into`);
    // Claim first so two admins clicking at once enqueue it once.
    const replayedAt = Date.now();
    const claimed = await c.var.tdb
      .update(t, { replayedAt }, and(eq(t.id, id), isNull(t.replayedAt)) ?? eq(t.id, id))
      .returning({ id: t.id });
    if (claimed.length === 0) throw conflict("This dead letter was already replayed");
    const attempt = typeof row.body.attempt === "number" ? row.body.attempt + 1 : 1;
    await queue.send(row.body.kind === "deliver" ? { ...row.body, attempt } : row.body);
    return c.json(toDeadLetter({ ...row, replayedAt }), 200);
  })
  .openapi(setWebhookRoute, async (c) => {
    const { id } = c.req.valid("param");
    const inbox = await c.var.tdb.first(schema.inboxes, eq(schema.inboxes.id, id));
    if (!inbox || inbox.channel !== "telegram") throw notFound("Telegram inbox");
    const key = c.var.config.encryptionKey;
    const secrets = await decryptJson(inbox.secretsEnc, c.var.config.decryptionKeys);
    if (!secrets.botToken) throw new ApiError(422, "missing_bot_token", "The inbox has no bot token");
    let secretToken = secrets.secretToken;
    if (!secretToken) {
      secretToken = newSecretToken();
      await c.var.tdb.update(
        schema.inboxes,
        { secretsEnc: await encryptJson({ ...secrets, secretToken }, key) },
        eq(schema.inboxes.id, id),
      );
    }
    const url = `${c.var.config.publicUrl.replace(/\/+$/, "")}/webhooks/telegram/${encodeURIComponent(inbox.id)}`;
    try {
      await setWebhook(fetch, { token: secrets.botToken }, url, secretToken);
    } catch (err) {
      // Telegram refusing the request (bad token, bad URL) is the admin's to fix: 422.
      // Telegram failing or unreachable is an upstream failure: 502.
      if (err instanceof ChannelSendError && err.status >= 400 && err.status < 500 && err.status !== 429)
        throw new ApiError(422, "provider_rejected", err.message);
      if (err instanceof ChannelSendError) throw new ApiError(502, "provider_error", err.message);
      throw new ApiError(502, "provider_unreachable", "Telegram could not be reached");
    }
    return c.json({ ok: true as const, url }, 200);
  });
