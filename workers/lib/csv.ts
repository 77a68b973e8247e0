/**
 * The one RFC 4180 CSV reader/writer: the eval CLIs, the bench, the router trainer, the
 * report export of the API and the dashboard's downloads. Handles quoted fields containing
 * commas, quotes ("") and newlines, CRLF line ends and a UTF-8 BOM. Pure string functions
 * (no fs, no DOM), so it runs in Node, workerd and the browser. Written here rather than
 * taken from a library because it is ~90 lines and the three runtimes share it unbundled.
 */

/** Parse CSV text into rows of raw string fields. Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    // A line with a single empty field is a blank line, not a record.
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
    field = "";
  };
  while (i < src.length) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") endRow();
    else if (ch === "\r") {
      if (src[i + 1] !== "\n") endRow();
    } else field += ch;
    i++;
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

/**
 * Parse CSV with a header line into objects keyed by column name. Missing trailing
 * fields become "" so optional columns (like `secondary`) need no special casing.
 */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...body] = parseCsv(text);
  if (!header) return [];
  const names = header.map((h) => h.trim());
  return body.map((fields) => {
    const rec: Record<string, string> = {};
    names.forEach((name, idx) => {
      rec[name] = fields[idx] ?? "";
    });
    return rec;
  });
}

/** A cell: text, a number (written as is) or null (an empty cell). */
export type CsvValue = string | number | null;

export interface CsvFormat {
  /** Line end between rows (LF for files in git, CRLF for spreadsheets). Default LF. */
  eol?: "\n" | "\r\n";
  /** End the text with a line end. Default true. */
  trailingNewline?: boolean;
  /**
   * Prefix text starting with = + - @ with an apostrophe so a spreadsheet shows it instead
   * of running it as a formula (files opened by people: exports). Default false.
   */
  guardFormulas?: boolean;
}

/** Quote one field only when it needs it, so files stay diff-friendly. */
export function formatCsvField(value: CsvValue, guardFormulas = false): string {
  const s = value === null ? "" : String(value);
  const safe = guardFormulas && /^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Serialise rows (header first) to CSV; by default LF line ends and a trailing newline. */
export function formatCsv(rows: readonly (readonly CsvValue[])[], format: CsvFormat = {}): string {
  const eol = format.eol ?? "\n";
  const text = rows.map((r) => r.map((v) => formatCsvField(v, format.guardFormulas)).join(",")).join(eol);
  return format.trailingNewline === false ? text : text + eol;
}
