/**
 * Copy inbound media from the provider into R2 (ATTACHMENTS) so operators and the AI
 * see it after the provider's short-lived URLs expire. Best effort by design: a failed
 * download is reported back and the message text still reaches the conversation.
 */
import type { JournaledMessage, StoredAttachment } from "./journal.ts";
import { getFileUrl } from "../../workers/channels/telegram/send.ts";
import { downloadWhatsAppMedia } from "../../workers/channels/whatsapp/send.ts";
import type { InboxRow } from "../../workers/webhooks/inbox.ts";
import { settingString } from "../../workers/webhooks/inbox.ts";
import { getConfig } from "../../workers/lib/config.ts";
import { newId } from "../../workers/lib/ids.ts";
import { putAttachment } from "../../workers/services/attachment-store.ts";
import { OutboundUrlError, safeFetch, type SafeFetchResult } from "../../workers/lib/outbound-url.ts";

/** Largest file we copy; bigger ones stay a provider reference (Workers memory is finite). */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

/** Result of copying one message's media. */
export interface MediaResult {
  stored: StoredAttachment[];
  failures: string[];
}

function safeName(name: string): string {
  return name.replace(/[^\w.\- ]+/g, "_").slice(0, 120) || "file";
}

const EXTENSIONS: Record<string, string> = { image: "jpg", audio: "ogg", video: "mp4", file: "bin" };

/**
 * Downloads through the outbound policy (workers/lib/outbound-url.ts): a Messenger
 * payload names its own URL, so it must not reach internal addresses, and the body is
 * streamed with the size cap instead of buffered whole.
 */
async function fetchBytes(
  fetchFn: typeof fetch,
  url: string,
  allowLoopback: boolean,
): Promise<{ bytes: Uint8Array; mimeType?: string }> {
  let res: SafeFetchResult;
  try {
    res = await safeFetch(url, {}, { allowLoopback, maxBytes: MAX_MEDIA_BYTES, timeoutMs: 30_000, fetchFn });
  } catch (err) {
    if (err instanceof OutboundUrlError) throw new Error(err.reason, { cause: err });
    throw err;
  }
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
  const type = res.headers.get("content-type");
  return { bytes: res.body, ...(type ? { mimeType: type } : {}) };
}

async function download(
  fetchFn: typeof fetch,
  channel: JournaledMessage["channel"],
  ref: string,
  url: string | undefined,
  inbox: InboxRow,
  secrets: Record<string, string>,
  allowLoopback: boolean,
): Promise<{ bytes: Uint8Array; mimeType?: string }> {
  if (channel === "telegram") {
    const token = secrets.botToken;
    if (!token) throw new Error("telegram inbox has no bot token");
    return fetchBytes(fetchFn, await getFileUrl(fetchFn, { token }, ref), allowLoopback);
  }
  if (channel === "whatsapp") {
    const token = secrets.accessToken;
    const phoneNumberId = settingString(inbox, "phoneNumberId");
    if (!token || !phoneNumberId) throw new Error("whatsapp inbox has no access token or phone number id");
    return downloadWhatsAppMedia(fetchFn, { token, phoneNumberId }, ref);
  }
  // Messenger hands out public CDN URLs; nothing to authenticate.
  if (url) return fetchBytes(fetchFn, url, allowLoopback);
  throw new Error(`no downloadable reference for ${channel}`);
}

/**
 * Copy every file attachment of `msg` into R2 under `<workspace>/<conversation>/`.
 * Locations have nothing to copy; attachments already in `alreadyStored` are skipped.
 */
export async function copyMedia(
  env: Env,
  fetchFn: typeof fetch,
  target: { workspaceId: string; conversationId: string; inbox: InboxRow; secrets: Record<string, string> },
  msg: JournaledMessage,
): Promise<MediaResult> {
  const out: MediaResult = { stored: [], failures: [] };
  const allowLoopback = getConfig(env).development;
  for (const a of msg.attachments) {
    if (a.kind === "location" || !(a.providerRef ?? a.url)) continue;
    const ref = a.providerRef ?? a.url ?? "";
    try {
      if (a.size !== undefined && a.size > MAX_MEDIA_BYTES) throw new Error(`larger than ${MAX_MEDIA_BYTES} bytes`);
      const got = await download(fetchFn, msg.channel, ref, a.url, target.inbox, target.secrets, allowLoopback);
      if (got.bytes.length > MAX_MEDIA_BYTES) throw new Error(`larger than ${MAX_MEDIA_BYTES} bytes`);
      const mimeType = a.mimeType ?? got.mimeType ?? "application/octet-stream";
      const name = safeName(a.fileName ?? `${a.kind}.${EXTENSIONS[a.kind] ?? "bin"}`);
      const key = `${target.workspaceId}/${target.conversationId}/${newId("att")}-${name}`;
      await putAttachment(env, target.workspaceId, key, got.bytes, {
        contentType: mimeType,
        custom: { conversationId: target.conversationId, channel: msg.channel },
      });
      out.stored.push({ key, name, mimeType, size: got.bytes.length });
    } catch (err) {
      out.failures.push(`${a.kind} ${ref.slice(0, 80)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}
