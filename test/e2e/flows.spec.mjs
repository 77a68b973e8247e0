/**
 * The scenario builder in the browser: an admin builds a small flow by clicking in the
 * editor (a buttons node whose "Talk to a person" button leads to a handoff, and a
 * message for the other), checks it in the simulator, publishes it, and a customer in the
 * widget presses the button and is handed to a human. The flow is deactivated at the end
 * so the next specs meet the AI agent again.
 */
import { DEMO, api, login, widget } from "./lib/browser.mjs";

const UI_TIMEOUT = 15_000;

export async function run({ browser, baseUrl, screenshot, expect, step }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
  const admin = await context.newPage();
  admin.on("pageerror", (e) => console.log(`      [pageerror] ${e.message}`));
  const name = `E2E flow ${Date.now().toString(36)}`;
  let flowId = null;

  await step("the admin opens Flows and creates one from scratch", async () => {
    await admin.goto(`${baseUrl}/app/`);
    await admin.locator('input[name="email"]').fill(DEMO.admin.email);
    await admin.locator('input[name="password"]').fill(DEMO.admin.password);
    await admin.locator('input[name="password"]').press("Enter");
    await admin.waitForFunction(() => !document.querySelector('input[name="password"]'), null, { timeout: UI_TIMEOUT });
    await admin.goto(`${baseUrl}/app/#/admin/flows`);
    await admin.getByTestId("flow-name").fill(name);
    await admin.getByTestId("flow-template").selectOption("scratch");
    await admin.getByTestId("flow-create").click();
    await admin.getByTestId("flow-editor").waitFor({ timeout: UI_TIMEOUT });
    flowId = decodeURIComponent(new URL(admin.url()).hash.split("/").at(-1));
    expect(flowId.startsWith("flow_"), "flow id in the URL").toBe(true);
  });

  await step("builds buttons → handoff by clicking, validates, simulates and publishes", async () => {
    const ed = admin.getByTestId("flow-editor");
    // The scratch flow: hello (message) → end. Add a buttons node and a handoff.
    await admin.getByTestId("add-buttons").click();
    await admin.getByTestId("node-text").fill("How can we help?");
    await admin.getByTestId("button-title-0").fill("Talk to a person");
    await admin.getByTestId("add-button").click();
    await admin.getByTestId("button-title-1").fill("Just browsing");
    const buttonsId = await admin.getByTestId("node-select").inputValue();
    await admin.getByTestId("add-handoff").click();
    const handoffId = await admin.getByTestId("node-select").inputValue();
    // Wire by clicking: hello → buttons; "Talk to a person" → handoff (button 2 left for the validator).
    await admin.getByTestId("node-select").selectOption("hello");
    await admin.getByTestId("exit-next").selectOption(buttonsId);
    await admin.getByTestId("node-select").selectOption(buttonsId);
    await admin.getByTestId("exit-b1").selectOption(handoffId);
    await admin.getByTestId("flow-validate").click();
    // Button 2 leads nowhere yet: the validator names the node.
    expect(await admin.getByTestId("flow-issues").textContent(), "validation issue").toContain(buttonsId);
    await admin.getByTestId("exit-b2").selectOption("end");
    await admin.getByTestId("trigger-first").check();
    await admin.getByTestId("flow-validate").click();
    expect(await admin.getByTestId("flow-status").textContent(), "valid").toContain("valid");
    // Simulator: the draft on the server's engine.
    await ed.locator('[data-testid="flow-sim"] input').fill("hi");
    await ed.locator('[data-testid="flow-sim"] button', { hasText: "Send" }).click();
    await ed
      .locator('[data-testid="flow-sim"] .bot button', { hasText: "Talk to a person" })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    await ed.locator('[data-testid="flow-sim"] .bot button', { hasText: "Talk to a person" }).last().click();
    await ed.locator('[data-testid="flow-sim"] p', { hasText: "handed to a human" }).waitFor({ timeout: UI_TIMEOUT });
    await admin.getByTestId("flow-publish").click();
    await admin.getByTestId("flow-status").filter({ hasText: "Published version 1" }).waitFor({ timeout: UI_TIMEOUT });
    await screenshot(admin, "flow-editor");
  });

  await step("a widget customer follows the published flow to a handoff", async () => {
    const page = await context.newPage();
    const w = widget(page);
    await page.goto(`${baseUrl}/`);
    await w.launcher.click();
    await w.panel.waitFor({ state: "visible" });
    await page.waitForFunction(
      (host) =>
        document.querySelector(host)?.shadowRoot?.querySelector(".os-root")?.getAttribute("data-status") === "online",
      w.host,
      { timeout: UI_TIMEOUT },
    );
    if ((await w.skipPrechat.count()) > 0) await w.skipPrechat.first().click();
    await w.send("hello there");
    const chip = page.locator(`${w.host} .os-chip`, { hasText: "Talk to a person" });
    await chip.waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator(`${w.host} .os-chip`).count(), "two buttons").toBe(2);
    await chip.click();
    // Handed over: the customer is told a person will answer (the room's hand-over notice).
    await page.waitForFunction(
      (host) => document.querySelector(host)?.shadowRoot?.querySelectorAll('.os-item[data-sender="bot"]').length >= 3,
      w.host,
      { timeout: UI_TIMEOUT },
    );
    await screenshot(page, "flow-widget-handoff");
    const token = await login(baseUrl, DEMO.admin);
    const conv = await w.conversationId();
    // D1 follows the room within its mirror window (5–15 s): poll the record.
    let owner = "bot";
    for (let i = 0; i < 40 && owner === "bot"; i++) {
      const detail = await api(baseUrl, token, `/api/conversations/${encodeURIComponent(conv)}`);
      owner = detail.status === 200 ? detail.body.owner : "bot";
      if (owner === "bot") await new Promise((r) => setTimeout(r, 500));
    }
    expect(["human", "queue"].includes(owner), `the conversation left the bot (owner: ${owner})`).toBe(true);
    await page.close();
  });

  // Leave the platform as the other specs expect it: no active flow on first messages.
  if (flowId) {
    const token = await login(baseUrl, DEMO.admin);
    await api(baseUrl, token, `/api/flows/${encodeURIComponent(flowId)}`, {
      method: "PUT",
      body: JSON.stringify({ active: false }),
    });
    // Rooms cache the active flows for up to 10 s.
    await new Promise((r) => setTimeout(r, 11_000));
  }
  await context.close();
}
