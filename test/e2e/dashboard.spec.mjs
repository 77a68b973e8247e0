/**
 * The operator's day in the dashboard (/app/): log in, go online, a widget conversation
 * arrives live, read the AI draft, edit and send it, approve a pending action, add a
 * note with an @mention, transfer, resolve; then an admin uploads a Markdown document
 * and watches it become searchable; reports. Every step that needs a server feature
 * which is not there yet fails with MissingFeature naming the endpoint or frame.
 */
import { MissingFeature } from "./lib/assert.mjs";
import { DEMO, api, identityHash, login } from "./lib/browser.mjs";

const LIVE_TIMEOUT = 15_000;

/**
 * The customer side, driven from Node exactly as the widget does it: a visitor session
 * (HMAC-identified, so account actions are allowed) and the ConversationRoom socket.
 * Keeps every server frame so steps can check what the customer saw.
 */
async function openCustomer(baseUrl) {
  const email = DEMO.customer.email;
  const res = await fetch(`${baseUrl}/api/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      widgetKey: DEMO.widgetKey,
      language: "en",
      identity: { email, name: DEMO.customer.name, hash: identityHash(email) },
    }),
  });
  if (!res.ok) throw new MissingFeature("POST /api/widget/session", `HTTP ${res.status}`);
  const session = await res.json();
  const WS = globalThis.WebSocket ?? (await import("ws")).WebSocket;
  const url = `${baseUrl.replace(/^http/, "ws")}/parties/conversation-room/${encodeURIComponent(session.conversationId)}?token=${encodeURIComponent(session.visitorToken)}&lastSeq=0`;
  const ws = new WS(url);
  const frames = [];
  ws.addEventListener("message", (ev) => {
    try {
      frames.push(JSON.parse(String(ev.data)));
    } catch {
      // not JSON: ignore
    }
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new MissingFeature(
            "ConversationRoom visitor socket (/parties/conversation-room/:id?token=…)",
            "did not open in 5 s",
          ),
        ),
      5000,
    );
    ws.addEventListener("open", () => (clearTimeout(timer), resolve()));
    ws.addEventListener(
      "error",
      () => (
        clearTimeout(timer),
        reject(
          new MissingFeature(
            "ConversationRoom visitor socket (/parties/conversation-room/:id?token=…)",
            "connection error",
          ),
        )
      ),
    );
  });
  let n = 0;
  return {
    conversationId: session.conversationId,
    frames,
    send(text) {
      ws.send(
        JSON.stringify({ type: "send", clientId: `e2e-dash-${Date.now().toString(36)}-${++n}`, text, attachments: [] }),
      );
    },
    async waitFor(pred, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const hit = frames.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new MissingFeature(what);
    },
    close: () => ws.close(),
  };
}

export async function run({ browser, baseUrl, screenshot, expect, step }) {
  const opCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
  const op = await opCtx.newPage();
  let customer = null;

  let conversationId = null;
  const needConversation = () => {
    if (!conversationId)
      throw new MissingFeature("a live widget conversation in the inbox (depends on the earlier step)");
    return conversationId;
  };
  const convItem = (id) => op.locator(`.conv-item[data-conversation-id="${id}"]`);
  const composer = op.locator('[data-testid="composer"] textarea');

  await step("login: the operator signs in and sees the inbox", async () => {
    await op.goto(`${baseUrl}/app/`);
    await op.locator('input[name="email"]').fill(DEMO.operator.email);
    await op.locator('input[name="password"]').fill(DEMO.operator.password);
    await op.locator('button[type="submit"]').click();
    await op.locator('[data-testid="inbox"]').waitFor({ timeout: 10_000 });
    expect(op.url(), "url").toContain("#/inbox");
  });

  await step("presence: the operator goes online over the presence socket", async () => {
    await op.locator('[data-testid="presence-status"]').selectOption("online");
    try {
      await op.locator(".topbar .dot.online").waitFor({ timeout: 2000 });
      // The server, not just the local switch, must report this operator online.
      await op.locator('[data-server-status="online"]').waitFor({ timeout: 8000 });
    } catch {
      throw new MissingFeature(
        "presence socket /parties/presence/:workspaceId?token=… (Presence DO accepting operator JWTs)",
      );
    }
  });

  await step("live: a widget conversation arrives in the inbox without a reload", async () => {
    customer = await openCustomer(baseUrl);
    conversationId = customer.conversationId;
    customer.send("Please skip next month's box for my subscription");
    await customer.waitFor((f) => f.type === "ack", 10_000, "ack of the customer's message from the ConversationRoom");
    try {
      await convItem(conversationId).waitFor({ timeout: LIVE_TIMEOUT });
    } catch {
      throw new MissingFeature("presence `inbox` frame for a new widget conversation (Presence DO → dashboard)");
    }
    await screenshot(op, "inbox-live");
  });

  await step("conversation: open it, the customer's message and card are shown", async () => {
    const id = needConversation();
    await convItem(id).click();
    await op.locator(`[data-testid="conversation"][data-conversation-id="${id}"]`).waitFor();
    await op
      .locator('[data-testid="msg-incoming"]', { hasText: "skip next month" })
      .first()
      .waitFor({ timeout: 10_000 });
    await op.locator('[data-testid="customer-card"]').waitFor({ timeout: 10_000 });
    await screenshot(op, "conversation");
  });

  await step("action: a pending action is approved by the operator", async () => {
    needConversation();
    const approve = op.locator('[data-testid="approve-action"]');
    try {
      await approve.first().waitFor({ timeout: LIVE_TIMEOUT });
    } catch {
      throw new MissingFeature("pending action for operator approval (`action` frame with status pending in the room)");
    }
    const decided = op.waitForResponse((r) => /\/actions\/[^/]+\/approve$/.test(new URL(r.url()).pathname), {
      timeout: 10_000,
    });
    await approve.first().click();
    const res = await decided;
    if (res.status() === 404)
      throw new MissingFeature(
        "POST /api/conversations/:id/actions/:actionId/approve",
        "HTTP 404; the UI fell back to the room's action.decide frame",
      );
    expect(res.status(), "approve answered").toBe(200);
    // The approved action executes at once and leaves the pending list: check its final state.
    const token = await login(baseUrl, DEMO.operator);
    const deadline = Date.now() + 10_000;
    let statuses = [];
    while (Date.now() < deadline) {
      const r = await api(baseUrl, token, `/api/conversations/${needConversation()}/actions`);
      statuses = (r.body?.items ?? []).map((a) => a.status);
      if (statuses.includes("executed")) break;
      await op.waitForTimeout(300);
    }
    expect(statuses.includes("executed"), `an approved action executed (statuses: ${statuses.join(",")})`).toBe(true);
    await screenshot(op, "action-approved");
  });

  await step("AI: read the draft, edit it in the composer and send it", async () => {
    needConversation();
    // Asked while the operator watches, so the room's `ai` frame reaches this dashboard.
    customer.send("Also, my last box arrived damaged — one jar of honey is broken.");
    await op.locator('[data-testid="msg-incoming"]', { hasText: "jar of honey" }).first().waitFor({ timeout: 10_000 });
    const draft = op.locator('[data-testid="ai-draft"]');
    try {
      await draft.waitFor({ timeout: 5000 });
    } catch {
      await op.locator('[data-testid="ai-refresh"]').click();
      try {
        await draft.waitFor({ timeout: 10_000 });
      } catch {
        const na = await op
          .locator('[data-testid="ai-panel"] [data-testid="not-available"]')
          .textContent()
          .catch(() => null);
        throw new MissingFeature(
          "AI draft: `ai` frame from the ConversationRoom or POST /api/conversations/:id/suggest",
          na ?? "no draft shown",
        );
      }
    }
    expect((await draft.textContent())?.length ?? 0, "draft length").toBeGreaterThan(5);
    await op.locator('[data-testid="use-draft"]').click();
    // Preact applies the fill in an effect after the next paint.
    await op
      .waitForFunction(
        () => (document.querySelector('[data-testid="composer"] textarea')?.value.length ?? 0) > 5,
        null,
        { timeout: 5000 },
      )
      .catch(() => undefined);
    const text = await composer.inputValue();
    expect(text.length, "composer filled with the draft").toBeGreaterThan(5);
    const edited = `${text}\n— Noa from Lev Haolam`;
    await composer.fill(edited);
    await composer.press("Enter");
    const sent = op.locator('[data-testid="msg-outgoing"]:not(.pending)', { hasText: "Noa from Lev Haolam" });
    try {
      await sent.first().waitFor({ timeout: 10_000 });
    } catch {
      throw new MissingFeature("operator `send` frame acknowledged by the ConversationRoom (ack + message)");
    }
    await customer.waitFor(
      (f) =>
        f.type === "message" &&
        f.message?.senderType === "operator" &&
        f.message.content.includes("Noa from Lev Haolam"),
      10_000,
      "operator reply delivered to the customer's socket",
    );
  });

  await step("reply: a typed reply is acknowledged and reaches the customer", async () => {
    needConversation();
    await op.locator('[data-testid="mode-reply"]').click();
    await composer.fill("Thanks for your patience, a replacement jar is on its way.");
    await composer.press("Enter");
    try {
      await op
        .locator('[data-testid="msg-outgoing"]:not(.pending)', { hasText: "replacement jar" })
        .first()
        .waitFor({ timeout: 10_000 });
    } catch {
      throw new MissingFeature("operator `send` frame acknowledged by the ConversationRoom (ack + message)");
    }
    await customer.waitFor(
      (f) =>
        f.type === "message" && f.message?.senderType === "operator" && f.message.content.includes("replacement jar"),
      10_000,
      "operator reply delivered to the customer's socket",
    );
  });

  await step("canned: “/” opens canned responses rendered with the contact's name", async () => {
    needConversation();
    await composer.fill("/hel");
    await op.locator('[data-testid="canned-menu"]').waitFor({ timeout: 3000 });
    await composer.press("Enter");
    const value = await composer.inputValue();
    expect(value, "rendered canned response").toContain("thanks for reaching out");
    expect(value.includes("{{"), "no raw placeholders").toBe(false);
    await composer.fill("");
  });

  await step("note: an internal note with an @mention is visibly distinct and stays internal", async () => {
    needConversation();
    await op.locator('[data-testid="mode-note"]').click();
    await composer.fill("@olga could you double-check the refund for the honey?");
    await op.locator('[data-testid="composer-send"]').click();
    const note = op.locator('[data-testid="msg-note"]:not(.pending)', { hasText: "double-check the refund" });
    try {
      await note.first().waitFor({ timeout: 10_000 });
    } catch {
      throw new MissingFeature("operator `note` frame acknowledged by the ConversationRoom");
    }
    expect(await note.first().locator("mark.mention").count(), "mention highlighted").toBeGreaterThan(0);
    await op.waitForTimeout(500);
    expect(
      customer.frames.some((f) => f.type === "message" && f.message?.content?.includes("double-check the refund")),
      "note leaked to the customer",
    ).toBe(false);
  });

  await step("transfer: to the Billing team with a note", async () => {
    const id = needConversation();
    await op.locator('[data-testid="transfer"]').click();
    await op.locator('select[name="transfer-target"]').selectOption("team:team_billing");
    await op.locator('textarea[name="transfer-note"]').fill("Refund needed, over to billing");
    await op.locator('[data-testid="transfer-confirm"]').click();
    const token = await login(baseUrl, DEMO.operator);
    const deadline = Date.now() + 10_000;
    let teamId = null;
    while (Date.now() < deadline) {
      const res = await api(baseUrl, token, `/api/conversations/${id}`);
      teamId = res.body?.teamId ?? null;
      if (teamId === "team_billing") break;
      await op.waitForTimeout(500);
    }
    if (teamId !== "team_billing")
      throw new MissingFeature(
        "`command transfer` handled by the ConversationRoom and mirrored to D1",
        `teamId is ${teamId}`,
      );
  });

  await step("resolve: the conversation is resolved from the keyboard (e)", async () => {
    needConversation();
    await op.locator(".timeline").click();
    await op.keyboard.press("e");
    try {
      await op.locator('[data-testid="conv-status"]', { hasText: "Resolved" }).waitFor({ timeout: 10_000 });
    } catch {
      throw new MissingFeature("`command resolve` → `state` frame with status resolved");
    }
    await screenshot(op, "resolved");
  });

  await step("shortcuts: “?” shows the keyboard help", async () => {
    await op.locator(".topbar .brand").click();
    await op.keyboard.press("?");
    await op.locator('[data-testid="shortcuts-help"]').waitFor({ timeout: 3000 });
    await op.keyboard.press("Escape");
  });

  const adminCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
  const admin = await adminCtx.newPage();
  const marker = `Kumquat-${Date.now().toString(36)}`;

  await step("knowledge: an admin uploads a Markdown document and it becomes ready", async () => {
    await admin.goto(`${baseUrl}/app/`);
    await admin.locator('input[name="email"]').fill(DEMO.admin.email);
    await admin.locator('input[name="password"]').fill(DEMO.admin.password);
    await admin.locator('button[type="submit"]').click();
    await admin.locator('[data-testid="inbox"]').waitFor({ timeout: 10_000 });
    await admin.goto(`${baseUrl}/app/#/admin/knowledge`);
    await admin.locator('[data-testid="admin-knowledge"]').waitFor();
    const md = `# Gift wrapping\n\nEvery box can be gift wrapped. The ${marker} wrapping paper is hand-printed in Jerusalem and costs 4 USD per box.\n\n## How to order\n\nWrite to support before your box ships.\n`;
    await admin
      .locator('input[name="file"]')
      .setInputFiles({ name: "gift-wrapping.md", mimeType: "text/markdown", buffer: Buffer.from(md) });
    await admin.locator('[data-testid="upload"]').click();
    const row = admin.locator('[data-testid="documents"] tr', { hasText: "gift-wrapping.md" });
    try {
      await row.first().waitFor({ timeout: 10_000 });
    } catch {
      const na = await admin
        .locator('[data-testid="not-available"]')
        .first()
        .textContent()
        .catch(() => null);
      throw new MissingFeature(
        "POST /api/knowledge/documents (multipart file + category)",
        na ?? "the document never appeared in the list",
      );
    }
    try {
      await admin
        .locator('[data-testid="documents"] tr[data-status="ready"]', { hasText: "gift-wrapping.md" })
        .first()
        .waitFor({ timeout: 30_000 });
    } catch {
      throw new MissingFeature(
        "knowledge ingestion (INGEST_QUEUE consumer: parse → chunk → embed → status ready)",
        `status: ${await row.first().getAttribute("data-status")}`,
      );
    }
    await screenshot(admin, "knowledge");
  });

  await step("knowledge: the new document is found by the test search", async () => {
    await admin.locator('[data-testid="knowledge-search"] input[name="q"]').fill(`${marker} gift wrapping paper`);
    await admin.locator('[data-testid="knowledge-search"] button[type="submit"]').click();
    try {
      await admin.locator('[data-testid="search-hit"]', { hasText: marker }).first().waitFor({ timeout: 10_000 });
    } catch {
      const na = await admin
        .locator('[data-testid="knowledge-search"] [data-testid="not-available"]')
        .textContent()
        .catch(() => null);
      throw new MissingFeature("GET /api/knowledge/search?q=", na ?? "no hit containing the uploaded text");
    }
    await screenshot(admin, "knowledge-search");
  });

  await step("reports: charts render (server summary or the labelled local fallback)", async () => {
    await admin.goto(`${baseUrl}/app/#/reports`);
    await admin.locator('[data-testid="reports"] .kpi').first().waitFor({ timeout: 15_000 });
    expect(await admin.locator('[data-testid="reports"] svg').count(), "charts").toBeGreaterThan(0);
    await screenshot(admin, "reports");
  });

  await step("reports: served by GET /api/reports/summary", async () => {
    await admin.locator('[data-testid="reports"] .kpi').first().waitFor({ timeout: 15_000 });
    if ((await admin.locator('[data-testid="reports-local"]').count()) > 0)
      throw new MissingFeature(
        "GET /api/reports/summary?from&to",
        "the dashboard computed the figures from /api/conversations",
      );
  });

  await step("i18n and theme: Russian UI in dark mode", async () => {
    await admin.locator('[data-testid="lang"]').selectOption("ru");
    await admin.locator('[data-testid="theme"]').selectOption("dark");
    await admin.getByText("Отчёты").first().waitFor({ timeout: 3000 });
    expect(await admin.evaluate(() => document.documentElement.dataset.theme), "theme").toBe("dark");
    await screenshot(admin, "reports-ru-dark");
    await admin.locator('[data-testid="lang"]').selectOption("en");
    await admin.locator('[data-testid="theme"]').selectOption("system");
  });

  customer?.close();
  await opCtx.close();
  await adminCtx.close();
}
