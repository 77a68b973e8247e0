#!/usr/bin/env node
/**
 * Baseline for the webhook benchmark: a plain Node HTTP server doing the same intake
 * work without the platform: Telegram secret-token or Meta HMAC check (constant time),
 * JSON parse, and a deduping journal insert (node:sqlite, WAL, synchronous=FULL,
 * INSERT OR IGNORE on the provider id), then 200. No contact/conversation processing.
 * Usage: node bench/baselines/webhook-server.mjs PORT DB_FILE   (prints "ready PORT")
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { DatabaseSync } from "node:sqlite";

const port = Number(process.argv[2] ?? 0);
const db = new DatabaseSync(process.argv[3] ?? ":memory:");
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
db.exec(
  "CREATE TABLE IF NOT EXISTS inbound_events (channel TEXT NOT NULL, channel_message_id TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (channel, channel_message_id))",
);
const insert = db.prepare(
  "INSERT OR IGNORE INTO inbound_events (channel, channel_message_id, payload) VALUES (?, ?, ?)",
);

const same = (a, b) => a.length === b.length && timingSafeEqual(a, b);

function ids(channel, json) {
  if (channel === "telegram") return json?.message ? [`${json.message.chat.id}:${json.message.message_id}`] : [];
  return (json?.entry ?? []).flatMap((e) =>
    (e.changes ?? []).flatMap((c) => (c.value?.messages ?? []).map((m) => m.id)),
  );
}

createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const raw = Buffer.concat(chunks);
    const channel = req.url?.startsWith("/webhooks/telegram/")
      ? "telegram"
      : req.url?.startsWith("/webhooks/whatsapp/")
        ? "whatsapp"
        : null;
    const reply = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!channel || req.method !== "POST") return reply(404, { error: "not_found" });
    if (
      channel === "telegram" &&
      !same(
        Buffer.from(String(req.headers["x-telegram-bot-api-secret-token"] ?? "")),
        Buffer.from("dev-telegram-secret"),
      )
    )
      return reply(401, { error: "unauthorized" });
    if (channel === "whatsapp") {
      const expected = Buffer.from(`sha256=${createHmac("sha256", "dev-meta-app-secret").update(raw).digest("hex")}`);
      if (!same(Buffer.from(String(req.headers["x-hub-signature-256"] ?? "")), expected))
        return reply(403, { error: "forbidden" });
    }
    let json;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      return reply(400, { error: "invalid_json" });
    }
    let accepted = 0;
    for (const id of ids(channel, json)) accepted += Number(insert.run(channel, id, raw.toString("utf8")).changes);
    reply(200, { ok: true, accepted });
  });
}).listen(port, "127.0.0.1", function () {
  console.log(`ready ${this.address().port}`);
});
process.on("SIGTERM", () => {
  db.close();
  process.exit(0);
});
