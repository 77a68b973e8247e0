/**
 * Streaming CSV reader for test-set imports: bytes in (an R2 object body or a request
 * body), records out, one at a time, so a 50,000-row file never sits in memory as rows.
 * Parsing is csv-parse's WHATWG stream build (RFC 4180: quoted fields, "" escapes,
 * embedded commas and newlines, CRLF, BOM); this module adds what an import needs on
 * top: strict UTF-8 (csv-parse would silently replace invalid bytes), the record's data
 * row number for error reports, a record-size cap, and typed errors the API maps to 400.
 */
import { Buffer } from "node:buffer";
import { parse, CsvError } from "csv-parse/stream";
import { MAX_RECORD_BYTES } from "../protocol/evals.ts";

/** A file the importer refuses as a whole (encoding, quoting, size): reported as one row error. */
export class CsvFormatError extends Error {
  override readonly name = "CsvFormatError";
  /** Data row (1 = first row after the header) where the problem was found; 0 = the header. */
  readonly row: number;
  constructor(message: string, row: number) {
    super(message);
    this.row = row;
  }
}

export interface CsvRecord {
  /** 1-based data row number (the header is row 0). */
  row: number;
  fields: string[];
}

/** Strict UTF-8 check (csv-parse's own decoding would replace invalid bytes silently). */
function utf8Guard(): TransformStream<Uint8Array, Buffer> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  return new TransformStream({
    transform(chunk, controller) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        controller.error(new CsvFormatError("The file is not valid UTF-8 (save it as CSV UTF-8)", -1));
        return;
      }
      // csv-parse concatenates chunks with Buffer methods, so hand it Buffers, not Uint8Arrays.
      controller.enqueue(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    flush(controller) {
      try {
        decoder.decode();
      } catch {
        controller.error(new CsvFormatError("The file ends in the middle of a UTF-8 character", -1));
      }
    },
  });
}

interface CsvParseInfo {
  record: unknown;
  info: { records: number; lines: number };
}

function isInfoRecord(x: unknown): x is CsvParseInfo {
  return typeof x === "object" && x !== null && "record" in x && "info" in x;
}

function toFormatError(err: unknown): Error {
  if (err instanceof CsvFormatError) return err;
  if (err instanceof CsvError) {
    const records = "records" in err && typeof err.records === "number" ? err.records : 0;
    const reason =
      err.code === "CSV_QUOTE_NOT_CLOSED"
        ? "A quoted field is never closed (unbalanced quotes)"
        : err.code === "CSV_MAX_RECORD_SIZE"
          ? `A field is larger than ${MAX_RECORD_BYTES} bytes`
          : err.code === "CSV_INVALID_CLOSING_QUOTE"
            ? 'A quote inside a quoted field must be doubled ("")'
            : err.message.slice(0, 200);
    // `records` counts the header too, so the failing record is data row `records`.
    return new CsvFormatError(reason, Math.max(0, records));
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Reads CSV records from a byte stream. The first record is the header (row 0).
 * Throws CsvFormatError on invalid UTF-8, unbalanced quotes or an oversized record.
 */
export async function* readCsv(body: ReadableStream<Uint8Array>): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    info: true,
    // Auto-detection locks onto the first line's ending; exports often mix CRLF and LF.
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  const records = body.pipeThrough(utf8Guard()).pipeThrough(parser);
  const reader = records.getReader();
  let encodingRow = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<unknown>;
      try {
        next = await reader.read();
      } catch (err) {
        const e = toFormatError(err);
        if (e instanceof CsvFormatError && e.row === -1) throw new CsvFormatError(e.message, encodingRow + 1);
        throw e;
      }
      if (next.done) return;
      const value = next.value;
      if (!isInfoRecord(value) || !Array.isArray(value.record)) continue;
      const fields = value.record.map((f) => (typeof f === "string" ? f : String(f)));
      encodingRow = value.info.records - 1;
      yield { row: encodingRow, fields };
    }
  } finally {
    reader.releaseLock();
  }
}

/** Quotes one field for CSV output when it needs it (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value.startsWith(" ") || value.endsWith(" ")
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/** One CSV line (CRLF-terminated) from fields. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** A byte stream of one string, for tests and small uploads. */
export function streamOf(text: string | Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}
