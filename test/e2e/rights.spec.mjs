/**
 * Issue 20 in the browser: a customer states a fact in the widget conversation; in the
 * dashboard's customer card the operator (here an admin, who is also staff) sees the
 * proposed memory, edits and approves it, sets its expiry (shown, also once passed), follows
 * the source link to the customer's message and forgets the fact; the admin downloads the
 * export, erases the contact and sees the receipt; the contact is gone from the API afterwards.
 */
import { DEMO, api, login } from "./lib/browser.mjs";

const FACT_TEXT = "Hello, I am allergic to nuts so no food items with nuts please";

async function customerSays(baseUrl, text) {
  const res = await fetch(`${baseUrl}/api/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ widgetKey: DEMO.widgetKey, language: "en" }),
  });
  if (!res.ok) throw new Error(`session: HTTP ${res.status}`);
  const session = await res.json();
  const WS = globalThis.WebSocket ?? (await import("ws")).WebSocket;
  const ws = new WS(
    `${baseUrl.replace(/^http/, "ws")}/parties/conversation-room/${encodeURIComponent(session.conversationId)}?token=${encodeURIComponent(session.visitorToken)}&lastSeq=0`,
  );
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve);
    ws.addEventListener("error", () => reject(new Error("socket error")));
  });
  ws.send(JSON.stringify({ type: "send", clientId: `e2e-rights-${Date.now().toString(36)}`, text, attachments: [] }));
  return { conversationId: session.conversationId, close: () => ws.close() };
}

export async function run({ browser, baseUrl, screenshot, expect, step }) {
  const token = await login(baseUrl, DEMO.admin);
  const customer = await customerSays(baseUrl, FACT_TEXT);
  let contactId = null;
  const deadline = Date.now() + 20_000;
  while (!contactId && Date.now() < deadline) {
    const conv = await api(baseUrl, token, `/api/conversations/${customer.conversationId}`);
    const id = conv.body?.contactId ?? conv.body?.conversation?.contactId;
    if (id) {
      const mem = await api(baseUrl, token, `/api/contacts/${id}/memories`);
      if (mem.body?.items?.length) contactId = id;
    }
    if (!contactId) await new Promise((r) => setTimeout(r, 500));
  }
  customer.close();
  expect(Boolean(contactId), "a proposed memory appears for the customer").toBe(true);

  const ctx = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: "en-US",
    acceptDownloads: true,
  });
  const page = await ctx.newPage();
  page.on("dialog", (d) => void d.accept());

  await step("an operator sees the proposed memory in the customer card, edits and approves it", async () => {
    await page.goto(`${baseUrl}/app/`);
    await page.locator('input[name="email"]').fill(DEMO.admin.email);
    await page.locator('input[name="password"]').fill(DEMO.admin.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="inbox"]').waitFor({ timeout: 10_000 });
    await page.goto(`${baseUrl}/app/#/inbox/${encodeURIComponent(customer.conversationId)}`);
    const memory = page.locator('[data-testid="memory"]').first();
    await memory.waitFor({ timeout: 15_000 });
    expect(await memory.getAttribute("data-status"), "status").toBe("proposed");
    await memory.locator('[data-testid="memory-fact"]').fill("Allergic to nuts: no food items with nuts");
    await memory.locator("button", { hasText: "Save" }).click();
    await page
      .locator('[data-testid="memory"][data-status="proposed"] [data-testid="memory-fact"]')
      .first()
      .waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="memory"] button', { hasText: "Approve" }).first().click();
    await page.locator('[data-testid="memory"][data-status="approved"]').waitFor({ timeout: 10_000 });
    const mem = await api(baseUrl, token, `/api/contacts/${contactId}/memories`);
    expect(mem.body.items[0].fact, "edited fact").toBe("Allergic to nuts: no food items with nuts");
    expect(mem.body.items[0].status, "approved").toBe("approved");
    await screenshot(page, "rights-memory");
  });

  await step("the operator sets an expiry and sees it, including once it has passed", async () => {
    const memory = page.locator('[data-testid="memory"]').first();
    await memory.locator('[data-testid="memory-expiry-input"]').fill("2030-01-31");
    const badge = page.locator('[data-testid="memory"] [data-testid="memory-expiry"][data-state="active"]');
    await badge.waitFor({ timeout: 10_000 });
    expect(await badge.textContent(), "expiry shown").toContain("2030-01-31");
    const mem = await api(baseUrl, token, `/api/contacts/${contactId}/memories`);
    expect(new Date(mem.body.items[0].expiresAt).toISOString().slice(0, 10), "stored expiry").toBe("2030-01-31");
    await page.locator('[data-testid="memory-expiry-input"]').first().fill("2020-01-31");
    const expired = page.locator('[data-testid="memory"] [data-testid="memory-expiry"][data-state="expired"]');
    await expired.waitFor({ timeout: 10_000 });
    expect(await expired.textContent(), "expired shown").toContain("Expired 2020-01-31");
    await screenshot(page, "rights-memory-expired");
  });

  await step("the source link opens the customer's message the fact came from", async () => {
    const mem = await api(baseUrl, token, `/api/contacts/${contactId}/memories`);
    await page.locator('[data-testid="memory-source"]').first().click();
    await page.waitForURL((u) => u.hash.endsWith(`/${encodeURIComponent(mem.body.items[0].sourceMessageId)}`), {
      timeout: 10_000,
    });
    const focused = page.locator('[data-testid="conversation"] [data-focused="true"]');
    await focused.waitFor({ timeout: 10_000 });
    expect(await focused.getAttribute("data-message-id"), "the source message").toBe(mem.body.items[0].sourceMessageId);
    expect(await focused.textContent(), "its text").toContain(FACT_TEXT);
    await screenshot(page, "rights-memory-source");
  });

  await step("the operator forgets the fact: it is gone from the card and the API", async () => {
    await page.locator('[data-testid="memory-forget"]').first().click();
    await page.locator('[data-testid="memories"]', { hasText: "Nothing remembered yet" }).waitFor({ timeout: 10_000 });
    const mem = await api(baseUrl, token, `/api/contacts/${contactId}/memories`);
    expect(mem.body.items.length, "memories after forgetting").toBe(0);
  });

  await step("an admin exports the contact and gets a JSON archive", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 15_000 }),
      page.locator('[data-testid="data-rights"] button', { hasText: "Export" }).click(),
    ]);
    expect(download.suggestedFilename(), "file name").toBe(`contact-${contactId}.json`);
  });

  await step("an admin erases the contact and sees the receipt", async () => {
    await page.locator('[data-testid="data-rights"] button', { hasText: "Erase" }).click();
    const receipt = page.locator('[data-testid="erase-receipt"]');
    await receipt.waitFor({ timeout: 20_000 });
    expect(await receipt.textContent(), "receipt").toContain("rooms.messages");
    // The erased conversation is no longer on screen: only the receipt.
    await page.locator('[data-testid="erased"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="conversation"]').count(), "conversation view").toBe(0);
    expect(await page.locator("main").textContent(), "the customer's words").not.toContain(FACT_TEXT);
    await screenshot(page, "rights-erased");
    const gone = await api(baseUrl, token, `/api/contacts/${contactId}`);
    expect(gone.status, "contact after erasure").toBe(404);
  });

  await ctx.close();
}
