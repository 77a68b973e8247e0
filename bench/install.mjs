#!/usr/bin/env node
/**
 * Installs the benchmark-only dependencies (bench/package.json: autocannon, Socket.IO
 * server and client, ws) into bench/node_modules before `npm run bench`, only when they are
 * missing or the bench lockfile changed since. They stay out of the root install so a
 * contributor's `npm ci` is lighter; the root node_modules (wrangler, vite, …) still
 * serves everything else, found by Node's usual walk up the folders.
 */
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BENCH = fileURLToPath(new URL(".", import.meta.url));
const installed = `${BENCH}node_modules/.package-lock.json`;
const lock = `${BENCH}package-lock.json`;

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log("bench: installing bench/package.json dependencies (npm ci --prefix bench) …");
  execFileSync("npm", ["ci", "--prefix", BENCH, "--no-audit", "--no-fund"], { stdio: "inherit" });
}
