/**
 * The attachments bucket (issue 20, item 6). Every writer of customer files (widget uploads,
 * channel media, email parts) puts through `putAttachment`; every reader (the signed-link
 * file route, which the export archive's links use too) gets through `getAttachment`. Both
 * are the sealed bucket (`sealed-bucket.ts`) bound to ATTACHMENTS: one copy of the seal and
 * open logic for every R2 object the platform writes.
 */
import { putSealed, readSealed, type SealedPut, type StoredFile } from "./sealed-bucket.ts";

/** Seals `bytes` with the workspace's newest data key and stores them under `key`. */
export function putAttachment(
  env: Env,
  workspaceId: string,
  key: string,
  bytes: Uint8Array,
  meta: SealedPut,
): Promise<void> {
  return putSealed(env, "ATTACHMENTS", workspaceId, key, bytes, meta);
}

/**
 * The plaintext of `key` for `workspaceId`, or null when there is no such object or it
 * does not open with this workspace's keys (another workspace's object, tampered bytes).
 */
export function getAttachment(env: Env, workspaceId: string, key: string): Promise<StoredFile | null> {
  return readSealed(env, "ATTACHMENTS", workspaceId, key);
}
