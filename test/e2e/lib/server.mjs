/**
 * Starts the platform for browser tests exactly as a developer would (`scripts/dev.mjs`:
 * migrations, wrangler dev, demo seed) on its own port and a fresh persistence dir, and
 * stops the whole process group (dev.mjs → wrangler → workerd) afterwards.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

/** Folders the widget and dashboard bundles are built from. */
const BUNDLE_SOURCES = ["widget", "dashboard", "workers/protocol", "workers/lib", "durable-objects/lib"];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The bundles in public/ are reused only when no source they are built from changed since:
 * a stale dashboard makes a spec fail on UI the branch has (or pass on UI it lost).
 */
function bundlesFresh() {
  const built = join(ROOT, "public", "widget.js");
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return BUNDLE_SOURCES.every((d) => !existsSync(join(ROOT, d)) || newestMtime(join(ROOT, d)) < builtAt);
}

/** Returns { baseUrl, stop, log } once /api/health answers and the seed step has run. */
export async function startServer({ port = 8791, timeoutMs = 180_000, quiet = true } = {}) {
  const persist = mkdtempSync(join(tmpdir(), "omnisupport-e2e-"));
  const skipBuild = bundlesFresh() ? "1" : "0";
  const node = join(ROOT, "node_modules", ".bin", "node");
  const child = spawn(existsSync(node) ? node : process.execPath, [join(ROOT, "scripts", "dev.mjs")], {
    cwd: ROOT,
    // node_modules/.bin first, as under `npm run`: wrangler needs the `node` package's Node ≥ 22.
    env: {
      ...process.env,
      PATH: `${join(ROOT, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
      PORT: String(port),
      PERSIST_DIR: persist,
      SKIP_BUILD: skipBuild,
      // The specs expect the AI agent on the first message; flows.spec builds its own flow.
      DEMO_FLOWS: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group, so stop() reaches wrangler and workerd too
  });
  const log = [];
  let seeded = false;
  const onData = (chunk) => {
    const text = chunk.toString();
    log.push(text);
    if (/is running on|Could not seed/.test(text)) seeded = true;
    if (!quiet) process.stderr.write(text);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  let exited = false;
  child.on("exit", () => (exited = true));
  // Last resort if the runner dies abruptly (EPIPE, uncaught error): never leave workerd behind.
  const killSync = () => {
    if (exited) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killSync);

  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (!exited) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    rmSync(persist, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    if (seeded && (await waitForHttp(`${baseUrl}/api/health`, 1000))) return { baseUrl, stop, log };
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`platform did not start (${exited ? "dev.mjs exited" : "timeout"}):\n${log.join("").slice(-3000)}`);
}
