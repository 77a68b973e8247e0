/**
 * Named errors shared by every channel adapter, so the webhook route and the outbound
 * queue consumer can branch on `instanceof` instead of on message strings.
 */
import type { ChannelKind } from "../types.ts";

/** The body is not a webhook of the expected provider shape (→ HTTP 400, never retried). */
export class WebhookParseError extends Error {
  override readonly name = "WebhookParseError";
  /** Machine-readable reason, e.g. `invalid_shape`, `dashboard_test_sample`. */
  readonly code: string;
  readonly channel: ChannelKind;

  constructor(channel: ChannelKind, code: string, message: string) {
    super(message);
    this.channel = channel;
    this.code = code;
  }
}

/** Options describing how a failed send should be handled by the retry policy. */
export interface ChannelSendErrorInit {
  channel: ChannelKind;
  /** HTTP status of the provider response; 0 when no response arrived. */
  status: number;
  /** Provider error code (Telegram error_code, Graph error.code) when known. */
  code?: number | string;
  retryable: boolean;
  retryAfterMs?: number;
}

/** A provider rejected or failed an outbound message. */
export class ChannelSendError extends Error {
  override readonly name = "ChannelSendError";
  readonly channel: ChannelKind;
  readonly status: number;
  readonly code: number | string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: ChannelSendErrorInit) {
    super(message);
    this.channel = init.channel;
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
}
