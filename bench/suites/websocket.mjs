/**
 * (a) Websocket round trip customer → room (stored) → operator socket at 1, 50 and 200
 * concurrent conversations, for the platform and three baselines measured in the same run.
 */
import { assignToOperator, login, widgetSession } from "../lib/api.mjs";
import { pool, round } from "../lib/stats.mjs";
import { pathTarget, platformTarget, runRoundTrips, socketIoTarget } from "../lib/ws-load.mjs";

/** Closed loop: each conversation sends its next message as soon as the previous one arrived. */
export const CASES = [
  { conversations: 1, perConversation: 2000 },
  { conversations: 50, perConversation: 40 },
  { conversations: 200, perConversation: 15 },
  // Paced: one message per second per conversation (a busy but realistic chat load).
  { conversations: 50, perConversation: 10, intervalMs: 1000 },
  { conversations: 200, perConversation: 10, intervalMs: 1000 },
];

/** Fresh widget conversations owned by the demo operator (the bot stays silent). */
export async function prepareConversations(base, count) {
  const operatorToken = await login(base, "operator");
  return pool(
    Array.from({ length: count }, (_, i) => i),
    8,
    async () => {
      const s = await widgetSession(base, {}, { start: true });
      await assignToOperator(base, s.conversationId, operatorToken);
      return { ...s, operatorToken };
    },
  );
}

export async function websocketBench({ platform, minimalDo, wsServer, sioServer, log }) {
  const runTag = `r${Date.now().toString(36)}`;
  const results = [];
  for (const c of CASES) {
    const convs = platform ? await prepareConversations(platform.base, c.conversations) : [];
    const targets = [
      platform && platformTarget(platform.base, convs),
      minimalDo &&
        pathTarget(
          "minimal DO",
          (i) =>
            `ws://127.0.0.1:${minimalDo.port}/parties/minimal-room/${runTag}-${c.conversations}-${c.intervalMs ?? 0}-${i}`,
        ),
      wsServer &&
        pathTarget(
          "raw ws",
          (i) => `ws://127.0.0.1:${wsServer.port}/${runTag}-${c.conversations}-${c.intervalMs ?? 0}-${i}`,
        ),
      sioServer &&
        socketIoTarget(`http://127.0.0.1:${sioServer.port}`, `${runTag}-${c.conversations}-${c.intervalMs ?? 0}`),
    ].filter(Boolean);
    const row = {
      conversations: c.conversations,
      perConversation: c.perConversation,
      mode: c.intervalMs ? `paced ${c.intervalMs} ms` : "closed loop",
    };
    for (const t of targets) {
      log(`  ws ${row.mode} ${c.conversations} conv × ${c.perConversation}: ${t.name} …`);
      try {
        row[t.name] = await runRoundTrips(t, { ...c, deadlineMs: c.conversations === 1 ? 60_000 : 45_000 });
      } catch (err) {
        row[t.name] = { skipped: `failed: ${err instanceof Error ? err.message : String(err)}` };
      }
      log(`    ${JSON.stringify(row[t.name])}`);
    }
    const room = row.ConversationRoom;
    const ratio = (other) => (room?.p50 && row[other]?.p50 ? round(room.p50 / row[other].p50, 2) : null);
    row.ratios = {
      p50_to_minimal_do: ratio("minimal DO"),
      p50_to_raw_ws: ratio("raw ws"),
      p50_to_socketio_sqlite: ratio("Socket.IO + SQLite"),
    };
    results.push(row);
  }
  return results;
}
