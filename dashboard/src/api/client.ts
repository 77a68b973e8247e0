/**
 * The one HTTP path of the dashboard: every call rides on the browser's HttpOnly session
 * cookie (the dashboard never sees the token) with the CSRF header the API wants on
 * cookie-authenticated writes (workers/protocol/session.ts), and every
 * response is parsed with a zod schema (server schemas where they are exported) before
 * the UI touches it. A 404 on a route the server has not shipped yet becomes an
 * `ApiError` with code `not_available`, so screens can say "not available yet" instead
 * of failing silently.
 */
import { z } from "zod";
import { CSRF_HEADER, CSRF_VALUE } from "../../../workers/protocol/session.ts";

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly endpoint: string;
  constructor(status: number, code: string, message: string, endpoint: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.endpoint = endpoint;
    this.details = details;
  }
  /** The route does not exist on this server (as opposed to a missing record). */
  get notAvailable(): boolean {
    return this.code === "not_available";
  }
}

let onUnauthorized: () => void = () => {};

/** What every dashboard request sends besides its own headers: the CSRF header (the cookie goes by itself). */
export function sessionHeaders(): Record<string, string> {
  return { [CSRF_HEADER]: CSRF_VALUE };
}
/** Same-origin only: the session cookie never goes anywhere else. */
export const SESSION_CREDENTIALS: RequestCredentials = "same-origin";

export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/**
 * A 404 for an unknown route (the API answers "No such endpoint", or a bare Hono 404
 * without our error body) as opposed to a 404 for a missing record ("X not found").
 */
function isMissingRoute(message: string | null): boolean {
  return message === null || message === "No such endpoint";
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, q: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export interface RequestOpts {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  form?: FormData;
}

/** Fetch `/api${path}` and parse the JSON answer with `schema`. */
export async function api<T extends z.ZodType>(schema: T, path: string, opts: RequestOpts = {}): Promise<z.infer<T>> {
  const headers: Record<string, string> = sessionHeaders();
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  const endpoint = `${opts.method ?? "GET"} /api${path.split("?")[0] ?? path}`;
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method: opts.method ?? "GET", headers, body, credentials: SESSION_CREDENTIALS });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached", endpoint);
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(data);
    const code = parsed.success ? parsed.data.error.code : `http_${res.status}`;
    const message = parsed.success ? parsed.data.error.message : res.statusText;
    if (res.status === 401 && code !== "totp_required") onUnauthorized();
    if (res.status === 404 && isMissingRoute(parsed.success ? message : null))
      throw new ApiError(404, "not_available", `${endpoint} is not available on this server yet`, endpoint);
    throw new ApiError(res.status, code, message, endpoint, parsed.success ? parsed.data.error.details : undefined);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new ApiError(
      res.status,
      "bad_response",
      `Unexpected response from ${endpoint}: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
      endpoint,
    );
  return parsed.data;
}

/** Multipart upload with progress (fetch has no upload progress; XHR does). */
export function upload<T extends z.ZodType>(
  schema: T,
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<z.infer<T>> {
  const endpoint = `POST /api${path}`;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api${path}`);
    for (const [k, v] of Object.entries(sessionHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "Upload failed", endpoint));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const e = ErrorBody.safeParse(data);
        if (xhr.status === 404 && isMissingRoute(e.success ? e.data.error.message : null))
          return reject(
            new ApiError(404, "not_available", `${endpoint} is not available on this server yet`, endpoint),
          );
        return reject(
          new ApiError(
            xhr.status,
            e.success ? e.data.error.code : `http_${xhr.status}`,
            e.success ? e.data.error.message : xhr.statusText,
            endpoint,
            e.success ? e.data.error.details : undefined,
          ),
        );
      }
      const parsed = schema.safeParse(data);
      if (!parsed.success)
        return reject(new ApiError(xhr.status, "bad_response", `Unexpected response from ${endpoint}`, endpoint));
      resolve(parsed.data);
    };
    xhr.send(form);
  });
}
