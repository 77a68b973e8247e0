/**
 * Errors of the knowledge pipeline. A rejected upload must tell the admin why in words
 * ("encrypted PDF"), so parsers throw this one class with a human reason.
 */
import type { DocumentKind } from "./types.ts";

/** A document could not be turned into text; `reason` is safe to show to an admin. */
export class DocumentParseError extends Error {
  readonly kind: DocumentKind | null;
  readonly reason: string;

  constructor(kind: DocumentKind | null, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = "DocumentParseError";
    this.kind = kind;
    this.reason = reason;
  }
}
