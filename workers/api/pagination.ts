/** Opaque cursors for keyset pagination: base64url of JSON `[sortValue, id]`. */
import { fromBase64Url, toBase64Url } from "../lib/encoding.ts";
import { badRequest } from "../lib/errors.ts";

export function encodeCursor(sortValue: number, id: string): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([sortValue, id])));
}

export function decodeCursor(cursor: string | undefined): { sortValue: number; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor)));
    if (Array.isArray(parsed) && typeof parsed[0] === "number" && typeof parsed[1] === "string")
      return { sortValue: parsed[0], id: parsed[1] };
  } catch {
    // fall through
  }
  throw badRequest("Invalid cursor");
}
