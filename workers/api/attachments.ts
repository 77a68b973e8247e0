/**
 * Attachments shown inline: staff (JWT) and visitors (visitor token) ask for signed,
 * short-lived links to files of one conversation; `GET /api/files/<token>` serves the
 * file from R2 to anyone holding a valid link (an `<img>` cannot send a bearer token).
 * Links are scoped to the conversation they were issued for (workers/lib/attachment-url.ts).
 */
import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import { ATTACHMENT_URL_TTL_MS, keyBelongsTo, signAttachment, verifyAttachment } from "../lib/attachment-url.ts";
import { badRequest, notFound, unauthorized } from "../lib/errors.ts";
import { verifyVisitorToken } from "../lib/tokens.ts";
import { getAttachment } from "../services/attachment-store.ts";
import { AttachmentLinks } from "../protocol/widget.ts";
import { READERS, requireRole } from "./middleware.ts";
import { bearer, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const Keys = z.array(z.string().min(1).max(300)).min(1).max(50);

const staffRoute = createRoute({
  method: "get",
  path: "/conversations/{id}/attachment-urls",
  tags: ["conversations"],
  summary: "Signed links (10 minutes) to attachments of a conversation; repeat `key` for each file",
  security: bearer,
  middleware: [requireRole(...READERS)] as const,
  request: {
    params: IdParam,
    query: z.object({ key: z.union([z.string().min(1).max(300), Keys]) }),
  },
  responses: ok(AttachmentLinks),
});

const visitorRoute = createRoute({
  method: "post",
  path: "/widget/attachment-urls",
  tags: ["widget"],
  summary: "Signed links (10 minutes) to attachments of the visitor's conversation (Bearer visitor token)",
  request: jsonBody(z.object({ keys: Keys })),
  responses: ok(AttachmentLinks),
});

const fileRoute = createRoute({
  method: "get",
  path: "/files/{token}",
  tags: ["conversations"],
  summary: "An attachment behind a signed link (public; the link expires)",
  request: { params: z.object({ token: z.string().min(1).max(2200) }) },
  responses: {
    200: { description: "The file" },
    403: { description: "Invalid or expired link" },
    404: { description: "Not found" },
  },
});

/** Keys named by the conversation's mirrored messages (email attachments live outside the conversation's prefix). */
async function knownKeys(tdb: TenantDb, conversationId: string): Promise<Set<string>> {
  const m = schema.messages;
  const rows = await tdb.select(m, eq(m.conversationId, conversationId));
  const keys = new Set<string>();
  for (const r of rows) for (const a of r.attachments) if (typeof a.key === "string") keys.add(a.key);
  return keys;
}

async function links(
  secret: string,
  tdb: TenantDb,
  scope: { workspaceId: string; conversationId: string },
  keys: string[],
): Promise<z.infer<typeof AttachmentLinks>> {
  let known: Set<string> | undefined;
  const expiresAt = Date.now() + ATTACHMENT_URL_TTL_MS;
  const items = [];
  for (const key of new Set(keys)) {
    if (!keyBelongsTo(key, scope)) {
      known ??= await knownKeys(tdb, scope.conversationId);
      if (!keyBelongsTo(key, scope, known)) throw notFound("Attachment");
    }
    const token = await signAttachment(secret, { key, conversationId: scope.conversationId, expiresAt });
    items.push({ key, url: `/api/files/${token}`, expiresAt });
  }
  return { items };
}

/** Operators: signed links for a conversation's attachments. Mounted after the auth middleware. */
export const attachmentsApp = newApp().openapi(staffRoute, async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const conv = await c.var.tdb.first(schema.conversations, eq(schema.conversations.id, id));
  if (!conv) throw notFound("Conversation");
  const keys = typeof q.key === "string" ? [q.key] : q.key;
  const scope = { workspaceId: c.var.auth.workspaceId, conversationId: id };
  return c.json(await links(c.var.config.jwtSecret, c.var.tdb, scope, keys), 200);
});

/**
 * Public: the visitor's links (authorised by the visitor token) and the files behind signed
 * links (authorised by the link's own signature). Mounted before the auth middleware.
 */
export const filesApp = newApp()
  .openapi(visitorRoute, async (c) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!match?.[1]) throw unauthorized();
    let v;
    try {
      v = await verifyVisitorToken(match[1], c.var.config.jwtSecret);
    } catch {
      throw unauthorized("Invalid visitor token");
    }
    const { keys } = c.req.valid("json");
    const tdb = new TenantDb(rawDb(c.env.DB), v.ws);
    return c.json(await links(c.var.config.jwtSecret, tdb, { workspaceId: v.ws, conversationId: v.conv }, keys), 200);
  })
  .openapi(fileRoute, async (c) => {
    const { token } = c.req.valid("param");
    const res = await verifyAttachment(c.var.config.jwtSecret, token, Date.now());
    if (!res.ok)
      return c.json(
        {
          error: {
            code: res.reason === "expired" ? "link_expired" : "invalid_link",
            message: res.reason === "expired" ? "This link has expired" : "This link is not valid",
          },
        },
        403,
      );
    if (res.grant.key.includes("..")) throw badRequest("Invalid link");
    // Keys begin with their workspace (`<workspace>/…`), and the grant is signed by us.
    const workspaceId = res.grant.key.slice(0, res.grant.key.indexOf("/"));
    const obj = workspaceId ? await getAttachment(c.env, workspaceId, res.grant.key) : null;
    if (!obj) throw notFound("File");
    const type = obj.contentType;
    const image = /^image\/(png|jpeg|gif|webp)$/.test(type);
    const name =
      res.grant.key
        .split("/")
        .pop()
        ?.replace(/^att_[^-]+-/, "") ?? "file";
    return new Response(obj.bytes, {
      headers: {
        "content-type": image ? type : "application/octet-stream",
        "content-disposition": `${image ? "inline" : "attachment"}; filename="${name.replace(/[^\w.\- ]/g, "_")}"`,
        "cache-control": `private, max-age=${Math.max(0, Math.floor((res.grant.expiresAt - Date.now()) / 1000))}`,
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      },
    });
  });
