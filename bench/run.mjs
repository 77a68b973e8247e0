#!/usr/bin/env node
/**
 * `npm run bench`: starts the platform (workerd through `wrangler dev`, from a snapshot
 * of the tree) and the baselines, runs every benchmark against loopback, prints a table
 * and writes bench/results.json (and bench/results.md). Bounded: every load has a fixed
 * count and a deadline; every child process is killed at the end.
 * Environment: BENCH_PORT (default 18787; the minimal DO uses +1), BENCH_ONLY=ws,webhooks,ai,widget,memory,retrieval,evals,analytics,flows
 */
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ROOT,
  STATE_ROOT,
  childEnv,
  startMinimalDo,
  startNodeServer,
  startPlatform,
  stopAll,
  stopChild,
  tempDir,
  waitQuiet,
  workerdPid,
  workerdVersion,
} from "./lib/processes.mjs";
import { websocketBench } from "./suites/websocket.mjs";
import { webhookBench } from "./suites/webhooks.mjs";
import { firstTokenBench, routerBench } from "./suites/ai.mjs";
import { widgetBench } from "./suites/widget.mjs";
import { memoryBench } from "./suites/memory.mjs";
import { evalsBench } from "./suites/evals.mjs";
import { flowsBench } from "./suites/flows.mjs";
import { renderTable } from "./lib/report.mjs";

const port = Number(process.env.BENCH_PORT ?? 18787);
const only = new Set(
  (process.env.BENCH_ONLY ?? "ws,webhooks,ai,widget,memory,retrieval,evals,analytics,flows").split(","),
);
const started = Date.now();
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);

const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    workerd: workerdVersion(),
    stateDir: STATE_ROOT,
    wrangler: (() => {
      try {
        return JSON.parse(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8")).version;
      } catch {
        return "unknown";
      }
    })(),
  },
};

function analyticsBench() {
  try {
    const out = execFileSync(process.execPath, [join(ROOT, "bench", "analytics", "run.ts")], {
      cwd: ROOT,
      env: childEnv(),
      encoding: "utf8",
      timeout: 300_000,
    });
    return JSON.parse(out.slice(out.indexOf("{")));
  } catch (err) {
    return { skipped: `analytics bench failed: ${String(err instanceof Error ? err.message : err).slice(0, 300)}` };
  }
}

function retrievalBench() {
  try {
    const out = execFileSync(process.execPath, [join(ROOT, "evals", "retrieval", "run.ts")], {
      cwd: ROOT,
      env: childEnv(),
      encoding: "utf8",
      timeout: 180_000,
    });
    const r = JSON.parse(out.slice(out.indexOf("{")));
    return {
      recallAt5: r.recallAt5,
      mrr: r.mrr,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      pairs: r.pairs,
      chunks: r.chunks,
      embedder: r.embedder,
      vectorOnlyRecallAt5: r.vectorOnly?.recallAt5,
      multilingualRecallAt5: r.multilingual?.recallAt5,
    };
  } catch (err) {
    return { skipped: `retrieval bench failed: ${String(err instanceof Error ? err.message : err).slice(0, 300)}` };
  }
}

