/**
 * The pure parts of the site crawler: robots.txt, link extraction, URL scope rules,
 * content hashing, and a breadth-first crawl over an injected fetch. Scheduling,
 * storage and re-crawl timing belong to the queue consumer, not here.
 */
import { decodeEntities } from "../lib/entities.ts";
import { htmlToSections } from "./parse/html.ts";
import type { ParsedDocument } from "./types.ts";

export interface RobotsRule {
  allow: boolean;
  path: string;
}

export interface RobotsTxt {
  groups: Array<{ agents: string[]; rules: RobotsRule[] }>;
}

/** Parses robots.txt (RFC 9309): user-agent groups with allow/disallow rules. */
export function parseRobotsTxt(text: string): RobotsTxt {
  const groups: RobotsTxt["groups"] = [];
  let current: { agents: string[]; rules: RobotsRule[] } | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, "").trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = (m[1] ?? "").toLowerCase();
    const value = (m[2] ?? "").trim();
    if (key === "user-agent") {
      // Consecutive user-agent lines share one group.
      if (current === null || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
    } else if ((key === "allow" || key === "disallow") && current !== null) {
      lastWasAgent = false;
      // An empty Disallow allows everything; it adds no rule.
      if (value !== "") current.rules.push({ allow: key === "allow", path: value });
    } else {
      lastWasAgent = false;
    }
  }
  return { groups };
}

/**
 * Whether a path may be fetched: the group naming our user agent (most specific name)
 * wins over "*"; within it the longest matching rule wins and Allow wins a tie.
 */
export function isAllowed(robots: RobotsTxt, userAgent: string, path: string): boolean {
  const ua = userAgent.toLowerCase();
  let best: RobotsRule[] | null = null;
  let bestLength = -1;
  for (const group of robots.groups) {
    for (const agent of group.agents) {
      const matches = agent === "*" ? 0 : ua.includes(agent) ? agent.length : -1;
      if (matches > bestLength) {
        best = group.rules;
        bestLength = matches;
      }
    }
  }
  if (best === null) return true;
  let verdict: RobotsRule | null = null;
  for (const rule of best) {
    if (!robotsPatternMatches(rule.path, path)) continue;
    if (
      verdict === null ||
      rule.path.length > verdict.path.length ||
      (rule.path.length === verdict.path.length && rule.allow)
    )
      verdict = rule;
  }
  return verdict === null || verdict.allow;
}

function robotsPatternMatches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith("$");
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const re = body.split("*").map(escapeRegExp).join(".*");
  return new RegExp(`^${re}${anchored ? "$" : ""}`).test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Drops the fragment and normalises an empty path to "/"; null for non-http(s) or invalid URLs. */
export function normalizeUrl(url: string, base?: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  parsed.hash = "";
  return parsed.href;
}

/** Absolute, normalised, de-duplicated targets of `<a href>` links, in page order. */
export function extractLinks(html: string, baseUrl: string): string[] {
  const baseHref = /<base\b[^>]*\bhref\s*=\s*["']([^"']+)["']/i.exec(html)?.[1];
  const base = baseHref === undefined ? baseUrl : (normalizeUrl(baseHref, baseUrl) ?? baseUrl);
  const links = new Set<string>();
  for (const m of html
    .replace(/<!--[\s\S]*?-->/g, "")
    .matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const href = decodeEntities(m[1] ?? m[2] ?? m[3] ?? "").trim();
    if (href === "" || href.startsWith("#")) continue;
    const url = normalizeUrl(href, base);
    if (url !== null) links.add(url);
  }
  return [...links];
}

/**
 * Glob over the URL path (plus query): `**` matches anything, `*` anything but "/",
 * `?` one character. "/help/**" covers the help centre, "*.pdf" nothing (paths start with /).
 */
