import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const TEST_TIMEOUT_MS = 120_000;

/** A project that runs in workerd with the bindings of wrangler.toml and the D1 migrations applied. */
function workerdProject(name: string, include: string, globalSetup: string[] = []) {
  return {
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
      name,
      include: [include],
      setupFiles: ["test/workers/setup.ts"],
      globalSetup,
      testTimeout: TEST_TIMEOUT_MS,
      hookTimeout: TEST_TIMEOUT_MS,
    },
  };
}

/**
 * Three projects:
 * - `unit`: pure modules and fixture-driven tests in plain Node (fast, can read files).
 * - `workers`: integration tests inside workerd with the real bindings of wrangler.toml
 *   (D1 with migrations applied, R2, Durable Objects, Queues), fully offline.
 * - `security`: the same workerd set-up for test/security/, one file per attack of issue 21,
 *   each replaying the attack through the real routes or sockets.
 * Limits are generous on purpose: CI is a loaded 2-core box, and a test asserts behaviour,
 * never speed (timing lives in `npm run bench`). A hung test still fails, just later.
 */
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
      workerdProject("workers", "test/workers/**/*.test.ts"),
      workerdProject("security", "test/security/**/*.test.ts", ["test/security/loopback-server.ts"]),
    ],
  },
});
