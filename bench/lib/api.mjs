/** HTTP helpers for the running platform: demo logins, widget sessions, operator commands. */

export const DEMO = {
  admin: { email: "admin@demo.test", password: "demo-admin-password" },
  operator: { email: "operator@demo.test", password: "demo-operator-password" },
};

export async function postJson(base, path, body, token, headers = {}) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

export async function getJson(base, path, token) {
  const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

/** Logs in a demo user; each call uses its own client IP so throttling never bites. */
let ipCounter = 10;
export async function login(base, who) {
  const r = await postJson(base, "/api/auth/login", DEMO[who], null, {
    "cf-connecting-ip": `127.0.1.${ipCounter++ % 250}`,
  });
  if (r.status !== 200) throw new Error(`login ${who} failed: ${r.status} ${r.text}`);
  return r.json.token;
}

/**
 * A widget session from its own client address (sessions are limited per address). With
 * `start`, the visitor's first message creates the conversation's rows (a session alone
 * writes nothing), so operators can take it and open its socket.
 */
export async function widgetSession(base, extra = {}, { start = false } = {}) {
  const r = await postJson(base, "/api/widget/session", { widgetKey: "demo-widget-key", ...extra }, null, {
    "cf-connecting-ip": `127.0.2.${ipCounter++ % 250}`,
  });
  if (r.status !== 200) throw new Error(`widget session failed: ${r.status} ${r.text}`);
  if (start) await firstMessage(base, r.json);
  return r.json;
}

async function firstMessage(base, session) {
  const ws = new WebSocket(wsUrl(base, `${session.socketPath}?token=${encodeURIComponent(session.visitorToken)}`));
  const clientId = `bench_start_${Date.now().toString(36)}_${(ipCounter++).toString(36)}`;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("first message: no ack")), 30_000);
    ws.addEventListener("message", (e) => {
      const f = JSON.parse(String(e.data));
      if (f.type === "welcome") ws.send(JSON.stringify({ type: "send", clientId, text: "Hello" }));
      if (f.type === "ack" && f.clientId === clientId) {
        clearTimeout(timer);
        resolve();
      }
    });
    ws.addEventListener("error", () => reject(new Error("first message: socket error")));
  });
  ws.close();
}

/** Puts a conversation under the demo operator so the AI does not answer. */
export async function assignToOperator(base, conversationId, operatorToken) {
  const r = await postJson(
    base,
    `/api/conversations/${conversationId}/commands`,
    { command: "assign", operatorId: "op_operator" },
    operatorToken,
  );
  if (r.status !== 200) throw new Error(`assign failed: ${r.status} ${r.text}`);
}

export const wsUrl = (base, path) => base.replace(/^http/, "ws") + path;
