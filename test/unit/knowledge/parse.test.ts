import { describe, expect, it } from "vitest";
import { DocumentParseError, parseDocument } from "../../../workers/knowledge/parse/index.ts";
import { faq, fixture } from "./helpers.ts";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

async function parseError(promise: Promise<unknown>): Promise<DocumentParseError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DocumentParseError)) throw new Error(`expected DocumentParseError, got ${String(err)}`);
  return err;
}

describe("PDF (LibreOffice export)", () => {
  it("keeps pages, headings recovered from font sizes, and the text", async () => {
    const doc = await parseDocument("pdf", fixture("payments-and-failed-charges.pdf"));
    expect(doc.kind).toBe("pdf");
    expect(doc.title).toBe("Payments and Failed Charges");
    expect(doc.pageCount).toBe(2);
    const headings = doc.sections.map((s) => s.heading.join(" > "));
    // Level-3 headings are set in body size (bold only), so only h1/h2 are recoverable.
    expect(headings).toContain("Payments and Failed Charges > Charged twice or an unexpected charge");
    const fails = doc.sections.find((s) => s.heading.at(-1) === "When a payment fails");
    expect(fails?.page).toBe(1);
    expect(fails?.text).toContain("We retry the charge automatically on day 3 and day 7");
    expect(doc.sections.find((s) => s.heading.at(-1) === "Refunds")?.page).toBe(2);
  });

  it("reads a 200-page PDF with page numbers intact", async () => {
    const doc = await parseDocument("pdf", fixture("handbook-200-pages.pdf"));
    expect(doc.pageCount).toBe(200);
    const chapter = doc.sections.find((s) => s.heading.at(-1) === "Chapter 150");
    expect(chapter?.page).toBe(150);
    expect(chapter?.text).toContain("ZEBRA-4471");
  });

  it("explains encrypted, corrupt and scanned PDFs", async () => {
    expect((await parseError(parseDocument("pdf", fixture("encrypted.pdf")))).reason).toMatch(/^encrypted PDF/);
    expect((await parseError(parseDocument("pdf", fixture("corrupt.pdf")))).reason).toMatch(/^corrupt PDF/);
    expect((await parseError(parseDocument("pdf", fixture("scanned-no-text.pdf")))).reason).toBe(
      "scanned PDF with no text layer",
    );
  });
});

describe("DOCX (pandoc)", () => {
  it("maps heading styles to a heading path and tables to rows", async () => {
    const doc = await parseDocument("docx", fixture("shipping-and-delivery.docx"));
    expect(doc.title).toBe("Shipping and Delivery");
    const express = doc.sections.find((s) => s.heading.at(-1) === "Express delivery");
    expect(express?.heading).toEqual(["Shipping and Delivery", "Delivery times by region", "Express delivery"]);
    expect(express?.text).toContain("DHL Express for $14");
    const table = doc.sections.find((s) => s.heading.at(-1) === "Delivery times by region");
    expect(table?.text).toContain("United Kingdom | Royal Mail Tracked | 8–14 business days");
  });

  it("says why a truncated DOCX cannot be read", async () => {
    const err = await parseError(parseDocument("docx", fixture("corrupt.docx")));
    expect(err.reason).toMatch(/^corrupt DOCX: /);
    expect(err.kind).toBe("docx");
  });
});

describe("HTML (pandoc -s)", () => {
  it("drops nav, footer and scripts, keeps headings and decodes entities", async () => {
    const doc = await parseDocument("html", fixture("damaged-or-missing-items.html"));
    expect(doc.title).toBe("Damaged or Missing Items | Lev Haolam");
    const all = doc.sections.map((s) => s.text).join("\n");
    expect(all).not.toMatch(/Shop the boxes|Newsletter signup|analyticsQueue|DOCTYPE/);
    const leaks = doc.sections.find((s) => s.heading.at(-1) === "Items damaged by leaks");
    expect(leaks?.heading).toEqual(["Damaged or Missing Items", "Reporting a damaged item", "Items damaged by leaks"]);
    expect(all).toContain("item’s value");
  });

  it("turns table cells into one line per row", async () => {
    const doc = await parseDocument(
      "html",
      text(
        "<h1>Rates</h1><table><tr><th>Plan</th><th>Price</th></tr><tr><td>Classic</td><td>&#36;39.90</td></tr></table>",
      ),
    );
    expect(doc.sections[0]?.text).toBe("Plan | Price\nClassic | $39.90");
  });
});

describe("Markdown and text", () => {
  it("builds sections from ATX headings and strips inline markup", async () => {
    const doc = await parseDocument("md", faq("pause-skip-cancel.md"));
    expect(doc.title).toBe("Pausing, Skipping and Cancelling");
    const prepaid = doc.sections.find((s) => s.heading.at(-1) === "Cancelling a prepaid plan");
    expect(prepaid?.heading).toEqual([
      "Pausing, Skipping and Cancelling",
      "Cancelling your subscription",
      "Cancelling a prepaid plan",
    ]);
    const cancel = doc.sections.find((s) => s.heading.at(-1) === "Cancelling your subscription");
    expect(cancel?.text).toContain("press Cancel subscription");
    expect(cancel?.text).not.toContain("**");
  });

  it("understands setext headings and ignores # inside code fences", async () => {
    const doc = await parseDocument(
      "md",
      text("Guide\n=====\n\nIntro.\n\nSetup\n-----\n\n```\n# not a heading\n```\nDone."),
    );
    expect(doc.title).toBe("Guide");
    expect(doc.sections.map((s) => s.heading)).toEqual([["Guide"], ["Guide", "Setup"]]);
    expect(doc.sections[1]?.text).toContain("# not a heading");
  });

  it("parses plain text as one untitled section", async () => {
    const doc = await parseDocument("txt", text("Opening hours\n\nWe answer chats from 9:00 to 18:00."));
    expect(doc.title).toBe("Opening hours");
    expect(doc.sections).toHaveLength(1);
    expect((await parseError(parseDocument("txt", text("   \n ")))).reason).toBe("empty document");
  });
});
