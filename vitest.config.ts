import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * Two projects:
 * - `unit`: pure modules and fixture-driven tests in plain Node (fast, can read files).
 * - `workers`: integration tests inside workerd with the real bindings of wrangler.toml
 *   (D1 with migrations applied, R2, Durable Objects, Queues), fully offline.
 * Limits are generous on purpose: CI is a loaded 2-core box, and a test asserts behaviour,
 * never speed (timing lives in `npm run bench`). A hung test still fails, just later.
 */
const TEST_TIMEOUT_MS = 120_000;
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          testTimeout: TEST_TIMEOUT_MS,
          hookTimeout: TEST_TIMEOUT_MS,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            remoteBindings: false,
            wrangler: { configPath: `${root}wrangler.toml` },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(`${root}migrations`),
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          setupFiles: ["test/workers/setup.ts"],
          testTimeout: TEST_TIMEOUT_MS,
          hookTimeout: TEST_TIMEOUT_MS,
        },
      },
    ],
  },
});
