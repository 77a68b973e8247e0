/**
 * Browser and API helpers shared by every e2e spec: Debian chromium through
 * playwright-core (never a downloaded browser), operator login, and widget locators
 * that pierce the widget's open Shadow DOM.
 */
import { createHmac } from "node:crypto";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export const DEMO = {
  widgetKey: "demo-widget-key",
  identitySecret: "dev-identity-secret",
  admin: { email: "admin@demo.test", password: "demo-admin-password" },
  operator: { email: "operator@demo.test", password: "demo-operator-password" },
  customer: { email: "john.smith@example.com", name: "John Smith" },
};

/** What the host site's server computes to vouch for a logged-in customer. */
export function identityHash(email, secret = DEMO.identitySecret) {
  return createHmac("sha256", secret).update(email).digest("hex");
}

/** Operator JWT from POST /api/auth/login. */
export async function login(baseUrl, who = DEMO.admin) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(who),
  });
  if (!res.ok) throw new Error(`login failed: HTTP ${res.status} ${await res.text()}`);
  const body = await res.json();
  return body.token;
}

export async function api(baseUrl, token, path, init = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers ?? {}) },
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** Locators inside the widget (Playwright CSS selectors pierce open shadow roots). */
export function widget(page, host = "#omnisupport-widget") {
  const root = page.locator(`${host} .os-root`);
  return {
    host,
    root,
    launcher: page.locator(`${host} .os-launcher`),
    panel: page.locator(`${host} .os-panel`),
    input: page.locator(`${host} .os-input`),
    sendButton: page.locator(`${host} .os-send`),
    status: page.locator(`${host} .os-status`),
    items: page.locator(`${host} .os-item`),
    mine: page.locator(`${host} .os-item[data-sender="contact"]`),
    delivered: page.locator(`${host} .os-item[data-sender="contact"][data-seq]`),
    pending: page.locator(`${host} .os-item.os-pending`),
    botMessages: page.locator(
      `${host} .os-item[data-sender="bot"][data-seq], ${host} .os-item[data-sender="operator"][data-seq]`,
    ),
    actions: page.locator(`${host} .os-action`),
    language: page.locator(`${host} .os-header select`),
    skipPrechat: page.locator(`${host} .os-card .os-ghost`),
    async conversationId() {
      return root.getAttribute("data-conversation-id");
    },
    /** Types into the composer and presses Enter, as a visitor would. */
    async send(text) {
      await this.input.fill(text);
      await this.input.press("Enter");
    },
  };
}