export function globMatches(pattern: string, path: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += ".";
    else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`).test(path);
}

/** Whether a URL is inside the crawl: same origin, matches an include (if any), no exclude. */
export function inScope(url: string, origin: string, include: string[], exclude: string[]): boolean {
  const parsed = new URL(url);
  if (parsed.origin !== origin) return false;
  const path = parsed.pathname + parsed.search;
  if (include.length > 0 && !include.some((p) => globMatches(p, path))) return false;
  return !exclude.some((p) => globMatches(p, path));
}

/** SHA-256 hex of whitespace-collapsed, NFC-normalised text: equal pages hash equal. */
export async function contentHash(text: string): Promise<string> {
  const normalised = text.normalize("NFC").replace(/\s+/g, " ").trim();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(normalised));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface CrawledPage {
  url: string;
  title: string;
  text: string;
  hash: string;
  sections: ParsedDocument["sections"];
  depth: number;
}

export interface CrawlOptions {
  startUrl: string;
  /** Link hops from the start page that are still followed (0 = start page only). */
  depth: number;
  include?: string[];
  exclude?: string[];
  fetchFn: (url: string, init?: RequestInit) => Promise<Response>;
  maxPages?: number;
  userAgent?: string;
}

export interface CrawlResult {
  pages: CrawledPage[];
  /** URLs seen but not indexed, with why (robots, HTTP status, not HTML, duplicate…). */
  skipped: Array<{ url: string; reason: string }>;
}

export const CRAWLER_USER_AGENT = "OmniSupportBot/1.0";

/** Breadth-first crawl of one site. Never leaves the start URL's origin. */
export async function crawlSite(options: CrawlOptions): Promise<CrawlResult> {
  const start = normalizeUrl(options.startUrl);
  if (start === null) throw new Error(`not an http(s) URL: ${options.startUrl}`);
  const origin = new URL(start).origin;
  const userAgent = options.userAgent ?? CRAWLER_USER_AGENT;
  const maxPages = options.maxPages ?? 50;
  const include = options.include ?? [];
  const exclude = options.exclude ?? [];
  const robots = await loadRobots(origin, options.fetchFn, userAgent);

  const result: CrawlResult = { pages: [], skipped: [] };
  const seen = new Set<string>([start]);
  const hashes = new Set<string>();
  const queue: Array<{ url: string; depth: number }> = [{ url: start, depth: 0 }];

  while (queue.length > 0 && result.pages.length < maxPages) {
    const item = queue.shift();
    if (item === undefined) break;
    const { url, depth } = item;
    const path = new URL(url).pathname + new URL(url).search;
    if (!inScope(url, origin, include, exclude) && url !== start) {
      result.skipped.push({ url, reason: "excluded by crawl rules" });
      continue;
    }
    if (!isAllowed(robots, userAgent, path)) {
      result.skipped.push({ url, reason: "disallowed by robots.txt" });
      continue;
    }
    let response: Response;
    try {
      response = await options.fetchFn(url, {
        headers: { "user-agent": userAgent, accept: "text/html" },
        redirect: "follow",
      });
    } catch (err) {
      result.skipped.push({ url, reason: `fetch failed: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    if (!response.ok) {
      result.skipped.push({ url, reason: `HTTP ${response.status}` });
      continue;
    }
    if (response.url !== "" && new URL(response.url).origin !== origin) {
      result.skipped.push({ url, reason: "redirected off-site" });
      continue;
    }
    if (!(response.headers.get("content-type") ?? "").toLowerCase().includes("text/html")) {
      result.skipped.push({ url, reason: "not an HTML page" });
      continue;
    }
    const html = await response.text();
    const { title, sections } = htmlToSections(html);
    const text = sections.map((s) => [...s.heading.slice(-1), s.text].join("\n")).join("\n\n");
    const hash = await contentHash(text);
    if (hashes.has(hash)) {
      result.skipped.push({ url, reason: "duplicate content" });
    } else if (text.trim() !== "") {
      hashes.add(hash);
      result.pages.push({ url, title, text, hash, sections, depth });
    }
    if (depth >= options.depth) continue;
    for (const link of extractLinks(html, url)) {
      if (seen.has(link)) continue;
      seen.add(link);
      if (new URL(link).origin !== origin) continue;
      queue.push({ url: link, depth: depth + 1 });
    }
  }
  return result;
}

async function loadRobots(origin: string, fetchFn: CrawlOptions["fetchFn"], userAgent: string): Promise<RobotsTxt> {
  try {
    const res = await fetchFn(`${origin}/robots.txt`, { headers: { "user-agent": userAgent } });
    if (res.ok) return parseRobotsTxt(await res.text());
    // RFC 9309: a missing robots.txt (4xx) allows everything; a server error (5xx)
    // means "assume complete disallow" until it can be read.
    return res.status >= 500 ? { groups: [{ agents: ["*"], rules: [{ allow: false, path: "/" }] }] } : { groups: [] };
  } catch {
    return { groups: [] };
  }
}
