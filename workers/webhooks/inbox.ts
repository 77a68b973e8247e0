/**
 * Finding the inbox a webhook, an email or a queued delivery belongs to, and opening its
 * secrets. Inbox ids in webhook URLs are public, so the lookup is cross-tenant (rawDb)
 * and everything after it runs on a TenantDb scoped to the inbox's workspace.
 */
import { and, eq, sql } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../db/client.ts";
import type { ChannelKind } from "../channels/types.ts";
import { getConfig } from "../lib/config.ts";
import { decryptJson } from "../lib/secrets.ts";

export type InboxRow = typeof schema.inboxes.$inferSelect;

/** An enabled inbox with its decrypted secrets and a database handle for its workspace. */
export interface OpenInbox {
  inbox: InboxRow;
  secrets: Record<string, string>;
  tdb: TenantDb;
}

async function open(env: Env, inbox: InboxRow | undefined): Promise<OpenInbox | null> {
  if (!inbox || !inbox.enabled) return null;
  const secrets = await decryptJson(inbox.secretsEnc, getConfig(env).decryptionKeys);
  return { inbox, secrets, tdb: new TenantDb(rawDb(env.DB), inbox.workspaceId) };
}

/**
 * Webhook bursts hit the same inbox hundreds of times a second: keep the opened inbox
 * (row + decrypted secrets) in this isolate for a few seconds instead of a D1 read and an
 * AES decryption per request. A disabled or re-keyed inbox takes effect within the TTL.
 */
export const INBOX_CACHE_TTL_MS = 5_000;
const inboxCache = new Map<string, { at: number; open: OpenInbox }>();

/** The enabled inbox `inboxId` of `channel`, or null (the route answers 404 either way). */
export async function findChannelInbox(env: Env, inboxId: string, channel: ChannelKind): Promise<OpenInbox | null> {
  const key = `${channel}:${inboxId}`;
  const hit = inboxCache.get(key);
  if (hit && Date.now() - hit.at < INBOX_CACHE_TTL_MS)
    return { ...hit.open, tdb: new TenantDb(rawDb(env.DB), hit.open.inbox.workspaceId) };
  const i = schema.inboxes;
  const row = await rawDb(env.DB)
    .select()
    .from(i)
    .where(and(eq(i.id, inboxId), eq(i.channel, channel)))
    .get();
  const opened = await open(env, row);
  if (opened) inboxCache.set(key, { at: Date.now(), open: opened });
  else inboxCache.delete(key);
  return opened;
}

/** The enabled email inbox whose `settings.address` is `address` (case-insensitive) and verified. */
export async function findEmailInbox(env: Env, address: string): Promise<OpenInbox | null> {
  const i = schema.inboxes;
  const row = await rawDb(env.DB)
    .select()
    .from(i)
    .where(
      and(
        eq(i.channel, "email"),
        eq(i.enabled, true),
        sql`lower(json_extract(${i.settings}, '$.address')) = ${address.trim().toLowerCase()}`,
        // Only the inbox that proved it receives mail at this address (workers/services/email-claims.ts).
        sql`EXISTS (SELECT 1 FROM email_address_claims c WHERE c.inbox_id = ${i.id} AND c.verified_at IS NOT NULL AND c.address = ${address.trim().toLowerCase()})`,
      ),
    )
    .get();
  return open(env, row);
}

/** An inbox of a known workspace (queue consumers carry the workspace in the body). */
export async function loadInbox(env: Env, workspaceId: string, inboxId: string): Promise<OpenInbox | null> {
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  return open(env, await tdb.first(schema.inboxes, eq(schema.inboxes.id, inboxId)));
}

/** A string setting of an inbox, or undefined. */
export function settingString(inbox: InboxRow, key: string): string | undefined {
  const v = inbox.settings[key];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}
