/**
 * Email threading: every message of a thread shares the root Message-ID, taken from the
 * first References entry (the thread's origin), else In-Reply-To, else the message's own
 * Message-ID (a new thread).
 */

/** The RFC 5322 threading headers of one message, as raw header values. */
export interface EmailThreadHeaders {
  messageId?: string | undefined;
  inReplyTo?: string | undefined;
  /** Raw References header value or already-split ids. */
  references?: string | string[] | undefined;
}

/** Extract `<id>` tokens from a header value, in order, keeping the angle brackets. */
export function parseMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  if (ids) return ids;
  // Some clients omit brackets; accept a single bare token so threading still works.
  const bare = value.trim();
  return bare && !/\s/.test(bare) ? [`<${bare}>`] : [];
}

/** Thread root for a message; undefined only when it has no ids at all. */
export function emailThreadKey(headers: EmailThreadHeaders): string | undefined {
  const refs = Array.isArray(headers.references)
    ? headers.references.flatMap((r) => parseMessageIds(r))
    : parseMessageIds(headers.references);
  return refs[0] ?? parseMessageIds(headers.inReplyTo)[0] ?? parseMessageIds(headers.messageId)[0];
}
