/**
 * A tiny `expect` for the browser e2e specs (no test framework in the loop), plus
 * MissingFeature: a failure that names the server piece a step needed and did not get,
 * so an unfinished backend shows up as a precise failure instead of a silent pass.
 */
import { isDeepStrictEqual, inspect } from "node:util";

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = "AssertionError";
  }
}

export class MissingFeature extends Error {
  constructor(feature, detail = "") {
    super(`server feature missing: ${feature}${detail ? ` (${detail})` : ""}`);
    this.name = "MissingFeature";
    this.feature = feature;
  }
}

const show = (v) => inspect(v, { depth: 4, breakLength: 120 });

export function expect(actual, label = "value") {
  const fail = (msg) => {
    throw new AssertionError(`${label}: ${msg}`);
  };
  return {
    toBe(expected) {
      if (!Object.is(actual, expected)) fail(`expected ${show(expected)}, got ${show(actual)}`);
    },
    toEqual(expected) {
      if (!isDeepStrictEqual(actual, expected)) fail(`expected ${show(expected)}, got ${show(actual)}`);
    },
    toBeTruthy() {
      if (!actual) fail(`expected a truthy value, got ${show(actual)}`);
    },
    toBeFalsy() {
      if (actual) fail(`expected a falsy value, got ${show(actual)}`);
    },
    toContain(item) {
      if (!(typeof actual === "string" || Array.isArray(actual)) || !actual.includes(item))
        fail(`expected ${show(actual)} to contain ${show(item)}`);
    },
    toBeGreaterThan(n) {
      if (!(actual > n)) fail(`expected > ${n}, got ${show(actual)}`);
    },
    toBeLessThanOrEqual(n) {
      if (!(actual <= n)) fail(`expected <= ${n}, got ${show(actual)}`);
    },
    not: {
      toContain(item) {
        if ((typeof actual === "string" || Array.isArray(actual)) && actual.includes(item))
          fail(`expected ${show(actual)} not to contain ${show(item)}`);
      },
    },
  };
}

expect.fail = (message) => {
  throw new AssertionError(message);
};
