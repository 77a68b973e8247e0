/**
 * Child processes for the benchmarks and reliability tests: the platform (scripts/dev.mjs),
 * the minimal-DO baseline (its own `wrangler dev`) and plain Node servers. Every child is
 * started in its own process group and killed as a group; `stopAll()` runs on exit.
 * Children run on this Node (the pinned Node 24): wrangler refuses the machine's Node 20.
 */
import { spawn, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "./stats.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "node_modules", ".bin");

/** Environment for children: this Node first on PATH, no telemetry, quiet wrangler. */
export function childEnv(extra = {}) {
  return {
    ...process.env,
    PATH: [dirname(process.execPath), BIN, process.env.PATH ?? ""].join(delimiter),
    WRANGLER_SEND_METRICS: "false",
    NO_UPDATE_NOTIFIER: "1",
    CLOUDFLARE_API_TOKEN: "",
    WRANGLER_LOG: "warn",
    ...extra,
  };
}

const children = new Set();
const tempDirs = new Set();

/** Spawns a detached child (own process group); output goes to `log` (an array of lines) unless `inherit`. */
export function startChild(cmd, args, { cwd = ROOT, env = childEnv(), log, onLine } = {}) {
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const lines = log ?? [];
  const take = (buf) => {
    for (const line of String(buf).split("\n")) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 400) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout.on("data", take);
  child.stderr.on("data", take);
  child.on("exit", () => children.delete(child));
  child.lines = lines;
  return child;
}

/** SIGTERM the child's process group, then SIGKILL whatever is left after `graceMs`. */
export async function stopChild(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const pids = descendants(child.pid);
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    /* already gone */
  }
  for (const pid of pids)
    if (alive(pid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills every child started here and removes temporary state directories. */
export async function stopAll() {
  await Promise.all([...children].map((c) => stopChild(c)));
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

for (const sig of ["SIGINT", "SIGTERM"])
  process.once(sig, () => {
    stopAll().finally(() => process.exit(130));
  });
process.once("exit", () => {
  for (const c of children) {
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});

/**
 * Where every server in the run keeps its state: tmpfs (/dev/shm) when the machine has it,
 * for the platform, the minimal DO and the Node + SQLite baselines alike, so the figures
 * compare CPU work rather than this machine's disk-flush latency (each durable write in
 * local workerd waits for a flush: ~0.75 ms on this VM's ext4, ~0.1 ms on tmpfs).
 * BENCH_STATE_DIR overrides it (e.g. BENCH_STATE_DIR=/tmp to measure on disk).
 */
export const STATE_ROOT = process.env.BENCH_STATE_DIR ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());

export function tempDir(prefix) {
  const d = mkdtempSync(join(STATE_ROOT, prefix));
  tempDirs.add(d);
  return d;
}

/** pid plus every descendant pid (from /proc). */
export function descendants(rootPid) {
  const parent = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(name), ppid);
    } catch {
      /* exited */
    }
  }
  const out = [rootPid];
  for (let i = 0; i < out.length; i++) for (const [pid, pp] of parent) if (pp === out[i]) out.push(pid);
  return out;
}

/**
 * The workerd process that runs the Worker and its Durable Objects under a child, or null.
 * `wrangler dev` starts two: its dev proxy, which listens on the public `--port` (and
 * forwards every request and socket), and the runtime, whose entry socket is on a random
 * port. Memory and CPU figures are about the runtime, so the one not bound to the public
 * port is taken (the first one only if no port is given).
 */
export function workerdPid(rootPid, publicPort) {
  const found = [];
  for (const pid of descendants(rootPid)) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (argv[0].endsWith("workerd"))
        found.push({
          pid,
          proxy: publicPort !== undefined && argv.some((a) => a.endsWith(`entry=127.0.0.1:${publicPort}`)),
        });
    } catch {
      /* exited */
    }
  }
  return (found.find((w) => !w.proxy) ?? found[0])?.pid ?? null;
}

/** CPU seconds (user + system) a process has used so far, or null. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Waits until a process has been (nearly) idle for `windowMs`: below `busy` of one core.
 * Between benchmarks: the last suite's background work (debounced D1 mirrors, inbox
 * pushes, sockets closing, idle objects evicted) must not be billed to the next one.
 * Returns the seconds waited (capped at `maxMs`).
 */
