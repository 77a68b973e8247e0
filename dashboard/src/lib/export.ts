/**
 * Export of any table set (an answer, the reports page) as CSV, XLSX or PDF. jsPDF is
 * loaded only when a PDF is asked for, so it never weighs on the dashboard's first load.
 */
import { download } from "./csv.ts";
import { formatCsv } from "../../../workers/lib/csv.ts";
import { xlsx, type Sheet } from "./xlsx.ts";

export type ExportFormat = "csv" | "xlsx" | "pdf";

function save(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** CSV gets the sheets one after another, each under its name. */
export async function exportSheets(base: string, format: ExportFormat, title: string, sheets: Sheet[]): Promise<void> {
  if (format === "csv") {
    const rows = sheets.flatMap((s, i) => [
      ...(sheets.length > 1 ? [[s.name]] : []),
      ...s.rows,
      ...(i < sheets.length - 1 ? [[]] : []),
    ]);
    download(`${base}.csv`, formatCsv(rows, { eol: "\r\n", trailingNewline: false, guardFormulas: true }));
    return;
  }
  if (format === "xlsx") {
    save(
      `${base}.xlsx`,
      new Uint8Array(xlsx(sheets)),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    return;
  }
  const { jsPDF } = await import("jspdf");
  const doc = new jsPDF({ orientation: "landscape", unit: "pt", format: "a4" });
  const width = doc.internal.pageSize.getWidth();
  const height = doc.internal.pageSize.getHeight();
  let y = 40;
  doc.setFontSize(14);
  doc.text(title, 40, y);
  y += 24;
  doc.setFontSize(8);
  for (const s of sheets) {
    if (y > height - 60) {
      doc.addPage();
      y = 40;
    }
    doc.setFontSize(11);
    doc.text(s.name, 40, y);
    doc.setFontSize(8);
    y += 14;
    const cols = Math.max(1, ...s.rows.map((r) => r.length));
    const colW = (width - 80) / cols;
    for (const r of s.rows) {
      if (y > height - 30) {
        doc.addPage();
        y = 40;
      }
      r.forEach((v, i) => {
        const text = v === null ? "" : typeof v === "number" ? String(Math.round(v * 100) / 100) : v;
        doc.text(doc.splitTextToSize(text, colW - 4)[0] ?? "", 40 + i * colW, y);
      });
      y += 11;
    }
    y += 12;
  }
  save(`${base}.pdf`, doc.output("arraybuffer"), "application/pdf");
}
