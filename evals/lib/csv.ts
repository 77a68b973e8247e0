/**
 * Tiny RFC 4180 CSV reader/writer shared by the eval CLIs, the bench and the router
 * trainer. Handles quoted fields containing commas, quotes ("") and newlines, CRLF line
 * ends and a UTF-8 BOM. Pure string functions: no fs, so it also runs in workerd.
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

/** Quote one field only when it needs it, so files stay diff-friendly. */
export function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Serialise rows (header first) to CSV with LF line ends and a trailing newline. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(formatCsvField).join(",")).join("\n") + "\n";
}
