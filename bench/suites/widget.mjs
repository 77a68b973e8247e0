/** (d) Widget gzipped size and time until the bubble is interactive (bench/widget). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib/processes.mjs";

export async function widgetBench(platform) {
  const out = {};
  try {
    const { measureWidget } = await import("../widget/size.mjs");
    out.size = await measureWidget();
  } catch (err) {
    out.size = { skipped: `bench/widget/size.mjs unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!existsSync("/usr/bin/chromium")) out.tti = { skipped: "no /usr/bin/chromium (apt-get install chromium)" };
  else if (!existsSync(join(ROOT, "bench", "widget", "tti.mjs"))) out.tti = { skipped: "bench/widget/tti.mjs missing" };
  else {
    try {
      const { measureTti } = await import("../widget/tti.mjs");
      out.tti = await measureTti(platform.base);
    } catch (err) {
      out.tti = { skipped: `TTI failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return out;
}
