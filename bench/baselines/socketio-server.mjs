#!/usr/bin/env node
/**
 * Baseline (iii): Socket.IO with a durable SQLite insert per message: the common
 * "Node chat server + database" design. Each `send` is inserted synchronously into a
 * WAL-mode SQLite file (node:sqlite, synchronous=FULL, so every commit is fsynced)
 * before it is emitted to the room (sender included, as its ack).
 * Usage: node bench/baselines/socketio-server.mjs PORT DB_FILE   (prints "ready PORT")
 */
import { createServer } from "node:http";
import { DatabaseSync } from "node:sqlite";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 0);
const db = new DatabaseSync(process.argv[3] ?? ":memory:");
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
db.exec(
  "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, room TEXT NOT NULL, seq INTEGER NOT NULL, client_id TEXT, body TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (room, seq))",
);
const insert = db.prepare("INSERT INTO messages (room, seq, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)");
const seqs = new Map();

const http = createServer();
const io = new Server(http, { transports: ["websocket"], perMessageDeflate: false, serveClient: false });
io.on("connection", (socket) => {
  const room = String(socket.handshake.query.room ?? "default");
  socket.join(room);
  socket.on("send", (frame) => {
    if (typeof frame !== "object" || frame === null) return;
    const seq = (seqs.get(room) ?? 0) + 1;
    seqs.set(room, seq);
    const clientId = typeof frame.clientId === "string" ? frame.clientId : null;
    const text = typeof frame.text === "string" ? frame.text : "";
    insert.run(room, seq, clientId, text, Date.now());
    io.to(room).emit("message", { type: "message", message: { seq, clientId, content: text } });
  });
});
http.listen(port, "127.0.0.1", () => console.log(`ready ${http.address().port}`));
process.on("SIGTERM", () => {
  db.close();
  process.exit(0);
});
