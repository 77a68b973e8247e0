import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { missingVariables, parseMentions, renderCanned } from "../../../durable-objects/lib/canned.ts";

const VARS = {
  contact: { name: "Dana", email: "dana@example.com", blank: "  " },
  subscription: { next_box: "12 March", boxes_left: 3, active: true },
  operator: { name: "Ann" },
};

describe("renderCanned", () => {
  it("fills dotted paths, with or without spaces inside the braces", () => {
    expect(
      renderCanned("Hi {{contact.name}}, your next box ships {{ subscription.next_box }}. — {{operator.name}}", VARS),
    ).toBe("Hi Dana, your next box ships 12 March. — Ann");
  });

  it("prints numbers and booleans", () => {
    expect(renderCanned("{{subscription.boxes_left}} left, active: {{subscription.active}}", VARS)).toBe(
      "3 left, active: true",
    );
  });

  it("uses the inline default, then the configured fallback, for missing or blank values", () => {
    expect(renderCanned("Hi {{contact.nickname|there}}!", VARS)).toBe("Hi there!");
    expect(renderCanned("Hi {{contact.blank | friend }}!", VARS)).toBe("Hi friend!");
    expect(renderCanned("Hi {{contact.nickname}}!", VARS)).toBe("Hi !");
    expect(renderCanned("Hi {{contact.nickname}}!", VARS, { fallback: "customer" })).toBe("Hi customer!");
    expect(renderCanned("{{contact.name|there}}", VARS)).toBe("Dana");
  });

  it("treats objects, arrays and prototype members as missing", () => {
    expect(
      renderCanned("{{contact}}|{{contact.constructor}}|{{contact.__proto__}}|{{toString}}", VARS, { fallback: "?" }),
    ).toBe("?|?|?|?");
    expect(renderCanned("{{list.0}}", { list: ["a"] }, { fallback: "-" })).toBe("{{list.0}}");
    expect(renderCanned("{{list}}", { list: ["a"] }, { fallback: "-" })).toBe("-");
  });

  it("leaves unknown syntax as it is and never evaluates code", () => {
    const odd = "{{#if contact}}x{{/if}} {{ contact.name + 1 }} {{}} {contact.name} {{constructor.constructor('x')()}}";
    expect(renderCanned(odd, VARS)).toBe(odd);
  });

  it("never throws and is the identity on text without braces (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = renderCanned(s, VARS);
        if (!s.includes("{")) expect(out).toBe(s);
      }),
    );
  });

  it("lists missing variables once each", () => {
    expect(missingVariables("{{contact.name}} {{order.id}} {{order.id|n/a}} {{x}}", VARS)).toEqual(["order.id", "x"]);
  });
});

describe("parseMentions", () => {
  const ops = [
    { id: "u1", handle: "anna" },
    { id: "u2", handle: "Boris.K" },
    { id: "u3", handle: "dev-ops" },
  ];

  it("finds handles case-insensitively, in order, once each", () => {
    expect(parseMentions("@boris.k please check, cc @ANNA and @anna again", ops)).toEqual(["u2", "u1"]);
  });

  it("ignores trailing punctuation, emails and unknown handles", () => {
    expect(parseMentions("Thanks @dev-ops. Mail dana@anna.com or @nobody, (@anna)", ops)).toEqual(["u3", "u1"]);
    expect(parseMentions("write to anna@example.com", ops)).toEqual([]);
  });
});
