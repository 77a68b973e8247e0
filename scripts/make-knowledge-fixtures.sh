#!/usr/bin/env bash
# Builds the knowledge-base test fixtures from the demo FAQ with real document tools
# (pandoc, LibreOffice, qpdf from Debian), so the parsers are tested on files produced
# the way customers produce them, not on hand-written imitations.
# Usage: scripts/make-knowledge-fixtures.sh   (from anywhere; installs tools if missing)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FAQ="$ROOT/workers/db/seed/faq"
OUT="$ROOT/test/fixtures/knowledge"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

missing=()
command -v pandoc >/dev/null || missing+=(pandoc)
command -v qpdf >/dev/null || missing+=(qpdf)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

to_pdf() { # $1 = input file (docx/odt), writes next to it in $TMP
  soffice --headless --norestore "-env:UserInstallation=file://$TMP/lo-profile" \
    --convert-to pdf --outdir "$TMP" "$1" >/dev/null 2>&1
}

# 1. DOCX straight from Markdown (headings become Heading1..n styles, tables stay tables).
pandoc "$FAQ/shipping-and-delivery.md" -o "$OUT/shipping-and-delivery.docx"

# 2. PDF: Markdown -> DOCX (pandoc) -> PDF (LibreOffice), the usual office export path.
pandoc "$FAQ/payments-and-failed-charges.md" -o "$TMP/payments-and-failed-charges.docx"
to_pdf "$TMP/payments-and-failed-charges.docx"
cp "$TMP/payments-and-failed-charges.pdf" "$OUT/payments-and-failed-charges.pdf"

# 3. HTML page with the boilerplate a real help centre has (nav, footer, script).
cat > "$TMP/before.html" <<'HTML'
<nav class="top"><a href="/">Home</a> <a href="/faq">FAQ</a> <a href="/shop">Shop the boxes</a></nav>
HTML
cat > "$TMP/after.html" <<'HTML'
<footer><p>&copy; Lev Haolam &mdash; Newsletter signup, privacy policy, cookie settings</p></footer>
<script>window.analyticsQueue = ["track", "faq-view"];</script>
HTML
pandoc -s "$FAQ/damaged-or-missing-items.md" --metadata pagetitle="Damaged or Missing Items | Lev Haolam" \
  --include-before-body "$TMP/before.html" --include-after-body "$TMP/after.html" \
  -o "$OUT/damaged-or-missing-items.html"

# 4. A 200-page PDF: one short chapter per page (explicit page breaks), plain text so the
#    file stays small. Chapter N sits on page N; chapter 150 carries a unique code.
{
  echo "# Lev Haolam Operations Handbook"
  for n in $(seq 1 200); do
    if [ "$n" -gt 1 ]; then printf '\n```{=openxml}\n<w:p><w:r><w:br w:type="page"/></w:r></w:p>\n```\n'; fi
    echo
    echo "## Chapter $n"
    echo
    echo "This chapter describes warehouse routine number $n for the packing centre in Rishon LeZion."
    echo "Packers check the contents card, wrap glass items in corrugated paper and seal every carton twice."
    echo "Shift leaders record the number of cartons sealed during routine $n in the daily log."
    if [ "$n" -eq 150 ]; then
      echo
      echo "The archive code for the olive wood inspection routine is ZEBRA-4471, and olive wood pieces are oiled before packing."
    fi
  done
} > "$TMP/handbook.md"
pandoc "$TMP/handbook.md" -o "$TMP/handbook.docx"
to_pdf "$TMP/handbook.docx"
cp "$TMP/handbook.pdf" "$OUT/handbook-200-pages.pdf"

# 5. Encrypted PDF (AES-256, user password required to open).
qpdf --encrypt secret-user secret-owner 256 -- "$OUT/payments-and-failed-charges.pdf" "$OUT/encrypted.pdf"

# 6. Corrupt files: a PDF cut off after its first kilobyte, a DOCX cut in half.
head -c 1024 "$OUT/payments-and-failed-charges.pdf" > "$OUT/corrupt.pdf"
size=$(stat -c %s "$OUT/shipping-and-delivery.docx")
head -c $((size / 2)) "$OUT/shipping-and-delivery.docx" > "$OUT/corrupt.docx"

# 7. A "scanned" PDF: one page with drawn shapes only and no text layer.
cat > "$TMP/scan.pdf" <<'PDF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj
4 0 obj << /Length 81 >>
stream
0.2 g 72 600 468 120 re f 0.5 g 72 400 300 150 re f 0 G 2 w 72 300 m 540 300 l S
endstream
endobj
trailer << /Root 1 0 R >>
%%EOF
PDF
qpdf "$TMP/scan.pdf" "$OUT/scanned-no-text.pdf" 2>/dev/null || [ $? -eq 3 ] # 3 = warnings (xref rebuilt)

# 8. A lying extension: a real DOCX saved under a .pdf name.
cp "$OUT/shipping-and-delivery.docx" "$OUT/really-a-docx.pdf"

ls -l "$OUT"
du -sh "$OUT"
