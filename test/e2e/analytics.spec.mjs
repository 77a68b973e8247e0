/**
 * The analyst's journey (issue 15 §7, issue 19 "Reports"): sign in, open Ask, ask a
 * question and see the answer, the SQL, the table and a chart; ask a follow-up; export
 * the answer as CSV; pin it; then the reports page shows the synthetic history with trends,
 * units and a drill-down, and exports as XLSX.
 */
import { readFileSync } from "node:fs";
import { DEMO, api, login } from "./lib/browser.mjs";

const ANALYST = { email: "analyst@demo.test", password: "demo-analyst-password" };

export async function run({ browser, baseUrl, screenshot, expect, step }) {
  const expectMatch = (text, re, label) => {
    if (!re.test(text)) expect.fail(`${label}: expected ${JSON.stringify(text.slice(0, 300))} to match ${re}`);
  };
  // `npm run dev` writes the synthetic history after start-up: wait until it is there.
  const token = await login(baseUrl, DEMO.admin);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await api(baseUrl, token, `/api/reports/breakdown?by=month&from=0&to=${Date.now()}`);
    const total = r.status === 200 ? r.body.rows.reduce((s, x) => s + (x.values[0] ?? 0), 0) : 0;
    if (total > 4000) break;
    if (Date.now() > deadline) throw new Error(`synthetic history not seeded (found ${total} conversations)`);
    await new Promise((res) => setTimeout(res, 1000));
  }

  const ctx = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: "en-US",
    acceptDownloads: true,
  });
  const page = await ctx.newPage();

  await step("login: the analyst signs in and opens Ask", async () => {
    await page.goto(`${baseUrl}/app/`);
    await page.locator('input[name="email"]').fill(ANALYST.email);
    await page.locator('input[name="password"]').fill(ANALYST.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="nav-ask"]').click();
    await page.locator('[data-testid="ask"]').waitFor({ timeout: 10_000 });
  });

  const answers = page.locator('[data-testid="answer"]');

  await step("ask: a question gets an answer, the SQL, a table and a chart", async () => {
    await page.locator('[data-testid="ask-input"]').fill("Conversations by channel in the last 30 days");
    await page.locator('[data-testid="ask-submit"]').click();
    await answers.first().waitFor({ timeout: 20_000 });
    const first = answers.first();
    expectMatch(await first.locator('[data-testid="answer-text"]').innerText(), /biggest contributor/, "answer");
    await first.locator('[data-testid="answer-sql"] summary').click();
    expectMatch(await first.locator('[data-testid="answer-sql"] pre').innerText(), /GROUP BY/, "sql");
    expect(await first.locator('[data-testid="answer-table"] tbody tr').count(), "rows").toBe(5);
    await first.locator('[data-testid="answer-chart"] canvas').waitFor({ timeout: 10_000 });
    await screenshot(page, "ask-answer");
  });

  await step("follow-up: 'and by category?' refines the previous question", async () => {
    await page.locator('[data-testid="ask-input"]').fill("and by category?");
    await page.locator('[data-testid="ask-submit"]').click();
    await answers.nth(1).waitFor({ timeout: 20_000 });
    const second = answers.nth(1);
    expectMatch(await second.locator('[data-testid="answer-table"] thead').innerText(), /category/, "columns");
    expect(await second.locator('[data-testid="answer-table"] tbody tr').count(), "rows").toBe(10);
  });

  await step("export: the answer downloads as CSV", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 10_000 }),
      answers.nth(1).locator('[data-testid="export-answer-csv"]').click(),
    ]);
    const text = readFileSync(await download.path(), "utf8");
    expect(text.split(/\r?\n/)[0], "csv header").toBe("category,conversations");
    expect(text.split(/\r?\n/).length, "csv lines").toBe(11);
  });

  await step("pin: the answer lands on the analyst's dashboard and refreshes", async () => {
    await answers.first().locator('[data-testid="pin-answer"]').click();
    await page.locator('[data-testid="pin"]').first().waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="pin"] [data-testid="answer-chart"]').first().waitFor({ timeout: 15_000 });
  });

  await step("refusal: a question about customers' emails is refused in words", async () => {
    await page.locator('[data-testid="ask-input"]').fill("List the email addresses of our customers");
    await page.locator('[data-testid="ask-submit"]').click();
    await answers.nth(2).waitFor({ timeout: 20_000 });
    expectMatch(await answers.nth(2).locator('[data-testid="answer-text"]').innerText(), /personal data/, "refusal");
  });

  await step("reports: the seeded history with trends, units and a drill-down", async () => {
    await page.goto(`${baseUrl}/app/#/reports`);
    await page.locator('[data-testid="trend-table"] tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="trend-table"] tbody tr').count(), "days").toBeGreaterThan(25);
    expectMatch(await page.locator('[data-testid="trend-table"] thead').innerText(), /\(min\)/, "units");
    await page.locator('[data-testid="by-operator"]').click();
    await page
      .locator('[data-testid="breakdown-table"] thead th', { hasText: /^operator$/ })
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="breakdown-table"] tbody tr').count(), "operators").toBe(4);
    await page.locator('[data-testid="breakdown-table"] [data-testid="drill"]').first().click();
    await page.locator('[data-testid="drill-table"] tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="drill-table"] tbody tr').count(), "drill rows").toBeGreaterThan(10);
    await screenshot(page, "reports-drilldown");
    await page.keyboard.press("Escape");
  });

  await step("reports: the page exports as XLSX and PDF", async () => {
    const [xlsx] = await Promise.all([
      page.waitForEvent("download", { timeout: 20_000 }),
      page.locator('[data-testid="export-page-xlsx"]').click(),
    ]);
    const bytes = readFileSync(await xlsx.path());
    expect(bytes.subarray(0, 2).toString(), "zip").toBe("PK");
    const [pdf] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      page.locator('[data-testid="export-page-pdf"]').click(),
    ]);
    expect(
      readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString(),
      "pdf",
    ).toBe("%PDF-");
  });

  await ctx.close();
}