export async function waitQuiet(pid, { windowMs = 2_000, busy = 0.05, maxMs = 60_000 } = {}) {
  const start = Date.now();
  let before = cpuSeconds(pid);
  while (before !== null && Date.now() - start < maxMs) {
    await sleep(windowMs);
    const now = cpuSeconds(pid);
    if (now === null || now - before < (busy * windowMs) / 1000) break;
    before = now;
  }
  return Math.round((Date.now() - start) / 100) / 10;
}

/** Resident set size of a process in bytes (VmRSS), or null. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function waitHttp(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited early:\n${child.lines.slice(-30).join("\n")}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return res;
    } catch {
      /* not up */
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${url}:\n${child.lines.slice(-30).join("\n")}`);
}

/**
 * A copy of the source tree the Worker is built from (node_modules symlinked), so that
 * `wrangler dev`'s file watcher does not reload the Worker mid-benchmark when someone
 * edits the working tree. Set BENCH_LIVE_TREE=1 to run from the working tree instead.
 */
export function snapshotTree() {
  if (process.env.BENCH_LIVE_TREE === "1") return ROOT;
  const dir = tempDir("omni-tree-");
  for (const entry of [
    "workers",
    "durable-objects",
    "migrations",
    "public",
    "scripts",
    "wrangler.toml",
    "package.json",
    "tsconfig.json",
  ]) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * Starts the platform with scripts/dev.mjs on `port` with fresh local state (from a
 * snapshot of the tree), waits for /api/health and for the demo seed.
 */
export async function startPlatform(port) {
  const persist = tempDir("omni-bench-");
  const tree = snapshotTree();
  const child = startChild(process.execPath, [join(tree, "scripts", "dev.mjs")], {
    cwd: tree,
    // DEMO_FLOWS=0: the suites measure the AI agent on first messages; the flows suite adds its own flow.
    // VISITOR_MESSAGES_PER_MINUTE: the closed-loop suites send thousands of messages per
    // conversation; the per-visitor cap (30 a minute) would measure the refusal path instead.
    env: childEnv({
      PORT: String(port),
      PERSIST_DIR: persist,
      SKIP_BUILD: "1",
      DEMO_FLOWS: "0",
      VISITOR_MESSAGES_PER_MINUTE: "1000000",
    }),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitHttp(`${base}/api/health`, 120_000, child);
  // dev.mjs seeds after health; wait until a demo login works.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "127.0.0.9" },
      body: JSON.stringify({ email: "admin@demo.test", password: "demo-admin-password" }),
    }).catch(() => null);
    if (res?.ok) break;
    await sleep(500);
  }
  return { child, base, port, persist, tree };
}

/** Starts the minimal partyserver DO baseline (bench/minimal-do) with its own wrangler dev. */
export async function startMinimalDo(port) {
  const persist = tempDir("omni-mdo-");
  const child = startChild(
    join(BIN, "wrangler"),
    [
      "dev",
      "-c",
      "wrangler.toml",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      persist,
      "--show-interactive-dev-session=false",
    ],
    { cwd: join(ROOT, "bench", "minimal-do") },
  );
  await waitHttp(`http://127.0.0.1:${port}/`, 90_000, child);
  return { child, base: `http://127.0.0.1:${port}`, port };
}

/** Starts a Node server script that prints "ready PORT". */
export async function startNodeServer(script, args, timeoutMs = 20_000) {
  let resolveReady;
  const ready = new Promise((r) => {
    resolveReady = r;
  });
  const child = startChild(process.execPath, [script, ...args], {
    onLine: (l) => {
      const m = /^ready (\d+)/.exec(l);
      if (m) resolveReady(Number(m[1]));
    },
  });
  const port = await Promise.race([
    ready,
    sleep(timeoutMs).then(() => {
      throw new Error(`${script} did not start:\n${child.lines.join("\n")}`);
    }),
  ]);
  return { child, port };
}

/** workerd's version string, e.g. "workerd 2026-11-02". */
export function workerdVersion() {
  try {
    return execFileSync(join(BIN, "workerd"), ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** The local D1 SQLite file under a persist directory (miniflare layout), or null. */
export function d1File(persist) {
  const dir = join(persist, "v3", "d1", "miniflare-D1DatabaseObject");
  try {
    const f = readdirSync(dir).find((n) => n.endsWith(".sqlite") && n !== "metadata.sqlite");
    return f ? join(dir, f) : null;
  } catch {
    return null;
  }
}
