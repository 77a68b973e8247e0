#!/usr/bin/env node
/**
 * `npm run dev`: build the widget and dashboard, apply D1 migrations to the local
 * database, start `wrangler dev`, seed the demo workspace once it answers, and print
 * the demo logins. Environment: PORT (default 8787), PERSIST_DIR (default .wrangler/state),
 * SKIP_BUILD=1 to reuse public/. Everything runs offline with no Cloudflare account.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const port = Number(process.env.PORT ?? 8787);
const persist = process.env.PERSIST_DIR ?? join(root, ".wrangler", "state");
// Child tools (#!/usr/bin/env node) must run on this Node (the pinned Node 24), not the machine's.
const path = [dirname(process.execPath), join(root, "node_modules", ".bin"), process.env.PATH ?? ""].join(delimiter);
const env = {
  ...process.env,
  PATH: path,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_API_TOKEN: "",
  NO_UPDATE_NOTIFIER: "1",
};

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.env.SKIP_BUILD !== "1" || !existsSync(join(root, "public", "widget.js")))
  run("npm", ["run", "build", "--silent"]);
run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", "-c", "wrangler.toml", "--persist-to", persist]);

const child = spawn(
  bin("wrangler"),
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
    // The benchmarks lift the per-visitor message cap (durable-objects/lib/visitor-limits.ts).
    ...(process.env.VISITOR_MESSAGES_PER_MINUTE
      ? ["--var", `VISITOR_MESSAGES_PER_MINUTE:${process.env.VISITOR_MESSAGES_PER_MINUTE}`]
      : []),
  ],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"], env },
);
const stop = () => child.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", (code) => process.exit(code ?? 0));

const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 60_000;
while (Date.now() < deadline) {
  try {
    const res = await fetch(`${base}/api/health`);
    if (res.ok) break;
  } catch {
    // not up yet
  }
  await new Promise((r) => setTimeout(r, 300));
}
try {
  // DEMO_FLOWS=0 seeds the workspace without its welcome flow and rules (the browser tests
  // that expect the AI agent to answer the first message run that way).
  const res = await fetch(`${base}/api/dev/seed${process.env.DEMO_FLOWS === "0" ? "?flows=0" : ""}`, {
    method: "POST",
  });
  const body = await res.json();
  console.log(`\n  OmniSupport is running on http://localhost:${port}`);
  console.log(`  Demo workspace "Lev Haolam" ${body.created ? "seeded" : "already present"}.`);
  console.log("  Dashboard:  http://localhost:%d/app/", port);
  console.log("  Demo shop with the widget: http://localhost:%d/", port);
  console.log("  Logins:  admin@demo.test / demo-admin-password   (admin)");
  console.log("           operator@demo.test / demo-operator-password   (operator)\n");
} catch (err) {
  console.error("Could not seed the demo workspace:", err instanceof Error ? err.message : err);
}
// The synthetic six-month history (~5,000 conversations) is written after the platform is
// up and announced, so logging in never waits for it; reports fill in when it lands.
try {
  const started = Date.now();
  const res = await fetch(`${base}/api/dev/seed-history`, { method: "POST" });
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  console.log(
    body.created
      ? `  Synthetic history seeded: ${body.conversations} conversations, ${body.rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`
      : "  Synthetic history already present.\n",
  );
} catch (err) {
  console.error("Could not seed the synthetic history:", err instanceof Error ? err.message : err);
}
