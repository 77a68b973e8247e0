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

export async function widgetSession(base, extra = {}) {
  const r = await postJson(base, "/api/widget/session", { widgetKey: "demo-widget-key", ...extra });
  if (r.status !== 200) throw new Error(`widget session failed: ${r.status} ${r.text}`);
  return r.json;
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