try {
  // CPU-only benchmarks first, while nothing else runs.
  if (only.has("ai")) {
    log("router …");
    results.router = routerBench();
    log(JSON.stringify(results.router));
  }
  if (only.has("retrieval")) {
    log("retrieval …");
    results.retrieval = retrievalBench();
    log(JSON.stringify(results.retrieval));
  }
  if (only.has("analytics")) {
    log("analytics …");
    results.analytics = analyticsBench();
    log(JSON.stringify(results.analytics));
  }

  // The CPU-only suites above need no platform: BENCH_ONLY=analytics (or retrieval) stops here.
  if (["ws", "webhooks", "ai", "widget", "memory", "evals", "flows"].some((k) => only.has(k))) {
    log("starting the platform, the minimal DO and the Node baselines …");
    const state = tempDir("omni-baselines-");
    const [firstPlatform, minimalDo, wsServer, sioServer, hookServer] = await Promise.all([
      startPlatform(port),
      startMinimalDo(port + 1),
      startNodeServer(join(ROOT, "bench", "baselines", "ws-server.mjs"), ["0"]),
      startNodeServer(join(ROOT, "bench", "baselines", "socketio-server.mjs"), ["0", join(state, "socketio.db")]),
      startNodeServer(join(ROOT, "bench", "baselines", "webhook-server.mjs"), ["0", join(state, "webhooks.db")]),
    ]);
    let platform = firstPlatform;
    log(
      `platform on ${platform.base}, minimal DO on :${minimalDo.port}, ws :${wsServer.port}, socket.io :${sioServer.port}, webhooks :${hookServer.port}`,
    );

    /** Runs one suite; a failure becomes a "skipped: failed …" entry instead of ending the run. */
    const suite = async (key, name, fn) => {
      if (!only.has(key)) return undefined;
      // Each suite starts on a quiet platform: the previous one's background work is not billed to it.
      const runtimePid = workerdPid(platform.child.pid, platform.port);
      if (runtimePid) log(`${name}: platform quiet after ${await waitQuiet(runtimePid)} s`);
      log(`${name} …`);
      try {
        const r = await fn();
        log(JSON.stringify(r).slice(0, 2000));
        return r;
      } catch (err) {
        log(`${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
        return { skipped: `failed: ${err instanceof Error ? err.message : String(err)}` };
      }
    };
    const minimalAlive = () => minimalDo.child.exitCode === null && minimalDo.child.signalCode === null;
    // Memory first: after the load, freed heap is reused and RSS deltas say nothing.
    results.memory = await suite("memory", "memory", () =>
      memoryBench({ platform, minimalDo: minimalAlive() ? minimalDo : null }),
    );
    results.websocket = await suite("ws", "websocket round trips", () =>
      websocketBench({ platform, minimalDo, wsServer, sioServer, log }),
    );
    if (Array.isArray(results.websocket)) {
      const one = results.websocket.find((r) => r.conversations === 1);
      results.ws_p50_ratio_to_minimal_do = one?.ratios?.p50_to_minimal_do ?? null;
    }
    results.aiFirstToken = await suite("ai", "first streamed token", () => firstTokenBench(platform));
    results.widget = await suite("widget", "widget", () => widgetBench(platform));
    results.flows = await suite("flows", "flows", () => flowsBench(platform, log));
    if (only.has("webhooks") && (only.has("memory") || only.has("ws"))) {
      // Webhook ingest gets a fresh platform: the socket suites leave hundreds of objects in
      // the runtime's heap (RSS ≈ 540 MiB) and every garbage collection then costs more
      // (measured: WhatsApp ingest 540 → 440 acks/s when run after them), so the figure
      // would depend on the order of the suites.
      log("restarting the platform with fresh state for the webhook suite …");
      await stopChild(platform.child);
      platform = await startPlatform(port);
    }
    results.webhooks = await suite("webhooks", "webhooks", () => webhookBench({ platform, baseline: hookServer, log }));
    if (only.has("evals")) {
      // The lab imports and runs thousands of cases: a fresh platform, so earlier suites' objects are not in its RSS.
      if (only.size > 1) {
        await stopChild(platform.child);
        platform = await startPlatform(port);
      }
      const fakeOpenAi = await startNodeServer(join(ROOT, "bench", "baselines", "fake-openai.mjs"), ["0", "300"]);
      results.evals = await suite("evals", "eval lab", () => evalsBench({ platform, fakeOpenAi, log }));
    }
    if (!minimalAlive()) results.minimalDoExited = minimalDo.child.lines.slice(-20);
  }
} catch (err) {
  results.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  console.error(results.error);
  process.exitCode = 1;
} finally {
  await stopAll();
}

results.durationSec = Math.round((Date.now() - started) / 1000);
const table = renderTable(results);
// A partial run (BENCH_ONLY) must not overwrite the committed full results.
const out = process.env.BENCH_ONLY ? "results.partial" : "results";
writeFileSync(join(ROOT, "bench", `${out}.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(ROOT, "bench", `${out}.md`), `${table}\n`);
console.log(`\n${table}\n\nwrote bench/${out}.json and bench/${out}.md in ${results.durationSec} s`);
