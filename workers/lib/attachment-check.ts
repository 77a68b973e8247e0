/**
 * A message may only reference attachments exactly as they were stored at upload. The
 * client sends `{ key, name, mimeType, size }`; before this check a visitor could upload
 * a PNG and send it as "invoice.pdf" with type text/html, and the operator's dashboard
 * would trust the label. Each reference is compared with the R2 object's metadata (the
 * sniffed type and the sanitised name recorded by the upload route).
 */
import type { AttachmentRef } from "../protocol/frames.ts";
import { plainSize } from "./envelope.ts";

/** The stored name: the upload route writes `<prefix>/<att id>-<name>` and `customMetadata.name`. */
export function storedName(key: string, custom: Record<string, string> | undefined): string {
  if (custom?.name) return custom.name;
  const file = key.slice(key.lastIndexOf("/") + 1);
  const dash = file.indexOf("-");
  return dash < 0 ? file : file.slice(dash + 1);
}

/** Why the references do not match what is stored, or null when every one matches. */
export async function attachmentMismatch(
  bucket: R2Bucket,
  refs: ReadonlyArray<AttachmentRef>,
  prefix: string,
): Promise<string | null> {
  for (const ref of refs) {
    if (!ref.key.startsWith(prefix) || ref.key.includes("..")) return "unknown attachment";
    const head = await bucket.head(ref.key);
    if (head === null) return "unknown attachment";
    if (plainSize(head) !== ref.size) return "attachment size differs from the upload";
    if ((head.httpMetadata?.contentType ?? "application/octet-stream") !== ref.mimeType)
      return "attachment type differs from the upload";
    if (storedName(ref.key, head.customMetadata) !== ref.name) return "attachment name differs from the upload";
  }
  return null;
}
