/**
 * The Eval Lab in the dashboard: an admin uploads a CSV whose headers are not the
 * canonical ones, maps them in the preview, imports; starts a baseline and a candidate
 * run and watches the progress bar move over the run's socket; compares the two runs;
 * promotes the candidate (its model choice becomes new category versions).
 */
import { DEMO } from "./lib/browser.mjs";

const RUN_TIMEOUT = 180_000;

function ticketsCsv(n) {
  const rows = ["ticket,question,label,want,mail"];
  const kinds = [
    ["Please skip my next box", "skip_month"],
    ["Where is my box? It has not arrived yet.", "shipping_inquiry"],
    ['Can you change my deliveries to "every three months", please?', "change_frequency"],
  ];
  for (let i = 0; i < n; i++) {
    const [q, label] = kinds[i % kinds.length];
    rows.push(`T-${i},"${q.replace(/"/g, '""')}",${label},resolved,john.smith@example.com`);
  }
  return `${rows.join("\r\n")}\r\n`;
}

export async function run({ browser, baseUrl, screenshot, expect, step }) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
  const page = await ctx.newPage();
  const started = [];

  await step("login and open the Eval Lab", async () => {
    await page.goto(`${baseUrl}/app/`);
    await page.locator('input[name="email"]').fill(DEMO.admin.email);
    await page.locator('input[name="password"]').fill(DEMO.admin.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="nav-evals"]').click();
    await page.locator('[data-testid="eval-lab"]').waitFor({ timeout: 10_000 });
  });

  await step("upload → map → import", async () => {
    await page.locator('[data-testid="csv-file"]').setInputFiles({
      name: "tickets.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(ticketsCsv(24)),
    });
    await page.locator('[data-testid="mapping-preview"]').waitFor({ timeout: 10_000 });
    // "ticket", "question" and "label" are recognised synonyms; "want" and "mail" are mapped by hand.
    expect(await page.locator('[data-testid="map-id"]').inputValue(), "id mapping").toBe("ticket");
    expect(await page.locator('[data-testid="map-message"]').inputValue(), "message mapping").toBe("question");
    await page.locator('[data-testid="map-outcome"]').selectOption("want");
    await page.locator('[data-testid="map-customer_email"]').selectOption("mail");
    await page.locator('[data-testid="set-name"]').fill("e2e tickets");
    await screenshot(page, "mapping");
    await page.locator('[data-testid="import"]').click();
    await page.locator('[data-testid="sets"] td', { hasText: "e2e tickets" }).waitFor({ timeout: 30_000 });
  });

  const startRun = async (name, provider) => {
    await page.goto(`${baseUrl}/app/#/evals/runs`);
    await page.locator('[data-testid="start-run"]').waitFor();
    const option = page.locator('[data-testid="run-set"] option', { hasText: "e2e tickets" });
    await page.locator('[data-testid="run-set"]').selectOption(await option.first().getAttribute("value"));
    await page.locator('[data-testid="variant-name"]').fill(name);
    if (provider) await page.locator('[placeholder="provider"]').fill(provider);
    await page.locator('[data-testid="start"]').click();
    const row = page.locator('[data-testid^="run-"][data-status]', { hasText: name }).first();
    await row.waitFor({ timeout: 15_000 });
    return row;
  };

  await step("run with a live progress bar", async () => {
    const row = await startRun("baseline");
    const seen = new Set();
    const deadline = Date.now() + RUN_TIMEOUT;
    // Progress text changes without a reload: frames from the run's socket.
    while (Date.now() < deadline) {
      seen.add(await row.locator('[data-testid="run-progress"]').innerText());
      if ((await row.getAttribute("data-status")) === "done") break;
      await page.waitForTimeout(200);
    }
    expect(await row.getAttribute("data-status"), "baseline status").toBe("done");
    expect(seen.size > 1, `progress moved (${[...seen].join(" | ")})`).toBe(true);
    started.push("baseline");
    await screenshot(page, "run-done");
  });

  await step("a candidate run", async () => {
    const row = await startRun("candidate", "local");
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid^="run-"][data-status]')].some(
          (r) => r.textContent?.includes("candidate") && r.getAttribute("data-status") === "done",
        ),
      undefined,
      { timeout: RUN_TIMEOUT },
    );
    expect(await row.getAttribute("data-status"), "candidate status").toBe("done");
    started.push("candidate");
  });

  await step("compare the two runs", async () => {
    await page.goto(`${baseUrl}/app/#/evals/compare`);
    const pick = async (testid, name) => {
      // Run options read "name (time)"; the placeholder "baseline…" must not match.
      const opt = page.locator(`[data-testid="${testid}"] option`, { hasText: new RegExp(`^${name} \\(`) }).first();
      await opt.waitFor({ state: "attached", timeout: 10_000 });
      await page.locator(`[data-testid="${testid}"]`).selectOption(await opt.getAttribute("value"));
    };
    await pick("baseline", "baseline");
    await pick("candidate", "candidate");
    await page.locator('[data-testid="compare"]').click();
    const cmp = page.locator('[data-testid="comparison"]');
    await cmp.waitFor({ timeout: 30_000 });
    expect(await cmp.getAttribute("data-regression"), "regression flag").toBe("false");
    expect(await cmp.innerText(), "metrics table").toContain("passRate");
    await screenshot(page, "compare");
  });

  await step("promote the candidate", async () => {
    await page.locator('[data-testid="promote"]').click();
    await page.locator('[data-testid="promote-result"]', { hasText: "Promoted" }).waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="promote-result"]').innerText(), "result").toContain("10 category version");
  });

  await ctx.close();
}
