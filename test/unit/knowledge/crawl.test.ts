import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  contentHash,
  crawlSite,
  extractLinks,
  globMatches,
  isAllowed,
  normalizeUrl,
  parseRobotsTxt,
} from "../../../workers/knowledge/crawl.ts";

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><title>${title}</title></head><body><nav><a href="/">Home</a></nav>${body}</body></html>`;

/** A tiny help centre: robots.txt hides /private, /faq is linked twice, one external link, depth 3 chain. */
const SITE: Record<string, string> = {
  "/robots.txt": "User-agent: *\nDisallow: /private\nAllow: /private/public-note\n",
  "/": page(
    "Help centre",
    `<h1>Help</h1><p>Start here.</p><a href="/faq">FAQ</a> <a href="/faq#top">FAQ again</a> <a href="https://example.org/elsewhere">Partner</a> <a href="/private/secret">Secret</a> <a href="/level1">Deeper</a> <a href="/copy">Copy</a>`,
  ),
  "/faq": page("FAQ", "<h1>FAQ</h1><h2>Shipping</h2><p>Boxes ship from Israel between the 10th and the 18th.</p>"),
  "/copy": page(
    "FAQ copy",
    "<h1>FAQ</h1><h2>Shipping</h2><p>Boxes ship from Israel between the 10th and the 18th.</p>",
  ),
  "/private/secret": page("Secret", "<p>Internal only.</p>"),
  "/level1": page("Level 1", `<p>One hop.</p><a href="/level2">Next</a>`),
  "/level2": page("Level 2", `<p>Two hops.</p><a href="/level3">Next</a>`),
  "/level3": page("Level 3", "<p>Three hops.</p>"),
};

describe("crawler against a local site", () => {
  let server: Server;
  let base = "";
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      hits.push(path);
      const body = SITE[path];
      if (body === undefined) {
        res.writeHead(404).end("not found");
        return;
      }
      res
        .writeHead(200, { "content-type": path.endsWith(".txt") ? "text/plain" : "text/html; charset=utf-8" })
        .end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("server has no TCP address");
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("obeys robots.txt, stays on the site, visits each page once and stops at the depth limit", async () => {
    const result = await crawlSite({ startUrl: `${base}/`, depth: 2, fetchFn: (url, init) => fetch(url, init) });
    const paths = result.pages.map((p) => new URL(p.url).pathname);
    expect(paths).toEqual(["/", "/faq", "/level1", "/level2"]);
    expect(hits).not.toContain("/private/secret");
    expect(hits).not.toContain("/level3");
    expect(hits.filter((h) => h === "/faq")).toHaveLength(1);
    expect(result.skipped).toContainEqual({ url: `${base}/private/secret`, reason: "disallowed by robots.txt" });
    expect(result.skipped).toContainEqual({ url: `${base}/copy`, reason: "duplicate content" });
    const faq = result.pages.find((p) => p.url.endsWith("/faq"));
    expect(faq?.title).toBe("FAQ");
    expect(faq?.sections[0]?.heading).toEqual(["FAQ", "Shipping"]);
    expect(faq?.text).not.toContain("Home");
    expect(faq?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("applies include/exclude globs and maxPages", async () => {
    const result = await crawlSite({
      startUrl: `${base}/`,
      depth: 5,
      include: ["/level*"],
      exclude: ["/level3"],
      maxPages: 10,
      fetchFn: (url, init) => fetch(url, init),
    });
    expect(result.pages.map((p) => new URL(p.url).pathname)).toEqual(["/", "/level1", "/level2"]);
    const capped = await crawlSite({
      startUrl: `${base}/`,
      depth: 5,
      maxPages: 2,
      fetchFn: (url, init) => fetch(url, init),
    });
    expect(capped.pages).toHaveLength(2);
  });
});

describe("crawler helpers", () => {
  it("parses robots.txt groups with longest-match precedence", () => {
    const robots = parseRobotsTxt(
      "User-agent: BadBot\nDisallow: /\n\nUser-agent: *\nDisallow: /private\nAllow: /private/ok\nDisallow: /*.pdf$\n",
    );
    expect(isAllowed(robots, "OmniSupportBot/1.0", "/faq")).toBe(true);
    expect(isAllowed(robots, "OmniSupportBot/1.0", "/private/x")).toBe(false);
    expect(isAllowed(robots, "OmniSupportBot/1.0", "/private/ok/page")).toBe(true);
    expect(isAllowed(robots, "OmniSupportBot/1.0", "/files/a.pdf")).toBe(false);
    expect(isAllowed(robots, "Mozilla BadBot/2", "/faq")).toBe(false);
    expect(isAllowed(parseRobotsTxt("User-agent: *\nDisallow:\n"), "x", "/anything")).toBe(true);
  });

  it("extracts and normalises links", () => {
    const links = extractLinks(
      `<a href="/a#x">A</a><a href='b?q=1&amp;r=2'>B</a><a href="mailto:x@y.z">M</a><a href="#top">T</a><!-- <a href="/hidden"> -->`,
      "https://site.test/dir/page",
    );
    expect(links).toEqual(["https://site.test/a", "https://site.test/dir/b?q=1&r=2"]);
    expect(normalizeUrl("HTTPS://Site.Test#frag")).toBe("https://site.test/");
    expect(normalizeUrl("javascript:alert(1)")).toBeNull();
  });

  it("matches globs on the path", () => {
    expect(globMatches("/help/**", "/help/a/b")).toBe(true);
    expect(globMatches("/help/*", "/help/a/b")).toBe(false);
    expect(globMatches("/blog/?", "/blog/1")).toBe(true);
  });

  it("hashes normalised text", async () => {
    expect(await contentHash("Hello   world\n")).toBe(await contentHash("Hello world"));
    expect(await contentHash("Hello world")).not.toBe(await contentHash("Hello world!"));
  });
});
