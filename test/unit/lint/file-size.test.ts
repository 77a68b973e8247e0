/**
 * Issue 17: no file in `durable-objects/` or `workers/` over ~400 lines without a comment
 * saying why (an "Over N lines …" note in its header). A long file either gets split or
 * says why it is one piece; this lists the ones that do neither.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const LIMIT = 400;
/** Generated, not written by hand. */
const SKIP = /worker-configuration\.d\.ts$|\.generated\./;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !SKIP.test(e.name) ? [path] : [];
  });
}

/** The header: everything before the first import or statement. */
function header(text: string): string {
  const first = text.search(/^(import|export|const|let|function|class|type|interface)\b/m);
  return first < 0 ? text : text.slice(0, first);
}

describe("file size", () => {
  it(`every file over ${LIMIT} lines in durable-objects/ and workers/ says why in its header`, () => {
    const files = [...sources(join(ROOT, "durable-objects")), ...sources(join(ROOT, "workers"))];
    expect(files.length).toBeGreaterThan(50);
    const unexplained = files
      .filter((f) => {
        const text = readFileSync(f, "utf8");
        return text.split("\n").length > LIMIT && !/Over ~?\d+ lines\b/i.test(header(text));
      })
      .map((f) => relative(ROOT, f));
    expect(unexplained).toEqual([]);
  });
});
