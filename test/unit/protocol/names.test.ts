import { describe, expect, it } from "vitest";
import { avatarOf, displayName, generatedName } from "../../../workers/protocol/names.ts";

describe("generated visitor names", () => {
  it("gives a readable adjective-noun-number name, stable per id and different across ids", () => {
    const a = generatedName("ct_mxb6fgcjba04588227112111a6");
    expect(a).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
    expect(generatedName("ct_mxb6fgcjba04588227112111a6")).toBe(a);
    const names = new Set(Array.from({ length: 200 }, (_, i) => generatedName(`ct_${i}`)));
    expect(names.size).toBeGreaterThan(190);
  });

  it("prefers the contact's own name, then email, then phone", () => {
    expect(displayName("ct_1", { name: "Ольга", email: "o@x.test" })).toBe("Ольга");
    expect(displayName("ct_1", { name: "  ", email: "o@x.test" })).toBe("o@x.test");
    expect(displayName("ct_1", { phone: "+972541112233" })).toBe("+972541112233");
    expect(displayName("ct_1", null)).toBe(generatedName("ct_1"));
  });

  it("makes avatar initials in any script", () => {
    expect(avatarOf("Blue Olive 42").initials).toBe("BO");
    expect(avatarOf("נועה כהן").initials).toBe("נכ");
    expect(avatarOf("ольга").initials).toBe("О");
    expect(avatarOf("+972").initials).toBe("?");
  });
});
