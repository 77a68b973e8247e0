/**
 * MIME encoders for outbound mail without Node's Buffer: RFC 2047 encoded-words for
 * non-ASCII headers, quoted-printable bodies (RFC 2045), base64 over UTF-8 bytes.
 */

const encoder = new TextEncoder();

/** Base64 of raw bytes (btoa exists in Workers and Node ≥ 16 and only takes Latin-1). */
export function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** True when every char is printable US-ASCII (plus tab), i.e. safe in a header as is. */
export function isPlainAscii(text: string): boolean {
  return /^[\x20-\x7e\t]*$/.test(text);
}

/** RFC 5322 recommended line length; encoded words and folds keep every line within it. */
const LINE_MAX = 78;
/** `=?UTF-8?B?` + `?=`. */
const WORD_OVERHEAD = 12;
/** UTF-8 bytes per encoded-word on continuation lines (after the folding space): 45 → 60 base64 chars + 12 = 72. */
const WORD_BYTES = 45;

function bytesBudget(columnsLeft: number): number {
  return Math.max(3, Math.floor((columnsLeft - WORD_OVERHEAD) / 4) * 3);
}

/**
 * Encode a header value as RFC 2047 `=?UTF-8?B?…?=` words when it is not plain ASCII.
 * Words split on code-point boundaries (a multibyte char never straddles two words) and
 * are folded with CRLF + space. `firstLineUsed` is how many columns precede the value on
 * its first line (e.g. 9 for "Subject: ") so that line also stays within 78.
 */
export function encodeHeaderValue(text: string, firstLineUsed = 0): string {
  if (isPlainAscii(text)) return text;
  const words: string[] = [];
  let budget = Math.min(WORD_BYTES, bytesBudget(LINE_MAX - firstLineUsed));
  let chunk = "";
  let chunkBytes = 0;
  for (const ch of text) {
    const n = encoder.encode(ch).length;
    if (chunkBytes + n > budget && chunk) {
      words.push(chunk);
      chunk = "";
      chunkBytes = 0;
      budget = WORD_BYTES;
    }
    chunk += ch;
    chunkBytes += n;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(encoder.encode(w))}?=`).join("\r\n ");
}

/**
 * Format a mailbox, encoding (or quoting) the display name as needed. `firstLineUsed` as
 * in encodeHeaderValue; the address moves to a folded line when it would not fit.
 */
export function formatAddress(addr: string | { name?: string; address: string }, firstLineUsed = 0): string {
  if (typeof addr === "string") return addr;
  if (!addr.name) return addr.address;
  const name = isPlainAscii(addr.name)
    ? `"${addr.name.replace(/(["\\])/g, "\\$1")}"`
    : encodeHeaderValue(addr.name, firstLineUsed);
  const lastLine = name.split("\r\n").at(-1) ?? "";
  const lastLineUsed = name.includes("\r\n") ? lastLine.length : firstLineUsed + lastLine.length;
  const sep = lastLineUsed + addr.address.length + 3 > LINE_MAX ? "\r\n " : " ";
  return `${name}${sep}<${addr.address}>`;
}

/**
 * Fold a plain-ASCII header line at spaces so lines stay within 78 columns where possible
 * (a single longer token is left intact: RFC 5322 only requires ≤ 998).
 */
export function foldAsciiHeader(line: string): string {
  if (line.length <= LINE_MAX || !isPlainAscii(line)) return line;
  const words = line.split(" ");
  const lines: string[] = [];
  let current = words[0] ?? "";
  for (const word of words.slice(1)) {
    if (current.length + 1 + word.length > LINE_MAX) {
      lines.push(current);
      current = ` ${word}`;
    } else {
      current += ` ${word}`;
    }
  }
  lines.push(current);
  return lines.join("\r\n");
}

function hex2(b: number): string {
  return `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * Quoted-printable encode UTF-8 text with CRLF line breaks and soft breaks keeping lines
 * ≤ 76 chars. Trailing whitespace is encoded because transports may strip it.
 */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return lines
    .map((line) => {
      const bytes = encoder.encode(line);
      const tokens: string[] = [];
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i] ?? 0;
        const last = i === bytes.length - 1;
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        tokens.push(literal ? String.fromCharCode(b) : hex2(b));
      }
      const out: string[] = [];
      let current = "";
      for (const t of tokens) {
        // 75 + the soft-break "=" = 76, the RFC 2045 limit; tokens are never split.
        if (current.length + t.length > 75) {
          out.push(`${current}=`);
          current = "";
        }
        current += t;
      }
      out.push(current);
      return out.join("\r\n");
    })
    .join("\r\n");
}

/** Base64 body wrapped at 76 chars. */
export function base64Body(text: string): string {
  return (base64(encoder.encode(text)).match(/.{1,76}/g) ?? []).join("\r\n");
}

/** RFC 5322 date, e.g. `Mon, 01 Jan 2024 10:00:00 +0000` (always UTC). */
export function rfc5322Date(date: Date): string {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[date.getUTCDay()]}, ${p(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}
