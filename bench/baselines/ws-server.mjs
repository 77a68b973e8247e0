#!/usr/bin/env node
/**
 * Baseline (ii): a raw Node `ws` broadcast server. Rooms by URL path; every text frame
 * is broadcast to every socket in its room (sender included, as its ack). Nothing is
 * parsed or stored: the transport floor on this machine.
 * Usage: node bench/baselines/ws-server.mjs PORT   (prints "ready PORT" when listening)
 */
import { WebSocketServer } from "ws";

const port = Number(process.argv[2] ?? 0);
const rooms = new Map();
const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });

wss.on("connection", (ws, req) => {
  const room = req.url ?? "/";
  let peers = rooms.get(room);
  if (!peers) rooms.set(room, (peers = new Set()));
  peers.add(ws);
  ws.on("message", (data, isBinary) => {
    if (isBinary) return;
    for (const peer of peers) if (peer.readyState === 1) peer.send(data, { binary: false });
  });
  ws.on("close", () => {
    peers.delete(ws);
    if (peers.size === 0) rooms.delete(room);
  });
});
wss.on("listening", () => console.log(`ready ${wss.address().port}`));
process.on("SIGTERM", () => process.exit(0));
