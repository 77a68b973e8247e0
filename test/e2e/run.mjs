#!/usr/bin/env node
/**
 * `npm run test:e2e`: browser end-to-end tests against the real platform.
 * Starts `scripts/dev.mjs` on PORT 8791 with a fresh PERSIST_DIR (or uses --base-url),
 * launches Debian chromium through playwright-core, runs every test/e2e/*.spec.mjs and
 * prints `N passed, N failed` last; exits non-zero on any failure; always stops the server.
 *
 * A spec exports `async function run({ browser, baseUrl, screenshot, expect, step })`.
 * `step(name, fn)` is optional: each step is counted and reported on its own and a failed
 * step does not stop the next ones. Flags: --base-url URL, --only NAME, --verbose.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, MissingFeature } from "./lib/assert.mjs";
import { launchBrowser } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const shotsDir = join(here, "screenshots");
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const verbose = args.includes("--verbose");

let passed = 0;
let failed = 0;
const missing = [];

function record(name, err, ms) {
  if (!err) {
    passed++;
    console.log(`  ✓ ${name} (${ms} ms)`);
    return;
  }
  failed++;
  if (err instanceof MissingFeature) missing.push(`${name}: ${err.feature}`);
  const msg = err instanceof Error ? (verbose ? err.stack : err.message) : String(err);
  console.log(`  ✗ ${name} (${ms} ms)\n      ${msg.split("\n").join("\n      ")}`);
}

const specs = readdirSync(here)
  .filter((f) => f.endsWith(".spec.mjs"))
  .filter((f) => !flag("--only") || f.includes(flag("--only")))
  .sort();

let server = null;
let browser = null;
const cleanup = async () => {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
};
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
process.on("SIGTERM", () => void cleanup().then(() => process.exit(143)));

try {
  mkdirSync(shotsDir, { recursive: true });
  let baseUrl = flag("--base-url");
  if (!baseUrl) {
    const t0 = Date.now();
    server = await startServer({ port: Number(process.env.E2E_PORT ?? 8791), quiet: !verbose });
    baseUrl = server.baseUrl;
    console.log(`platform up on ${baseUrl} in ${Date.now() - t0} ms`);
  }
  browser = await launchBrowser();

  for (const file of specs) {
    const specName = file.replace(/\.spec\.mjs$/, "");
    console.log(`\n${specName}`);
    // Screenshots of an earlier run would mix with this run's numbering.
    for (const f of readdirSync(shotsDir)) if (f.startsWith(`${specName}-`)) rmSync(join(shotsDir, f));
    let shot = 0;
    let steps = 0;
    const screenshot = async (page, name) => {
      const path = join(shotsDir, `${specName}-${String(++shot).padStart(2, "0")}-${name}.png`);
      await page.screenshot({ path });
      return path;
    };
    const step = async (name, fn) => {
      steps++;
      const t = Date.now();
      try {
        await fn();
        record(name, null, Date.now() - t);
        return true;
      } catch (err) {
        record(name, err, Date.now() - t);
        return false;
      }
    };
    const t = Date.now();
    try {
      const mod = await import(pathToFileURL(join(here, file)).href);
      await mod.run({ browser, baseUrl, screenshot, expect, step });
      if (steps === 0) record(specName, null, Date.now() - t);
    } catch (err) {
      record(`${specName} (outside steps)`, err, Date.now() - t);
    }
  }
} catch (err) {
  failed++;
  console.log(`✗ setup: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await cleanup();
}

if (missing.length) console.log(`\nMissing server features:\n  - ${missing.join("\n  - ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
