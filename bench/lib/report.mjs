/** Renders bench/results.json as the Markdown table printed by `npm run bench` and kept in BENCHMARKS.md. */

const TARGETS = ["ConversationRoom", "minimal DO", "raw ws", "Socket.IO + SQLite"];
const fmt = (x, unit = "") => (x === null || x === undefined ? "–" : `${x}${unit}`);
const goal = (ok) => (ok === null ? "n/a" : ok ? "met" : "**not met**");

function cell(r) {
  if (!r) return "–";
  if (r.skipped) return `skipped: ${r.skipped}`;
  return `${r.p50} / ${r.p95} / ${r.p99}${r.complete ? "" : ` (${r.n}/${r.expected}, ${r.timeouts} timeouts)`}`;
}

export function renderTable(res) {
  const out = [];
  const m = res.machine;
  out.push(
    `Machine: ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.workerd}, wrangler ${m.wrangler}; ${res.date}; run took ${res.durationSec ?? "?"} s.`,
  );
  if (res.error) out.push(`\n**The run stopped with an error:** \`${String(res.error).split("\n")[0]}\``);

  if (res.websocket?.skipped) out.push(`\nWebsocket benchmark skipped: ${res.websocket.skipped}`);
  if (Array.isArray(res.websocket)) {
    out.push("\n### Websocket round trip customer → stored → operator socket (ms, p50 / p95 / p99)\n");
    out.push(
      `| load | ${TARGETS.join(" | ")} | ConversationRoom msg/s | p50 ratio to minimal DO / raw ws / Socket.IO |`,
    );
    out.push(`|---|${TARGETS.map(() => "---").join("|")}|---|---|`);
    for (const row of res.websocket) {
      const room = row.ConversationRoom;
      out.push(
        `| ${row.mode}, ${row.conversations} conv × ${row.perConversation} | ${TARGETS.map((t) => cell(row[t])).join(" | ")} | ${fmt(room?.msgPerSec)} | ${fmt(row.ratios?.p50_to_minimal_do)} / ${fmt(row.ratios?.p50_to_raw_ws)} / ${fmt(row.ratios?.p50_to_socketio_sqlite)} |`,
      );
    }
    const one = res.websocket.find((r) => r.conversations === 1)?.ConversationRoom;
    const closed200 = res.websocket.find((r) => r.conversations === 200 && r.mode === "closed loop")?.ConversationRoom;
    const paced200 = res.websocket.find((r) => r.conversations === 200 && r.mode !== "closed loop")?.ConversationRoom;
    const ratio = res.ws_p50_ratio_to_minimal_do;
    out.push("");
    out.push(
      `Goals: p50 ratio to the minimal DO ≤ 1.5 (1 conv): ${fmt(ratio)} → ${goal(ratio === null ? null : ratio <= 1.5)}; p99 ≤ 6 ms (1 conv): ${fmt(one?.p99, " ms")} → ${goal(one?.p99 === undefined ? null : one.p99 <= 6)}; p99 ≤ 25 ms (200 conv): closed loop ${fmt(closed200?.p99, " ms")} → ${goal(closed200?.p99 === undefined ? null : closed200.p99 <= 25)}, paced ${fmt(paced200?.p99, " ms")} → ${goal(paced200?.p99 === undefined ? null : paced200.p99 <= 25)}.`,
    );
  }

  if (res.webhooks?.skipped) out.push(`\nWebhook benchmark skipped: ${res.webhooks.skipped}`);
  else if (res.webhooks) {
    out.push(
      "\n### Webhook ingest (signature check + parse + dedupe journal in the inbox's intake object, processing running at the same time; 16 connections)\n",
    );
    out.push(
      "| channel | acks/s | processed/s (end to end) | ack p50 / p99 ms | accepted | journaled (distinct) | messages stored (distinct) | lost | duplicated | redeliveries answered as duplicate | redeliveries-only req/s | Node+SQLite baseline req/s (p50 / p99 ms) | goal ≥ 500 req/s |",
    );
    out.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const [name, w] of Object.entries(res.webhooks)) {
      if (w.skipped) {
        out.push(`| ${name} | skipped: ${w.skipped} ||||||||||||`);
        continue;
      }
      const b = w.baseline ?? {};
      out.push(
        `| ${name} | ${w.reqPerSec} | ${w.processedPerSec ?? "–"} | ${w.latencyP50Ms} / ${w.latencyP99Ms} | ${w.accepted} | ${w.eventsStored} (${w.eventsDistinct}) | ${w.messagesStored} (${w.messagesDistinct}) | ${w.lost} | ${w.duplicated} | ${w.duplicatesAnsweredAsDuplicate}/${w.duplicatesSent} | ${w.redeliveriesOnly?.reqPerSec ?? "–"} | ${b.skipped ? `skipped: ${b.skipped}` : `${b.reqPerSec} (${b.latencyP50Ms} / ${b.latencyP99Ms})`} | ${goal(w.reqPerSec >= 500)} |`,
      );
    }
  }

  out.push("\n### AI, widget, memory, retrieval\n");
  out.push("| measure | result | baseline / note |");
  out.push("|---|---|---|");
  const r = res.router;
  if (r)
    out.push(
      r.skipped
        ? `| router | skipped: ${r.skipped} | |`
        : `| router classifications/s (held-out set, ${r.rows} rows) | ${r.classificationsPerSec}/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms | accuracy ${r.accuracy} |`,
    );
  const t = res.aiFirstToken;
  if (t)
    out.push(
      t.skipped
        ? `| widget send → first streamed token | skipped: ${t.skipped} | ${t.botReply ? `bot reply p50 ${t.botReply.p50} ms` : ""} |`
        : `| widget send → first streamed token (local provider, ${t.samples} fresh conversations) | p50 ${t.firstToken.p50} ms, p99 ${t.firstToken.p99} ms | complete bot message p50 ${t.botReply.p50} ms${t.notes?.length ? `; ${t.notes.join("; ")}` : ""} |`,
    );
  if (t?.byQuestion?.length)
    out.push(
      `| first streamed token per question (p50) | ${t.byQuestion.map((q) => `“${q.question}” ${q.p50} ms`).join("; ")} | |`,
    );
  const w = res.widget;
  if (w?.skipped) out.push(`| widget | skipped: ${w.skipped} | |`);
  else if (w) {
    out.push(
      w.size?.skipped
        ? `| widget size | skipped: ${w.size.skipped} | |`
        : `| widget gzipped size | ${w.size.gzipBytes} B (raw ${w.size.rawBytes} B) | budget ${w.size.budgetGzipBytes} B → ${goal(w.size.withinBudget)} |`,
    );
    out.push(
      w.tti?.skipped
        ? `| widget time to interactive | skipped: ${w.tti.skipped} | |`
        : `| widget bubble clickable (median of ${w.tti.runs} cold loads, chromium) | ${w.tti.medianLauncherClickableMs} ms | DOMContentLoaded ${w.tti.medianDomContentLoadedMs} ms |`,
    );
  }
  const mem = res.memory;
  if (mem?.skipped) out.push(`| memory | skipped: ${mem.skipped} | |`);
  else if (mem) {
    const row = (name, x) =>
      x?.skipped
        ? `| ${name} | skipped: ${x.skipped} | |`
        : `| ${name} memory (workerd RSS delta, N=${x.n}) | idle object ≈ ${x.perIdleObjectKiB} KiB, connection ≈ ${x.perConnectionKiB} KiB | object+first connection ${x.perObjectWithConnectionKiB} KiB; RSS ${x.rssBeforeMiB} → ${x.rssAfterMiB} MiB |`;
    out.push(row("ConversationRoom", mem.platform));
    out.push(row("minimal DO", mem.minimalDo));
  }
  const q = res.retrieval;
  if (q)
    out.push(
      q.skipped
        ? `| retrieval | skipped: ${q.skipped} | |`
        : `| retrieval recall@5 (hybrid, ${q.pairs} pairs, ${q.chunks} chunks) | ${q.recallAt5} (MRR ${q.mrr}), p50 ${q.p50Ms} ms, p99 ${q.p99Ms} ms | vector-only recall@5 ${q.vectorOnlyRecallAt5}; multilingual ${q.multilingualRecallAt5}; embedder ${q.embedder} |`,
    );
  const a = res.analytics;
  if (a)
    out.push(
      a.skipped
        ? `| analytics | skipped: ${a.skipped} | |`
        : `| analytics question → answer (${a.questions} gold questions × ${a.samples / a.questions}, ${a.conversations} conversations) | p50 ${a.answerP50Ms} ms, p99 ${a.answerP99Ms} ms | parse p50 ${a.parseP50Ms} / p99 ${a.parseP99Ms} ms; guard p50 ${a.guardP50Ms} / p99 ${a.guardP99Ms} ms; SQL p50 ${a.sqlP50Ms} / p99 ${a.sqlP99Ms} ms |`,
    );
  return out.join("\n");
}
