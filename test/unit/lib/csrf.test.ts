import { describe, expect, it } from "vitest";
import { allowedOrigins, csrfRefusal } from "../../../workers/lib/csrf.ts";

const ORIGINS = allowedOrigins("http://localhost:8787/api/x", "https://support.example.com/");
const h = (init: Record<string, string>) => new Headers(init);

describe("csrfRefusal (cookie-authenticated requests)", () => {
  it("lets safe methods through without anything", () => {
    for (const m of ["GET", "HEAD", "OPTIONS", "get"]) expect(csrfRefusal(m, h({}), ORIGINS)).toBeNull();
  });

  it("wants the custom header on every unsafe method", () => {
    for (const m of ["POST", "PUT", "PATCH", "DELETE"])
      expect(csrfRefusal(m, h({}), ORIGINS)?.reason).toBe("missing_header");
    expect(csrfRefusal("POST", h({ "x-requested-with": "XMLHttpRequest" }), ORIGINS)?.reason).toBe("missing_header");
    expect(csrfRefusal("POST", h({ "x-requested-with": "omnisupport" }), ORIGINS)).toBeNull();
  });

  it("accepts this deployment's own and configured origins, refuses others and the opaque origin", () => {
    const ok = { "x-requested-with": "omnisupport" };
    expect(csrfRefusal("POST", h({ ...ok, origin: "http://localhost:8787" }), ORIGINS)).toBeNull();
    expect(csrfRefusal("POST", h({ ...ok, origin: "https://support.example.com" }), ORIGINS)).toBeNull();
    for (const origin of ["https://evil.example", "null", "http://localhost:8788", "https://support.example.com.evil"])
      expect(csrfRefusal("POST", h({ ...ok, origin }), ORIGINS)?.reason, origin).toBe("foreign_origin");
    expect(csrfRefusal("POST", h({ ...ok, "sec-fetch-site": "cross-site" }), ORIGINS)?.reason).toBe("cross_site");
    expect(csrfRefusal("POST", h({ ...ok, "sec-fetch-site": "same-origin" }), ORIGINS)).toBeNull();
  });

  it("ignores an unparsable PUBLIC_URL instead of failing", () => {
    expect(allowedOrigins("http://127.0.0.1:8931/api", "not a url")).toEqual(["http://127.0.0.1:8931"]);
  });
});
