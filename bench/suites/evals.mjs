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
import { ROOT, rssBytes, workerdPid } from "../lib/processes.mjs";
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

/** Peak RSS of `pid` while `fn` runs. */
async function peakRss(pid, fn) {
  let peak = pid ? (rssBytes(pid) ?? 0) : 0;
  let on = true;
  const sampler = (async () => {
    while (on) {
      if (pid) peak = Math.max(peak, rssBytes(pid) ?? 0);
      await sleep(100);
    }
  })();
  try {
    const value = await fn();
    return { value, peakMiB: Math.round(peak / 1048576) };
  } finally {
    on = false;
    await sampler;
  }
}

async function runToEnd(base, token, body, timeoutMs) {
  const started = Date.now();
  const r = await postJson(base, "/api/evals/runs", body, token);
  if (r.status !== 202) throw new Error(`run start ${r.status}: ${r.text.slice(0, 300)}`);
  const id = r.json.id;
  for (;;) {
    const g = await getJson(base, `/api/evals/runs/${id}`, token);
    if (g.json?.status === "done" || g.json?.status === "paused" || g.json?.status === "failed")
      return { id, ms: Date.now() - started, run: g.json };
    if (Date.now() - started > timeoutMs) throw new Error(`run ${id} not done: ${g.text.slice(0, 300)}`);
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
    runToEnd(base, token, { testSetId: imported.value.id, variant: { name: "local" } }, 600_000),
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
  };
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
    const llm = await runToEnd(base, token, { testSetId: small.id, variant: { name: "llm judge" } }, 600_000);
    out.llmJudge = {
      rows: small.rows,
      delayMsPerCall: 300,
      runMs: llm.ms,
      casesPerSec: round(small.rows / (llm.ms / 1000), 1),
      concurrencyEnd: llm.run.status,
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
  out.import50k = { rows: big.value.rows, ms: Date.now() - t1, peakRssMiB: big.peakMiB };
  return out;
}
