/**
 * Builds the widget into ONE self-contained file, public/widget.js (IIFE, Preact
 * inlined, CSS inlined as a string for the Shadow DOM), and copies the demo pages to
 * public/. `emptyOutDir: false` because the dashboard is built into public/app/.
 * `zod` is aliased to a small runtime of the same API (see src/zod-lite.ts) so the
 * shared protocol schemas fit the 25 KB gzip budget.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import type { Plugin } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Schema construction is side-effect free, so unused protocol schemas (presence,
 * operator commands, settings) may be dropped. Only calls on zod-lite's own binding are
 * declared pure: a plain `manualPureFunctions: ["z"]` also matched Preact's minified
 * internal `z()` (its diff) and silently removed rendering.
 */
const PURE_ZOD = "zodLitePure";

function copyDemoPages(): Plugin {
  return {
    name: "omnisupport-demo-pages",
    generateBundle() {
      for (const [from, to] of [
        ["demo/index.html", "index.html"],
        ["demo/embed.html", "embed.html"],
        ["demo/favicon.svg", "favicon.svg"],
      ] as const) {
        this.emitFile({ type: "asset", fileName: to, source: readFileSync(here(from), "utf8") });
      }
    },
  };
}

export default defineConfig({
  root: here("."),
  publicDir: false,
  logLevel: "warn",
  resolve: {
    alias: [{ find: /^zod$/, replacement: here("src/zod-lite.ts") }],
  },
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  plugins: [copyDemoPages()],
  build: {
    outDir: here("../public"),
    emptyOutDir: false,
    target: "es2022",
    cssTarget: "chrome100",
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    rollupOptions: { treeshake: { manualPureFunctions: [PURE_ZOD] } },
    lib: {
      entry: here("src/main.tsx"),
      formats: ["iife"],
      name: "OmniSupportWidget",
      fileName: () => "widget.js",
    },
  },
});
