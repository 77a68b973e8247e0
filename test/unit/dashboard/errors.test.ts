import { describe, expect, it, vi } from "vitest";

// i18n reads localStorage and navigator at import; give it a minimal browser.
vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
vi.stubGlobal("navigator", { language: "en-US" });
vi.stubGlobal("document", { documentElement: {} });
const { humanError } = await import("../../../dashboard/src/lib/errors.ts");

describe("humanError", () => {
  it("never shows a code: known codes become sentences in the UI language", () => {
    expect(humanError("en", "forbidden", 403, "Read-only access")).toBe("Your role does not allow this.");
    expect(humanError("ru", "forbidden", 403, "Read-only access")).toBe("Ваша роль не позволяет это сделать.");
    expect(humanError("en", "network")).toMatch(/cannot be reached/);
  });

  it("keeps the server's own sentence for bad requests in English, translates the class otherwise", () => {
    expect(humanError("en", "bad_request", 400, "Files are limited to 5 MB")).toBe("Files are limited to 5 MB");
    expect(humanError("ru", "bad_request", 400, "Files are limited to 5 MB")).toMatch(/неверно/);
  });

  it("falls back by HTTP status for unknown codes and never echoes code-like text", () => {
    expect(humanError("en", "weird_code", 503, "boom")).toMatch(/our side/);
    expect(humanError("en", "weird_code", 400, "weird_code: x")).toMatch(/not valid/);
    expect(humanError("en", "weird_code")).toMatch(/Something went wrong/);
  });
});
