/**
 * Meta Graph API error handling shared by WhatsApp and Messenger senders: the error
 * envelope `{ error: { message, type, code, error_subcode } }` and which codes are
 * throttling (retry later) versus permanent (bad token, invalid recipient, policy).
 */
import { z } from "zod";
import type { ChannelKind } from "../types.ts";
import { ChannelSendError } from "./errors.ts";
import { parseRetryAfter } from "./http.ts";

/** Default Graph API base and version used by both senders. */
export const GRAPH_API_BASE = "https://graph.facebook.com";
export const GRAPH_API_VERSION = "v21.0";

const GraphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
  }),
});

/**
 * Graph codes that mean "slow down / try again": 4 app rate limit, 17 user rate limit,
 * 32 page rate limit, 613 calls limit, 80007 WABA rate limit, 130429 Cloud API throughput,
 * 131056 pair rate limit, 1 and 2 transient service errors.
 */
const RETRYABLE_GRAPH_CODES = new Set([1, 2, 4, 17, 32, 613, 80007, 130429, 131056]);

/** Default wait for throttled Graph calls without Retry-After: Meta asks to back off, not hammer. */
const THROTTLE_FLOOR_MS = 1000;

/** Turn a non-2xx Graph response into a ChannelSendError with the retry decision. */
export function graphSendError(channel: ChannelKind, res: Response, body: unknown, nowMs: number): ChannelSendError {
  const parsed = GraphErrorBody.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  const message = parsed.success && parsed.data.error.message ? parsed.data.error.message : `HTTP ${res.status}`;
  const throttled = res.status === 429 || (code !== undefined && RETRYABLE_GRAPH_CODES.has(code));
  const retryable = throttled || res.status >= 500;
  const headerDelay = parseRetryAfter(res.headers.get("retry-after"), nowMs);
  const retryAfterMs = headerDelay ?? (throttled ? THROTTLE_FLOOR_MS : undefined);
  return new ChannelSendError(`${channel} send failed: ${message}`, {
    channel,
    status: res.status,
    ...(code === undefined ? {} : { code }),
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
