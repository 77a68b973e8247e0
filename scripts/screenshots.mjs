#!/usr/bin/env node
/**
 * `npm run screenshots`: regenerates docs/screenshots/*.png, every main page of the
 * widget and the dashboard at 1440 px and 390 px wide. Starts the platform exactly as the
 * browser tests do (fresh database, demo seed, its own port: SCREENSHOTS_PORT, default
 * 8799), plays a short customer conversation so the screens are not empty, then captures.
 * Needs /usr/bin/chromium (or CHROMIUM_PATH), like `npm run test:e2e`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DEMO, launchBrowser, widget } from "../test/e2e/lib/browser.mjs";
import { ROOT, startServer } from "../test/e2e/lib/server.mjs";

const out = join(ROOT, "docs", "screenshots");
mkdirSync(out, { recursive: true });
const WIDTHS = [1440, 390];
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAA90lEQVR42u3ZTQ6CMBCGYW7gDTgiS8/obdyxYAWJiTHSTuennbwakq6Mne9BK7TjdLsvqDFdIDXoMc+vsa3PtPEOlUBpps/EBijB9BVXAJ3flKY5XimDckzFiCpotKlWXAKNMwllG6ARJrlgG9TX1CylAvUyaYpoQXGTcroBFDHpJ9pAPpNpihlkDbBegAekj3F8nE6QJsy34PwgOdK9/EOgWnDkBhEFneODt6sOIMHkKNUHVDT56vwpiPWVsRY162fPujGyHh2shytr+8HaoLG2sKxNPusYxDooso7SrGYDqx3DalixWnq4pie3LUxpnF//dfwIaAdSmut74G2Q/QAAAABJRU5ErkJggg==",
  "base64",
);

const server = await startServer({ port: Number(process.env.SCREENSHOTS_PORT ?? 8799) });
const browser = await launchBrowser();
const base = server.baseUrl;
const shots = [];

async function shot(page, name, width) {
  await page.waitForTimeout(700);
  const path = join(out, `${name}-${width}.png`);
  await page.screenshot({ path });
  shots.push(path);
}

try {
  // A customer conversation: a question, a photo, so the inbox and the timeline have content.
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
  const shop = await ctx.newPage();
  await shop.goto(`${base}/`);
  const w = widget(shop);
  await w.launcher.click();
  await shop.waitForFunction(
    () =>
      document
        .querySelector("#omnisupport-widget")
        ?.shadowRoot?.querySelector(".os-root")
        ?.getAttribute("data-status") === "online",
    null,
    { timeout: 20_000 },
  );
  if ((await w.skipPrechat.count()) > 0) await w.skipPrechat.first().click();
  await w.send("Hi! My olive-wood bowl arrived cracked, parcel RR123456789IL. Can you send a new one?");
  await shop.locator('#omnisupport-widget input[type="file"]').setInputFiles({
    name: "bowl.png",
    mimeType: "image/png",
    buffer: PNG,
  });
  await w.sendButton.click();
  await shop.locator("#omnisupport-widget .os-item[data-seq] img.os-thumb").first().waitFor({ timeout: 15_000 });
  const conversationId = await w.conversationId();
  await shop.waitForTimeout(2500);

  for (const width of WIDTHS) {
    const vctx = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 }, locale: "en-US" });
    const page = await vctx.newPage();
    // The customer side, the same conversation (visitor token shared through localStorage is per context, so a fresh one).
    await page.goto(`${base}/`);
    await shot(page, "shop-launcher", width);
    await page.locator("#omnisupport-widget .os-launcher").click();
    await shot(page, "widget-open", width);
    await page.goto(`${base}/embed.html`);
    await shot(page, "embed", width);

    await page.goto(`${base}/app/`);
    await shot(page, "login", width);
    await page.locator('input[name="email"]').fill(DEMO.admin.email);
    await page.locator('input[name="password"]').fill(DEMO.admin.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="inbox"]').waitFor({ timeout: 15_000 });
    await shot(page, "inbox", width);
    await page.goto(`${base}/app/#/inbox/${encodeURIComponent(conversationId)}`);
    await page.locator('[data-testid="timeline"] img.thumb').first().waitFor({ timeout: 15_000 });
    await shot(page, "conversation", width);
    await page.goto(`${base}/app/#/contacts`);
    await page.locator('[data-testid="contacts"] .conv-item').first().click();
    await page.locator('[data-testid="contact-profile"]').waitFor({ timeout: 10_000 });
    await shot(page, "contacts", width);
    await page.goto(`${base}/app/#/reports`);
    await shot(page, "reports", width);
    for (const sub of [
      "team",
      "inboxes",
      "routing",
      "categories",
      "widget",
      "knowledge",
      "playground",
      "dead-letters",
    ]) {
      await page.goto(`${base}/app/#/admin/${sub}`);
      await shot(page, `admin-${sub}`, width);
    }
    await vctx.close();
  }
  await ctx.close();
  console.log(`${shots.length} screenshots in docs/screenshots/`);
} finally {
  await browser.close().catch(() => {});
  await server.stop().catch(() => {});
}
