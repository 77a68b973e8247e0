/**
 * Request body limits, enforced on the stream before any handler, signature check or
 * parser reads the body (hono's bodyLimit: the declared Content-Length is refused at once;
 * a chunked body is counted while it arrives and refused as soon as it passes the limit).
 * Before this, a chunked 100 MB upload and webhook body were buffered whole and a 50 MB
 * JSON session body was accepted.
 */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { MAX_DOCUMENT_BYTES } from "../knowledge/documents.ts";
import { errorBody } from "../lib/errors.ts";
import { MAX_TEST_SET_BYTES } from "../protocol/evals.ts";
import { FORM_OVERHEAD_BYTES } from "./form.ts";
/** Widget image uploads (workers/api/widget.ts MAX_ATTACHMENT_BYTES). */
const WIDGET_UPLOAD_BYTES = 5 * 1024 * 1024 + FORM_OVERHEAD_BYTES;
/** Provider webhooks are small JSON (a Telegram update, a Meta batch): 1 MB is generous. */
const WEBHOOK_BYTES = 1024 * 1024;
/** Visitor calls carry a session request or a form: a few KB. */
const WIDGET_JSON_BYTES = 64 * 1024;
/** Every other API body (settings, categories, canned responses, messages). */
const DEFAULT_BYTES = 1024 * 1024;

/** The body limit for a request (pure, for tests). */
export function bodyLimitFor(method: string, path: string): number {
  if (method === "POST" && path === "/api/knowledge/documents") return MAX_DOCUMENT_BYTES + FORM_OVERHEAD_BYTES;
  if (method === "POST" && path === "/api/widget/upload") return WIDGET_UPLOAD_BYTES;
  // Eval Lab test sets stream into R2 and are parsed from there, row by row.
  if (method === "POST" && (path === "/api/evals/test-sets" || path === "/api/evals/test-sets/preview"))
    return MAX_TEST_SET_BYTES + FORM_OVERHEAD_BYTES;
  if (path.startsWith("/api/widget/")) return WIDGET_JSON_BYTES;
  if (path.startsWith("/webhooks/")) return WEBHOOK_BYTES;
  return DEFAULT_BYTES;
}

const limiters = new Map<number, ReturnType<typeof bodyLimit>>();

/** Mount once, before every route. */
export const bodyLimits = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  if (c.req.raw.body === null) return next();
  const max = bodyLimitFor(c.req.method, new URL(c.req.url).pathname);
  let limiter = limiters.get(max);
  if (!limiter) {
    limiter = bodyLimit({
      maxSize: max,
      onError: (ctx) =>
        ctx.json(errorBody("payload_too_large", `The request body is limited to ${Math.floor(max / 1024)} KB`), 413),
    });
    limiters.set(max, limiter);
  }
  return limiter(c, next);
});
