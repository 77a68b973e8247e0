import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * `npm run test:reliability` (aim: under 5 minutes):
 * - `reliability-workers`: faults and fuzzing inside workerd with the real bindings of
 *   wrangler.toml (evicted/aborted objects, failing queue consumers, D1 errors, provider
 *   timeouts, property-based bad input on every route and websocket frame).
 * - `reliability-soak`: a real `wrangler dev` platform on loopback and 200 widget clients
 *   that disconnect and reconnect at random.
 */
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            remoteBindings: false,
            wrangler: { configPath: `${root}wrangler.toml` },
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations(`${root}migrations`) } },
          })),
        ],
        test: {
          name: "reliability-workers",
          root,
          include: ["test/reliability/workers/**/*.test.ts"],
          setupFiles: ["test/workers/setup.ts"],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: "reliability-soak",
          root,
          include: ["test/reliability/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 240_000,
          hookTimeout: 150_000,
        },
      },
    ],
  },
});
