#!/usr/bin/env node
/**
 * The Eval Lab's API client, reached through `npm run eval -- run …` (evals/run.mjs).
 * `npm run eval -- run --set FILE.csv --variant NAME [options]`: drives the Eval Lab API
 * for CI. Uploads the CSV as a test set (or reuses --set-id), starts a run, prints live
 * progress until it ends, prints the metrics, and with --baseline RUN_ID compares and
 * exits 1 on a significant regression or any red-line violation.
 *
 * `npm run eval -- redlines-set` creates a test set from the red-line suite (evals/redlines).
 *
 * Options: --base URL (EVAL_BASE_URL, default http://localhost:8787), --email / --password
 * (EVAL_EMAIL / EVAL_PASSWORD, default the local demo admin), --provider, --model,
 * --category-version KEY=N (repeatable), --repeats K, --cost-cap USD, --mapping JSON,
 * --name NAME, --set-id ID, --baseline RUN_ID, --timeout SECONDS (default 1800).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    set: { type: "string" },
    "set-id": { type: "string" },
    variant: { type: "string", default: "cli" },
    provider: { type: "string" },
    model: { type: "string" },
    "category-version": { type: "string", multiple: true },
    repeats: { type: "string", default: "1" },
    "cost-cap": { type: "string" },
    mapping: { type: "string" },
    name: { type: "string" },
    baseline: { type: "string" },
    base: { type: "string", default: process.env.EVAL_BASE_URL ?? "http://localhost:8787" },
    email: { type: "string", default: process.env.EVAL_EMAIL ?? "admin@demo.test" },
    password: { type: "string", default: process.env.EVAL_PASSWORD ?? "demo-admin-password" },
    timeout: { type: "string", default: "1800" },
  },
});

function fail(message) {
  console.error(`eval: ${message}`);
  process.exit(2);
}

const command = positionals[0];
if (command !== "run" && command !== "redlines-set")
  fail("usage: npm run eval -- run --set FILE.csv --variant NAME [options] | redlines-set [--name NAME]");
if (command === "run" && !values.set && !values["set-id"]) fail("--set FILE.csv or --set-id ID is required");
const base = values.base.replace(/\/$/, "");

async function call(path, init = {}, token) {
  const headers = { ...(init.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${base}${path}`, { method: init.method ?? "GET", headers, body });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, json, text };
}

const login = await call("/api/auth/login", {
  method: "POST",
  json: { email: values.email, password: values.password },
});
if (login.status !== 200) fail(`login failed (${login.status}): ${login.text.slice(0, 200)}`);
const token = login.json.token;

if (command === "redlines-set") {
  // The red-line suite as a test set: adversarial messages expected to escalate, benign look-alikes.
  const suite = JSON.parse(readFileSync(new URL("./redlines/suite.json", import.meta.url), "utf8"));
  const cases = [
    ...suite.adversarial.map((c) => ({
      id: c.id,
      message: c.text,
      category: c.category,
      outcome: c.expect.escalate ? "escalated" : null,
      customerEmail: c.verified ? "john.smith@example.com" : null,
      language: c.lang,
      tags: ["redlines", c.kind],
    })),
    ...suite.benign.map((c) => ({
      id: c.id,
      message: c.text,
      category: c.category,
      language: c.lang,
      tags: ["redlines", "benign"],
    })),
  ];
  const res = await call(
    "/api/evals/test-sets/manual",
    { method: "POST", json: { name: values.name ?? "Red-line suite", cases, source: "redlines" } },
    token,
  );
  if (res.status !== 201) fail(`refused (${res.status}): ${res.text.slice(0, 300)}`);
  console.log(`red-line suite: ${res.json.rows} cases as test set ${res.json.id} v${res.json.version}`);
  process.exit(0);
}

let testSetId = values["set-id"];
if (!testSetId) {
  const form = new FormData();
  form.set("file", new Blob([readFileSync(values.set)], { type: "text/csv" }), basename(values.set));
  form.set("name", values.name ?? basename(values.set));
  if (values.mapping) form.set("mapping", values.mapping);
  const up = await call("/api/evals/test-sets", { method: "POST", body: form }, token);
  if (up.status !== 201) {
    console.error(JSON.stringify(up.json?.error ?? up.text, null, 2));
    fail(`import refused (${up.status})`);
  }
  testSetId = up.json.id;
  console.log(`imported ${up.json.rows} cases as test set ${testSetId} v${up.json.version}`);
}

const categoryVersions = {};
for (const cv of values["category-version"] ?? []) {
  const [k, v] = cv.split("=");
  if (!k || !Number(v)) fail(`--category-version expects KEY=N, got ${cv}`);
  categoryVersions[k] = Number(v);
}
const variant = {
  name: values.variant,
  ...(values.provider ? { provider: values.provider } : {}),
  ...(values.model ? { model: values.model } : {}),
  ...(Object.keys(categoryVersions).length ? { categoryVersions } : {}),
};
const runBody = {
  testSetId,
  variant,
  repeats: Number(values.repeats),
  costCapUsd: values["cost-cap"] ? Number(values["cost-cap"]) : null,
};
const est = await call("/api/evals/runs/estimate", { method: "POST", json: runBody }, token);
if (est.status === 200) console.log(`${est.json.cases} case runs, estimated cost $${est.json.estimateUsd}`);
const start = await call("/api/evals/runs", { method: "POST", json: runBody }, token);
if (start.status !== 202) fail(`run refused (${start.status}): ${start.text.slice(0, 300)}`);
const runId = start.json.id;
console.log(`run ${runId} started`);

const deadline = Date.now() + Number(values.timeout) * 1000;
let run;
for (;;) {
  const r = await call(`/api/evals/runs/${runId}`, {}, token);
  run = r.json;
  const rate = run?.passRate == null ? "–" : `${(run.passRate * 100).toFixed(1)} %`;
  process.stdout.write(
    `\r${run?.status} ${run?.done}/${run?.total} pass ${rate} cost $${run?.costUsd} eta ${run?.etaSeconds ?? "–"}s   `,
  );
  if (["done", "paused", "cancelled", "failed"].includes(run?.status)) break;
  if (Date.now() > deadline) fail("timed out waiting for the run");
  await new Promise((res) => setTimeout(res, 1000));
}
console.log("");
console.log(JSON.stringify({ runId, status: run.status, reason: run.reason, metrics: run.metrics }, null, 2));
let exit = run.status === "done" ? 0 : 1;
if (typeof run.metrics?.redLineViolations === "number" && run.metrics.redLineViolations > 0) {
  console.error(`${run.metrics.redLineViolations} red-line violation(s)`);
  exit = 1;
}
if (values.baseline) {
  const cmp = await call(
    "/api/evals/compare",
    { method: "POST", json: { baselineRunId: values.baseline, candidateRunId: runId } },
    token,
  );
  if (cmp.status !== 200) fail(`compare failed (${cmp.status}): ${cmp.text.slice(0, 300)}`);
  for (const m of cmp.json.metrics)
    console.log(
      `${m.name.padEnd(20)} ${String(m.baseline?.toFixed(3)).padStart(8)} → ${String(m.candidate?.toFixed(3)).padEnd(8)} Δ ${m.delta?.toFixed(3)} [${m.ci95?.map((x) => x.toFixed(3)).join(", ")}] p=${m.pValue?.toPrecision(2)}`,
    );
  if (cmp.json.mdeWarning) console.log(cmp.json.mdeWarning);
  if (cmp.json.significantRegression) {
    console.error("significant regression against the baseline");
    exit = 1;
  }
}
process.exit(exit);
