/**
 * Builds the operator/admin SPA into public/app/ (served by the Worker's static assets
 * at /app/). Only that folder is emptied: public/widget.js and public/index.html come
 * from other builds.
 */
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

const here = new URL(".", import.meta.url).pathname;

export default defineConfig({
  root: here,
  base: "/app/",
  plugins: [preact()],
  build: {
    outDir: new URL("../public/app/", import.meta.url).pathname,
    emptyOutDir: true,
    sourcemap: true,
    target: "es2022",
  },
  server: {
    // `vite -c dashboard/vite.config.ts` during development proxies to `npm run dev`.
    proxy: {
      "/api": "http://127.0.0.1:8787",
      "/parties": { target: "ws://127.0.0.1:8787", ws: true },
      "/widget.js": "http://127.0.0.1:8787",
    },
  },
});
