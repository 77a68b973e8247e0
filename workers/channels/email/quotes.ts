/**
 * Strip quoted history from email replies so the conversation stores only what the
 * customer just wrote. Replies are top-posted in practice, so once a quote header is
 * found everything after it is history.
 */

/** Markers where a client starts the quoted original in HTML (Gmail, Outlook, Apple, Thunderbird). */
const HTML_QUOTE_MARKERS = [
  /<div[^>]+class=["'][^"']*\bgmail_quote\b/i,
  /<div[^>]+id=["']?divRplyFwdMsg\b/i,
  /<div[^>]+id=["']?appendonsend\b/i,
  /<div[^>]+class=["'][^"']*\bmoz-cite-prefix\b/i,
  /<blockquote\b/i,
];

/** Cut an HTML body at the first quoted-history marker. */
export function stripQuotedHtml(html: string): string {
  let cut = html.length;
  for (const marker of HTML_QUOTE_MARKERS) {
    const m = marker.exec(html);
    if (m && m.index < cut) cut = m.index;
  }
  return html.slice(0, cut);
}

/** Lines that introduce the quoted original in plain text. */
const ATTRIBUTION_PATTERNS = [
  /^On\b.*\bwrote:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*Исходное сообщение\s*-{2,}\s*$/i,
  /пишет:\s*$/i,
  /^Le\b.*a écrit\s*:\s*$/i,
  /^Am\b.*schrieb.*:\s*$/i,
  /^_{10,}\s*$/,
];

/** Outlook's plain-text header block: "From: …" followed closely by "Sent:"/"Date:". */
function isOutlookHeaderBlock(lines: string[], i: number): boolean {
  if (!/^\*?(From|От):\*?\s/i.test(lines[i] ?? "")) return false;
  for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
    if (/^\*?(Sent|Date|Отправлено|Дата):\*?\s/i.test(lines[j] ?? "")) return true;
  }
  return false;
}

function isAttribution(lines: string[], i: number): boolean {
  const line = (lines[i] ?? "").trim();
  if (ATTRIBUTION_PATTERNS.some((p) => p.test(line))) return true;
  // Gmail wraps long attributions: "On Mon, … John Doe <j@x.com>" / "wrote:".
  const next = (lines[i + 1] ?? "").trim();
  if (/^On\b/i.test(line) && /^.*wrote:\s*$/i.test(next)) return true;
  return isOutlookHeaderBlock(lines, i);
}

/** Remove quoted history from a plain-text reply: attribution line onwards and "> " lines. */
export function stripQuotedText(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isAttribution(lines, i)) break;
    if (/^\s*>/.test(lines[i] ?? "")) continue;
    kept.push(lines[i] ?? "");
  }
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
