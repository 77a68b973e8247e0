/**
 * Issue 19, the day polished: what a customer and an operator see in real Chromium.
 * A transfer note never reaches the customer; an image sent from the widget shows as a
 * thumbnail on both sides (signed links); the embed panel stays inside its 600-px box
 * after 20 messages; the closed launcher shows an unread badge; search finds a
 * conversation by a word of a message; an analyst sees no enabled write control; an
 * operator at 390 px opens, replies and resolves.
 */
import { DEMO, api, login, widget } from "./lib/browser.mjs";

const ONLINE_TIMEOUT = 15_000;

/** A 24×24 PNG (teal square), built once so the spec needs no fixture file. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAIElEQVR4nGNkaPjPQA3ARBVTRg0aNWjUoFGDRg0aYgYBAJlMAZ5jcNhFAAAAAElFTkSuQmCC",
  "base64",
);

async function online(page, w) {
  await page.waitForFunction(
    (host) =>
      document.querySelector(host)?.shadowRoot?.querySelector(".os-root")?.getAttribute("data-status") === "online",
    w.host,
    { timeout: ONLINE_TIMEOUT },
  );
  if ((await w.skipPrechat.count()) > 0) await w.skipPrechat.first().click();
}

/** Signs in through the login form (the way a person does). */
async function signIn(page, baseUrl, who) {
  await page.goto(`${baseUrl}/app/`);
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="inbox"]').waitFor({ timeout: 15_000 });
}

