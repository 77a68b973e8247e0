/**
 * Reading a multipart upload, once for every route that takes one (knowledge documents,
 * Eval Lab test sets, widget images). The stream itself is capped before any handler by
 * workers/api/body-limits.ts; here a declared length over the route's limit is refused
 * with 413 before anything is read, and a body that is not a readable multipart form is
 * the client's mistake (400), never a 500.
 */
import { ApiError, badRequest } from "../lib/errors.ts";

/** Multipart envelope around a file (boundaries, part headers, other fields). */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

export interface FormReadOptions {
  /** The largest body the route accepts, file and multipart envelope included. */
  maxBytes: number;
  /** The 413 sentence (the limit the client should respect, in words). */
  tooLarge: string;
  /** The 400 sentence for a body that is not a multipart form. */
  notForm: string;
}

export function payloadTooLarge(message: string): ApiError {
  return new ApiError(413, "payload_too_large", message);
}

export async function readMultipartForm(req: Request, opts: FormReadOptions): Promise<FormData> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > opts.maxBytes) throw payloadTooLarge(opts.tooLarge);
  if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data"))
    throw badRequest(opts.notForm);
  try {
    return await req.formData();
  } catch {
    throw badRequest(opts.notForm);
  }
}
