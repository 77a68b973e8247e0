import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkOutboundUrl, OutboundUrlError, safeFetch } from "../../../workers/lib/outbound-url.ts";

const strict = { allowLoopback: false };
const refused = (url: string, opts = strict) => expect(checkOutboundUrl(url, opts).ok, url).toBe(false);
const allowed = (url: string, opts = strict) => expect(checkOutboundUrl(url, opts).ok, url).toBe(true);

/** Every way an IPv4 address can be written in a URL host. */
function encodings(a: number, b: number, c: number, d: number): string[] {
  const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const hex = (v: number) => `0x${v.toString(16)}`;
  const oct = (v: number) => `0${v.toString(8)}`;
  return [
    `${a}.${b}.${c}.${d}`,
    `${a}.${b}.${c}.${d}.`,
    String(n),
    hex(n),
    oct(n),
    [a, b, c, d].map(hex).join("."),
    [a, b, c, d].map(oct).join("."),
    `${a}.${(b << 16) + (c << 8) + d}`,
    `${a}.${b}.${(c << 8) + d}`,
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${((a << 8) + b).toString(16)}:${((c << 8) + d).toString(16)}]`,
    `[0:0:0:0:0:ffff:${a}.${b}.${c}.${d}]`,
  ];
}

const octet = fc.integer({ min: 0, max: 255 });
/** Addresses that must never be fetched, with the range they belong to. */
const internalV4 = fc.oneof(
  fc.tuple(fc.constant(127), octet, octet, octet),
  fc.tuple(fc.constant(10), octet, octet, octet),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
  fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
  fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
  fc.tuple(fc.constant(0), octet, octet, octet),
);

describe("checkOutboundUrl", () => {
  it("refuses internal IPv4 addresses in every encoding (property)", () => {
    fc.assert(
      fc.property(internalV4, fc.constantFrom("http", "https"), ([a, b, c, d], scheme) => {
        for (const host of encodings(a, b, c, d)) refused(`${scheme}://${host}/x`);
      }),
      { numRuns: 300 },
    );
  });

  it("accepts public addresses in every encoding (property)", () => {
    const publicV4 = fc
      .tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet)
      .filter(([a, b]) => ![0, 10, 100, 127, 169, 172, 192, 198, 203].includes(a) || (a === 100 && b < 64));
    fc.assert(
      fc.property(publicV4, ([a, b, c, d]) => {
        for (const host of encodings(a, b, c, d).filter((h) => !h.startsWith("["))) allowed(`https://${host}/page`);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses the well-known tricks", () => {
    for (const url of [
      "http://localhost/",
      "http://LOCALHOST./",
      "http://foo.localhost/",
      "http://127.1/",
      "http://0/",
      "http://[::1]/",
      "http://[::]/",
      "http://[0:0:0:0:0:0:0:1]/",
      "http://[fd00::1]/",
      "http://[fc12:3456::1]/",
      "http://[fe80::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:169.254.169.254]/",
      "http://[64:ff9b::a9fe:a9fe]/",
      "http://[2002:7f00:1::]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://metadata/",
      "http://intranet/",
      "http://printer.local/",
      "http://db.corp.internal/",
      "http://user:pass@example.com/",
      "http://example.com@127.0.0.1/",
      "http://127.0.0.1#@example.com/",
      "file:///etc/passwd",
      "gopher://example.com/",
      "ftp://example.com/",
      "javascript:alert(1)",
      "data:text/html,hi",
      "not a url",
    ])
      refused(url);
  });

  it("accepts ordinary public URLs", () => {
    for (const url of ["https://example.com/", "http://shop.example.org:8080/help?q=1", "https://[2606:4700::1]/"])
      allowed(url);
  });

  it("allows loopback only when asked (development), never private ranges", () => {
    const dev = { allowLoopback: true };
    for (const url of ["http://127.0.0.1:8787/", "http://localhost:9000/", "http://[::1]/", "http://2130706433/"])
      allowed(url, dev);
    for (const url of ["http://10.0.0.1/", "http://169.254.169.254/", "http://[fd00::1]/", "http://192.168.1.1/"])
      refused(url, dev);
  });
});

describe("safeFetch", () => {
  const respond =
    (routes: Record<string, () => Response>) =>
    async (url: string): Promise<Response> => {
      const make = routes[url];
      if (!make) throw new Error(`unexpected fetch ${url}`);
      return make();
    };

  it("re-checks every redirect hop and never requests the internal target", async () => {
    const requested: string[] = [];
    const fetchFn = async (url: string) => {
      requested.push(url);
      return respond({
        "https://example.com/start": () =>
          new Response(null, { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } }),
      })(url);
    };
    await expect(
      safeFetch("https://example.com/start", {}, { allowLoopback: false, maxBytes: 1000, fetchFn }),
    ).rejects.toBeInstanceOf(OutboundUrlError);
    expect(requested).toEqual(["https://example.com/start"]);
  });

  it("follows public redirects, stops after maxRedirects", async () => {
    const fetchFn = respond({
      "https://a.example/": () => new Response(null, { status: 301, headers: { location: "/b" } }),
      "https://a.example/b": () => new Response("done", { status: 200 }),
    });
    const ok = await safeFetch("https://a.example/", {}, { allowLoopback: false, maxBytes: 100, fetchFn });
    expect(ok.finalUrl).toBe("https://a.example/b");
    expect(new TextDecoder().decode(ok.body)).toBe("done");
    const loop = async () => new Response(null, { status: 302, headers: { location: "https://a.example/" } });
    await expect(
      safeFetch("https://a.example/", {}, { allowLoopback: false, maxBytes: 100, maxRedirects: 3, fetchFn: loop }),
    ).rejects.toThrow(/more than 3 redirects/);
  });

  it("stops reading a body at the cap, declared or streamed", async () => {
    let pulled = 0;
    const endless = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
        }),
        { status: 200 },
      );
    await expect(
      safeFetch(
        "https://big.example/",
        {},
        { allowLoopback: false, maxBytes: 1024 * 1024, fetchFn: async () => endless() },
      ),
    ).rejects.toThrow(/larger than/);
    expect(pulled).toBeLessThan(40);
    const declared = async () => new Response("x", { status: 200, headers: { "content-length": String(10 ** 9) } });
    await expect(
      safeFetch("https://big.example/", {}, { allowLoopback: false, maxBytes: 1000, fetchFn: declared }),
    ).rejects.toThrow(/larger than/);
  });

  it("refuses off-site redirects when asked to stay on the origin", async () => {
    const fetchFn = respond({
      "https://a.example/": () => new Response(null, { status: 302, headers: { location: "https://b.example/" } }),
    });
    await expect(
      safeFetch("https://a.example/", {}, { allowLoopback: false, maxBytes: 100, sameOriginRedirects: true, fetchFn }),
    ).rejects.toThrow(/off-site/);
  });
});
