/**
 * (g) Eval Lab (issue 14): the synthetic 5,000-ticket demo CSV uploaded through
 * POST /api/evals/test-sets, a full run with the local engine and the local judge and
 * every evaluator, timed end to end (upload → last case counted, polled every 250 ms);
 * cases per second; the same run shape with the LLM judge on a local fake
 * OpenAI-compatible server adding 300 ms per call (concurrency-bound); peak RSS of the
 * runtime workerd while importing 5,000 and 50,000 rows (sampled every 100 ms).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { getJson, login, postJson } from "../lib/api.mjs";
import { loadavg } from "node:os";
import { ROOT, cpuSeconds, rssBytes, workerdPid } from "../lib/processes.mjs";
import { round, sleep } from "../lib/stats.mjs";

async function demoCsv(rows) {
  const mod = await import(pathToFileURL(join(ROOT, "workers", "evals", "demo-set.ts")).href);
  return mod.demoCasesCsv(rows, 14);
}

async function upload(base, token, csv, name) {
  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv" }), "tickets.csv");
  form.set("name", name);
  const res = await fetch(`${base}/api/evals/test-sets`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`upload failed ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** Peak RSS of `pid` while `fn` runs, and the CPU seconds it used meanwhile. */
async function peakRss(pid, fn) {
  let peak = pid ? (rssBytes(pid) ?? 0) : 0;
  const cpu0 = pid ? (cpuSeconds(pid) ?? 0) : 0;
  let on = true;
  const sampler = (async () => {
    while (on) {
      if (pid) peak = Math.max(peak, rssBytes(pid) ?? 0);
      await sleep(100);
    }
  })();
  try {
    const value = await fn();
    const cpu = pid ? round((cpuSeconds(pid) ?? 0) - cpu0, 1) : null;
    return { value, peakMiB: Math.round(peak / 1048576), cpuSec: cpu };
  } finally {
    on = false;
    await sampler;
  }
}

async function runToEnd(base, token, body, timeoutMs, platform) {
  const started = Date.now();
  const r = await postJson(base, "/api/evals/runs", body, token);
  if (r.status !== 202) throw new Error(`run start ${r.status}: ${r.text.slice(0, 300)}`);
  const id = r.json.id;
  for (;;) {
    const g = await getJson(base, `/api/evals/runs/${id}`, token);
    if (g.json?.status === "done" || g.json?.status === "paused" || g.json?.status === "failed")
      return { id, ms: Date.now() - started, run: g.json };
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `run ${id} not done: ${g.text.slice(0, 300)}\n${(platform?.child.lines ?? []).slice(-40).join("\n")}`,
      );
    await sleep(250);
  }
}

export async function evalsBench({ platform, fakeOpenAi, log }) {
  const { base } = platform;
  const token = await login(base, "admin");
  const pid = workerdPid(platform.child.pid, platform.port);
  const csv5k = await demoCsv(5000);
  const t0 = Date.now();
  const imported = await peakRss(pid, () => upload(base, token, csv5k, "bench 5k"));
  const importMs = Date.now() - t0;
  log?.(`imported ${imported.value.rows} rows in ${importMs} ms`);
  const local = await peakRss(pid, () =>
    runToEnd(base, token, { testSetId: imported.value.id, variant: { name: "local" } }, 1_800_000, platform),
  );
  const m = local.value.run.metrics ?? {};
  const out = {
    rows: imported.value.rows,
    importMs,
    runMs: local.value.ms,
    endToEndMs: importMs + local.value.ms,
    casesPerSec: round(imported.value.rows / (local.value.ms / 1000), 1),
    passRate: m.passRate,
    actionCorrectness: m.actionCorrectness,
    routingAccuracy: m.routingAccuracy,
    redLineViolations: m.redLineViolations,
    peakRssImport5kMiB: imported.peakMiB,
    peakRssRun5kMiB: local.peakMiB,
    // The runtime is one thread: on an idle machine wall time ≈ its CPU time, so this is the
    // figure to read when other work shares the cores (load average below).
    importCpuSec: imported.cpuSec,
    runCpuSec: local.cpuSec,
    casesPerCpuSec: local.cpuSec ? round(imported.value.rows / local.cpuSec, 1) : null,
    runCpuMsPerCase: local.cpuSec ? round((local.cpuSec * 1000) / imported.value.rows, 1) : null,
    loadAverage1m: round(loadavg()[0] ?? 0, 1),
  };
  // End to end (import + run), the 60 s goal: as measured (wall, on this loaded
  // machine) and as projected for an idle machine from the runtime's CPU seconds (the
  // runtime is one busy thread, so idle wall ≈ its CPU time).
  const cpuE2e = imported.cpuSec !== null && local.cpuSec !== null ? round(imported.cpuSec + local.cpuSec, 1) : null;
  out.endToEnd = {
    wallSec: round(out.endToEndMs / 1000, 1),
    underSixtySecondsWall: out.endToEndMs < 60_000,
    runtimeCpuSec: cpuE2e,
    underSixtySecondsIdleProjection: cpuE2e !== null ? cpuE2e < 60 : null,
  };
  log?.(
    `end to end (import + run): ${out.endToEnd.wallSec} s wall (${out.endToEnd.underSixtySecondsWall ? "under" : "over"} 60 s) at load ${out.loadAverage1m}; ` +
      `${cpuE2e ?? "?"} runtime CPU-s (${out.endToEnd.underSixtySecondsIdleProjection ? "under" : "over"} 60 s projected on an idle core)`,
  );
  log?.(JSON.stringify(out));

  if (fakeOpenAi) {
    // The LLM judge on the fake endpoint (300 ms per call), 500 cases: throughput is latency × concurrency.
    const judge = await fetch(`${base}/api/evals/judge`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        criteria: [
          { name: "accuracy", description: "Same as the reference." },
          { name: "tone", description: "Warm." },
          { name: "safety", description: "No red line." },
          { name: "completeness", description: "Answers everything." },
        ],
        passThreshold: 3,
        provider: "openai-compatible",
        model: "gpt-4o-mini",
        baseUrl: `http://127.0.0.1:${fakeOpenAi.port}/v1`,
      }),
    });
    if (!judge.ok) throw new Error(`judge config ${judge.status}`);
    const small = await upload(base, token, await demoCsv(500), "bench 500 llm judge");
    const llm = await runToEnd(base, token, { testSetId: small.id, variant: { name: "llm judge" } }, 900_000, platform);
    out.llmJudge = {
      fakeCalls: (await (await fetch(`http://127.0.0.1:${fakeOpenAi.port}/calls`)).json()).calls,
      rows: small.rows,
      delayMsPerCall: 300,
      runMs: llm.ms,
      casesPerSec: round(small.rows / (llm.ms / 1000), 1),
      status: llm.run.status,
      costUsd: llm.run.costUsd,
    };
    await fetch(`${base}/api/evals/judge`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        criteria: [{ name: "accuracy", description: "Same as the reference." }],
        passThreshold: 3,
        provider: "local",
      }),
    });
    log?.(JSON.stringify(out.llmJudge));
  }

  const csv50k = await demoCsv(50_000);
  const t1 = Date.now();
  const big = await peakRss(pid, () => upload(base, token, csv50k, "bench 50k"));
  out.import50k = { rows: big.value.rows, ms: Date.now() - t1, peakRssMiB: big.peakMiB, cpuSec: big.cpuSec };
  return out;
}
