/**
 * Issue 20, Memory 3 in the browser: cross-customer learnings. The demo's synthetic history
 * (written by `npm run dev` after start-up) holds general questions that were handed to a
 * human across many customers; an admin opens the knowledge page, finds the patterns, approves
 * one proposal into a knowledge document (it appears in the document list) and dismisses
 * another (it disappears, creates nothing and does not come back on the next run). An operator
 * gets no admin page and the API refuses them (403) — nothing was approved by the attempt.
 */
import { DEMO, api, login } from "./lib/browser.mjs";

const ANSWER = "Every month's box holds six to eight items from Israeli makers; the list is on our site.";
const TITLE = "What is in this month's box";

async function waitForHistory(baseUrl, token) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await api(baseUrl, token, `/api/reports/breakdown?by=month&from=0&to=${Date.now()}`);
    const total = r.status === 200 ? r.body.rows.reduce((s, x) => s + (x.values[0] ?? 0), 0) : 0;
    if (total > 4000) return;
    if (Date.now() > deadline) throw new Error(`synthetic history not seeded (found ${total} conversations)`);
    await new Promise((res) => setTimeout(res, 1000));
  }
}

async function signIn(page, baseUrl, who) {
  await page.goto(`${baseUrl}/app/`);
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="inbox"]').waitFor({ timeout: 10_000 });
}

export async function run({ browser, baseUrl, screenshot, expect, step }) {
  const admin = await login(baseUrl, DEMO.admin);
  await waitForHistory(baseUrl, admin);

  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
  const page = await ctx.newPage();
  const proposals = page.locator('[data-testid="learnings"] [data-learning-id][data-kind="knowledge"]');
  let approvedId = null;
  let dismissedId = null;

  await step("an admin finds patterns and sees proposals made from the seeded conversations", async () => {
    await signIn(page, baseUrl, DEMO.admin);
    await page.goto(`${baseUrl}/app/#/admin/knowledge`);
    await page.locator('[data-testid="learnings"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="find-patterns"]').click();
    await proposals.nth(1).waitFor({ timeout: 60_000 });
    const first = proposals.first();
    expect(Number((await first.textContent()).match(/×(\d+)/)?.[1] ?? 0), "asked by several customers").toBeGreaterThan(
      2,
    );
    expect((await first.locator("li").count()) > 0, "examples shown").toBe(true);
    await screenshot(page, "learnings-proposals");
  });

  await step("approving one turns it into a knowledge document the admin sees in the list", async () => {
    const item = proposals.first();
    approvedId = await item.getAttribute("data-learning-id");
    await item.locator('[data-testid="learning-title"]').fill(TITLE);
    await item.locator('[data-testid="learning-text"]').fill(ANSWER);
    await item.locator('[data-testid="learning-approve"]').click();
    await page.locator(`[data-learning-id="${approvedId}"]`).waitFor({ state: "detached", timeout: 15_000 });
    const done = page.locator('[data-testid="learning-done"][data-kind="added"]');
    await done.waitFor({ timeout: 10_000 });
    expect(await done.textContent(), "confirmation").toContain(TITLE);
    const row = page.locator('[data-testid="documents"] tr', { hasText: TITLE });
    await row.waitFor({ timeout: 15_000 });
    const approved = await api(baseUrl, admin, "/api/learnings?status=approved");
    const p = approved.body.items.find((x) => x.id === approvedId);
    expect(p?.status, "proposal status").toBe("approved");
    expect(Boolean(p?.documentId), "document linked").toBe(true);
    expect(await row.getAttribute("data-document-id"), "the listed document is the proposal's").toBe(p.documentId);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, "learnings-approved");
  });

  await step("dismissing another removes it, creates nothing, and a new run does not bring it back", async () => {
    const before = await api(baseUrl, admin, "/api/knowledge/documents");
    const item = proposals.first();
    dismissedId = await item.getAttribute("data-learning-id");
    expect(dismissedId === approvedId, "a different proposal").toBe(false);
    await item.locator('[data-testid="learning-text"]').fill("This answer must never reach the knowledge base.");
    await item.locator('[data-testid="learning-dismiss"]').click();
    await page.locator(`[data-learning-id="${dismissedId}"]`).waitFor({ state: "detached", timeout: 15_000 });
    await page.locator('[data-testid="learning-done"][data-kind="dismissed"]').waitFor({ timeout: 10_000 });
    // The list is fetched again only after the run answered: wait for that fetch.
    const relisted = page.waitForResponse((r) => r.url().endsWith("/api/learnings") && r.request().method() === "GET", {
      timeout: 60_000,
    });
    await page.locator('[data-testid="find-patterns"]').click();
    await relisted;
    await page.locator('[data-testid="learnings"] [data-learning-id]').first().waitFor({ timeout: 10_000 });
    expect(await page.locator(`[data-learning-id="${dismissedId}"]`).count(), "not reopened").toBe(0);
    const dismissed = await api(baseUrl, admin, "/api/learnings?status=dismissed");
    const p = dismissed.body.items.find((x) => x.id === dismissedId);
    expect(p?.status, "proposal status").toBe("dismissed");
    expect(p?.documentId ?? null, "no document").toBe(null);
    const after = await api(baseUrl, admin, "/api/knowledge/documents");
    expect(after.body.items.length, "document count unchanged").toBe(before.body.items.length);
    expect(
      after.body.items.some((d) => d.fileName === `learning-${dismissedId}.md`),
      "no document from it",
    ).toBe(false);
    await screenshot(page, "learnings-dismissed");
  });

  await step("an operator cannot approve: no admin page in the UI, 403 from the API", async () => {
    const open = (await api(baseUrl, admin, "/api/learnings?status=open")).body.items;
    expect(open.length > 0, "an open proposal to try").toBe(true);
    const target = open[0];
    const octx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
    const op = await octx.newPage();
    await signIn(op, baseUrl, DEMO.operator);
    expect(await op.locator('header a[href="#/admin"]').count(), "no Admin link").toBe(0);
    await op.goto(`${baseUrl}/app/#/admin/knowledge`);
    await op.locator('[data-testid="admin-only"]').waitFor({ timeout: 10_000 });
    expect(await op.locator('[data-testid="learning-approve"]').count(), "no approve button").toBe(0);
    expect(await op.locator("[data-learning-id]").count(), "no proposals shown").toBe(0);
    await screenshot(op, "learnings-operator");
    const token = await login(baseUrl, DEMO.operator);
    const tries = await api(baseUrl, token, `/api/learnings/${target.id}/approve`, {
      method: "POST",
      body: JSON.stringify({ answer: "An operator tries to approve this proposal." }),
    });
    expect(tries.status, "approve as operator").toBe(403);
    expect((await api(baseUrl, token, "/api/learnings")).status, "list as operator").toBe(403);
    const still = (await api(baseUrl, admin, "/api/learnings?status=open")).body.items.find((x) => x.id === target.id);
    expect(still?.status, "still open").toBe("open");
    await octx.close();
  });

  await ctx.close();
}
