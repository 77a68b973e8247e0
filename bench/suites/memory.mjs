/**
 * (e) Memory per idle conversation object and per open connection, as the growth of
 * workerd's resident set (VmRSS) when N idle rooms are opened:
 *   1. baseline RSS (median of 5 samples, after a short settle);
 *   2. one customer socket into each of N fresh rooms (each instantiates a room object
 *      with one connection) → (RSS₁ − RSS₀)/N = one object + one connection;
 *   3. a second socket (the operator) into each of those rooms → (RSS₂ − RSS₁)/N = one connection;
 *   4. per idle object ≈ step 2 − step 3.
 * RSS also holds allocator slack and JIT code, so the figures are approximate upper bounds;
 * the same procedure runs against the minimal partyserver DO for comparison.
 */
import { login, widgetSession } from "../lib/api.mjs";
import { rssBytes, workerdPid } from "../lib/processes.mjs";
import { pool, sleep } from "../lib/stats.mjs";
import { openWs } from "../lib/ws-load.mjs";

async function settledRss(pid) {
  await sleep(2500);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssBytes(pid) ?? 0);
    await sleep(200);
  }
  return samples.sort((a, b) => a - b)[2];
}

const kib = (bytes) => Math.round(bytes / 1024);

async function measure(pid, n, firstUrl, secondUrl) {
  const r0 = await settledRss(pid);
  const first = await pool(
    Array.from({ length: n }, (_, i) => i),
    8,
    (i) => firstUrl(i),
  );
  const r1 = await settledRss(pid);
  const second = await pool(
    Array.from({ length: n }, (_, i) => i),
    8,
    (i) => secondUrl(i),
  );
  const r2 = await settledRss(pid);
  for (const ws of [...first, ...second]) ws.terminate();
  const perObjectAndConnection = (r1 - r0) / n;
  const perConnection = (r2 - r1) / n;
  return {
    n,
    rssBeforeMiB: Math.round(r0 / 1048576),
    rssAfterMiB: Math.round(r2 / 1048576),
    perObjectWithConnectionKiB: kib(perObjectAndConnection),
    perConnectionKiB: kib(perConnection),
    perIdleObjectKiB: kib(perObjectAndConnection - perConnection),
  };
}

export async function memoryBench({ platform, minimalDo, n = 200 }) {
  const out = {};
  const pid = platform && workerdPid(platform.child.pid, platform.port);
  if (!pid) out.platform = { skipped: "workerd process of the platform not found" };
  else {
    const operatorToken = await login(platform.base, "operator");
    const sessions = await pool(
      Array.from({ length: n }, (_, i) => i),
      8,
      () => widgetSession(platform.base, {}, { start: true }),
    );
    const ws = platform.base.replace(/^http/, "ws");
    const synced = (f) => f.type === "sync";
    out.platform = await measure(
      pid,
      n,
      (i) => openWs(`${ws}${sessions[i].socketPath}?token=${sessions[i].visitorToken}`, synced),
      (i) => openWs(`${ws}${sessions[i].socketPath}?token=${operatorToken}`, synced),
    );
  }
  const mpid = minimalDo && workerdPid(minimalDo.child.pid, minimalDo.port);
  if (!mpid)
    out.minimalDo = { skipped: "minimal DO's wrangler dev is not running (see minimalDoExited in results.json)" };
  else {
    const tag = `mem${Date.now().toString(36)}`;
    const url = (i) => `ws://127.0.0.1:${minimalDo.port}/parties/minimal-room/${tag}-${i}`;
    // The minimal room creates its table on start; a first frame makes it touch storage like a real room.
    const open = async (i) => {
      const s = await openWs(url(i));
      s.send(JSON.stringify({ clientId: "memprobe1", text: "hi" }));
      return s;
    };
    out.minimalDo = await measure(mpid, n, open, (i) => openWs(url(i)));
  }
  return out;
}
