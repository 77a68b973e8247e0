import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/** A project that runs in workerd with the bindings of wrangler.toml and the D1 migrations applied. */
function workerdProject(name: string, include: string, globalSetup: string[] = []) {
  return {
    // Binary fixtures imported with `?inline` (Vite knows .pdf, not .docx).
    assetsInclude: ["**/*.docx"],
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
    // Generous per-test limit: CI is a loaded 2-core box where one PDF ingestion can take 5+ s.
    test: { name, include: [include], setupFiles: ["test/workers/setup.ts"], globalSetup, testTimeout: 60_000 },
  };
}

/**
 * Three projects:
 * - `unit`: pure modules and fixture-driven tests in plain Node (fast, can read files).
 * - `workers`: integration tests inside workerd with the real bindings of wrangler.toml
 *   (D1 with migrations applied, R2, Durable Objects, Queues), fully offline.
 * - `security`: the same workerd set-up for test/security/, one file per attack of issue 21,
 *   each replaying the attack through the real routes or sockets.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      workerdProject("workers", "test/workers/**/*.test.ts"),
      workerdProject("security", "test/security/**/*.test.ts", ["test/security/loopback-server.ts"]),
    ],
  },
});
