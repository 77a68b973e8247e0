/**
 * The built widget (public/widget.js, built by `npm test` before vitest runs): within its
 * 25 KB gzip budget, and it evaluates. A protocol schema the widget's zod stand-in cannot
 * build (z.url(), z.union() …) used to reach the bundle and throw at load, which only a
 * browser test would have shown.
 */
import { existsSync, readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";

const path = new URL("../../../public/widget.js", import.meta.url);
/** The widget's budget (BENCHMARKS.md goals; `npm run bench` reports the same figure). */
const BUDGET_GZIP_BYTES = 25 * 1024;

describe.runIf(existsSync(path))("the built widget", () => {
  it("fits the 25 KB gzip budget", () => {
    const gzip = gzipSync(readFileSync(path), { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it("evaluates without throwing (every module-level schema builds on zod-lite)", () => {
    const code = readFileSync(path, "utf8");
    // A page without a host element: the widget's modules load, then it finds nothing to mount.
    const noop = () => undefined;
    const element = { attachShadow: () => element, appendChild: noop, setAttribute: noop, style: {} };
    const document = {
      currentScript: null,
      readyState: "complete",
      querySelector: () => null,
      querySelectorAll: () => [],
      getElementById: () => null,
      createElement: () => element,
      addEventListener: noop,
      head: element,
      body: element,
      documentElement: element,
    };
    const window = { addEventListener: noop, location: { origin: "http://localhost" }, navigator: { onLine: true } };
    const storage = { getItem: () => null, setItem: noop, removeItem: noop };
    const browser = {
      window,
      document,
      navigator: window.navigator,
      location: window.location,
      localStorage: storage,
      HTMLScriptElement: class {},
      HTMLElement: class {},
      ...{ console, Event, EventTarget, URL, URLSearchParams, TextEncoder, TextDecoder, structuredClone },
      ...{ setTimeout, clearTimeout, setInterval, clearInterval },
    };
    expect(() => runInNewContext(code, browser)).not.toThrow();
  });
});