/** Polls until fn() is truthy (REST state lags the room by its mirror window). */
async function until(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function run({ browser, baseUrl, screenshot, expect, step }) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.log(`      [widget pageerror] ${e.message}`));
  const w = widget(page);
  let conversationId = null;
  const marker = `kettle${Date.now().toString(36)}`;

  await step("image: a picture sent from the widget shows as a thumbnail to the customer", async () => {
    await page.goto(`${baseUrl}/`);
    await w.launcher.click();
    await online(page, w);
    conversationId = await w.conversationId();
    await w.send(`My ${marker} arrived broken`);
    await w.delivered.filter({ hasText: marker }).first().waitFor({ timeout: 10_000 });
    await page
      .locator(`${w.host} input[type="file"]`)
      .setInputFiles({ name: "broken.png", mimeType: "image/png", buffer: PNG });
    await page.locator(`${w.host} .os-preview img`).waitFor({ timeout: 5000 });
    await w.sendButton.click();
    const thumb = page.locator(`${w.host} .os-item[data-seq] img.os-thumb`).first();
    await thumb.waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      (host) => {
        const img = document.querySelector(host)?.shadowRoot?.querySelector(".os-item[data-seq] img.os-thumb");
        return img instanceof HTMLImageElement && img.complete && img.naturalWidth === 24;
      },
      w.host,
      { timeout: 10_000 },
    );
    expect(await thumb.getAttribute("src"), "signed link").toContain("/api/files/");
    await thumb.click();
    await page.locator(`${w.host} .os-zoom img`).waitFor({ timeout: 5000 });
    await screenshot(page, "widget-image-enlarged");
    await page.locator(`${w.host} .os-zoom`).click();
  });

  const opCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
  const op = await opCtx.newPage();
  op.on("pageerror", (e) => console.log(`      [dashboard pageerror] ${e.message}`));

  await step("image: the operator sees the same picture as a thumbnail and can enlarge it", async () => {
    expect(conversationId, "conversation id").toBeTruthy();
    await signIn(op, baseUrl, DEMO.operator);
    await op.goto(`${baseUrl}/app/#/inbox/${encodeURIComponent(conversationId)}`);
    const thumb = op.locator('[data-testid="timeline"] img.thumb').first();
    await thumb.waitFor({ timeout: 15_000 });
    await op.waitForFunction(
      () => {
        const img = document.querySelector('[data-testid="timeline"] img.thumb');
        return img instanceof HTMLImageElement && img.complete && img.naturalWidth === 24;
      },
      null,
      { timeout: 10_000 },
    );
    await thumb.click();
    await op.locator(".modal img.zoomed").waitFor({ timeout: 5000 });
    await screenshot(op, "operator-image-enlarged");
    await op.keyboard.press("Escape");
  });

  await step("transfer: the note stays internal; the customer sees at most who they are connected to", async () => {
    const note = "Customer needs a replacement bowl; please handle stock check";
    // Only a conversation a human holds can be transferred: take it first.
    await op.getByRole("button", { name: "Assign to me" }).click();
    await op.locator(".conv-header", { hasText: "Noa" }).waitFor({ timeout: 10_000 });
    await op.locator('[data-testid="transfer"]').click();
    await op.locator('select[name="transfer-target"]').selectOption("op:op_lucia");
    await op.locator('textarea[name="transfer-note"]').fill(note);
    await op.locator('[data-testid="transfer-confirm"]').click();
    // The operator sees the note as an internal note.
    await op.locator('[data-testid="msg-note"]', { hasText: "replacement bowl" }).first().waitFor({ timeout: 10_000 });
    // The customer sees the neutral activity and never the note, live or after a reload.
    await page.locator(`${w.host} .os-activity`, { hasText: "Connecting you to" }).first().waitFor({ timeout: 10_000 });
    expect(await w.root.innerText(), "widget text").not.toContain("replacement bowl");
    await page.reload();
    await w.launcher.click();
    await online(page, w);
    await page.locator(`${w.host} .os-activity`, { hasText: "Connecting you to" }).first().waitFor({ timeout: 10_000 });
    expect(await w.root.innerText(), "widget text after reload").not.toContain("stock check");
    await screenshot(page, "widget-after-transfer");
  });

  await step("search: a word of a message finds the conversation (GET /api/conversations?q=)", async () => {
    const token = await login(baseUrl, DEMO.operator);
    // A second conversation that must not match.
    const other = await fetch(`${baseUrl}/api/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ widgetKey: DEMO.widgetKey, language: "en" }),
    });
    expect(other.status, "second session").toBe(200);
    await until(
      async () => {
        const res = await api(baseUrl, token, `/api/conversations?q=${marker}`);
        return res.status === 200 && res.body.items.some((c) => c.id === conversationId);
      },
      30_000,
      "the message to be searchable",
    );
    await op.goto(`${baseUrl}/app/#/inbox`);
    await op.locator('[data-testid="inbox"]').waitFor();
    await op.locator(".conv-item").nth(1).waitFor({ timeout: 10_000 });
    await op.keyboard.press("/");
    await op.keyboard.type(marker);
    await op.waitForFunction(() => document.querySelectorAll(".conv-item").length === 1, null, { timeout: 10_000 });
    expect(await op.locator(".conv-item").first().getAttribute("data-conversation-id"), "the conversation found").toBe(
      conversationId,
    );
    await screenshot(op, "search");
  });

  await step("unread: the closed launcher shows a badge and a preview of the operator's reply", async () => {
    await page.locator(`${w.host} .os-close`).click();
    await w.panel.waitFor({ state: "detached", timeout: 5000 });
    // Replying takes the conversation over from Lucía (the room's rule), so no assignment is needed.
    await op.goto(`${baseUrl}/app/#/inbox/${encodeURIComponent(conversationId)}`);
    const composer = op.locator('[data-testid="composer"] textarea');
    await composer.waitFor({ timeout: 10_000 });
    await composer.fill("A new bowl is on its way, tracking RR123456789IL");
    await composer.press("Enter");
    const badge = page.locator(`${w.host} .os-badge`);
    await badge.waitFor({ timeout: 15_000 });
    expect(Number(await badge.innerText()), "unread count").toBeGreaterThan(0);
    expect(await page.locator(`${w.host} .os-peek`).innerText(), "preview").toContain("new bowl");
    await screenshot(page, "launcher-unread");
    await w.launcher.click();
    await badge.waitFor({ state: "detached", timeout: 5000 });
    const link = page.locator(`${w.host} .os-text a`, { hasText: "RR123456789IL" });
    expect(await link.getAttribute("href"), "tracking link").toContain("RR123456789IL");
  });

  await step("embed: the panel stays inside its 600-px box after 20 messages and the log scrolls", async () => {
    const embedCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const ep = await embedCtx.newPage();
    await ep.goto(`${baseUrl}/embed.html`);
    const ew = widget(ep, "#omnisupport-embed");
    await ew.panel.waitFor({ timeout: 10_000 });
    await online(ep, ew);
    for (let i = 1; i <= 20; i++) {
      await ew.send(`Embed message number ${i}`);
      await ew.delivered
        .filter({ hasText: `Embed message number ${i}` })
        .first()
        .waitFor({ timeout: 10_000 });
    }
    const box = await ep.locator("#support-chat").boundingBox();
    const panel = await ew.panel.boundingBox();
    expect(Math.round(panel.height), "panel height").toBeLessThanOrEqual(Math.round(box.height) + 1);
    const scroll = await ep.evaluate(() => {
      const log = document.querySelector("#omnisupport-embed")?.shadowRoot?.querySelector(".os-log");
      return log ? { sh: log.scrollHeight, ch: log.clientHeight, top: log.scrollTop } : null;
    });
    expect(scroll.sh, "log overflows and scrolls").toBeGreaterThan(scroll.ch);
    expect(scroll.top, "scrolled to the newest").toBeGreaterThan(0);
    await screenshot(ep, "embed-20-messages");
    await embedCtx.close();
  });

  await step("analyst: no enabled write control anywhere in the conversation view", async () => {
    const aCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
    const ap = await aCtx.newPage();
    await signIn(ap, baseUrl, { email: "analyst@demo.test", password: "demo-analyst-password" });
    await ap.goto(`${baseUrl}/app/#/inbox/${encodeURIComponent(conversationId)}`);
    await ap.locator('[data-testid="conversation"]').waitFor({ timeout: 10_000 });
    await ap.waitForTimeout(1000);
    const enabled = await ap.evaluate(() =>
      [
        ...document.querySelectorAll(
          '.conversation button, .conversation select, .conversation textarea, .conversation input, [data-testid="ai-panel"] button',
        ),
      ]
        .filter((el) => !el.matches(":disabled") && !el.closest("[data-read-safe]"))
        .map((el) => el.getAttribute("data-testid") ?? el.textContent?.trim() ?? el.tagName),
    );
    expect(enabled, "enabled write controls").toEqual([]);
    expect(await ap.locator('[data-testid="read-only"]').count(), "read-only notice").toBeGreaterThan(0);
    await screenshot(ap, "analyst-read-only");
    await aCtx.close();
  });

  await step("mobile: at 390 px an operator opens a conversation, replies and resolves", async () => {
    const mCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US", hasTouch: true });
    const mp = await mCtx.newPage();
    await signIn(mp, baseUrl, DEMO.admin);
    const item = mp.locator(`.conv-item[data-conversation-id="${conversationId}"]`);
    await item.waitFor({ timeout: 15_000 });
    const overflow = await mp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "no horizontal overflow on the inbox").toBeLessThanOrEqual(0);
    await screenshot(mp, "mobile-inbox");
    await item.click();
    const composer = mp.locator('[data-testid="composer"] textarea');
    await composer.waitFor({ state: "visible", timeout: 10_000 });
    const cb = await composer.boundingBox();
    expect(cb.x >= 0 && cb.x + cb.width <= 391, "composer within the screen").toBeTruthy();
    await composer.fill("Replying from my phone");
    await composer.press("Enter");
    await page
      .locator(`${w.host} .os-item`, { hasText: "Replying from my phone" })
      .first()
      .waitFor({ timeout: 10_000 });
    await mp.locator('[data-testid="resolve"]').click();
    await mp.locator('[data-testid="conv-status"]', { hasText: "Resolved" }).waitFor({ timeout: 10_000 });
    await screenshot(mp, "mobile-resolved");
    await mp.locator('[data-testid="back"]').click();
    await mp.locator('[data-testid="inbox"] .conv-list').waitFor({ state: "visible", timeout: 5000 });
    await mCtx.close();
  });

  await opCtx.close();
  await ctx.close();
}
