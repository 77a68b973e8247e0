/**
 * getConfig remembers its answer per env object (issue 17's ack-path profile) without ever
 * answering from a stale memo: an env changed in place is read again.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, getConfig } from "../../../workers/lib/config.ts";

const KEY = btoa("k".repeat(32));
const PREVIOUS = btoa("p".repeat(32));
const envOf = (vars: Record<string, string | undefined>) => vars as unknown as Env;

describe("getConfig memo", () => {
  it("hands out one frozen config per env object while its values stay the same", () => {
    const env = envOf({ ENVIRONMENT: "development", ENCRYPTION_KEY: KEY });
    const a = getConfig(env);
    expect(getConfig(env)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.decryptionKeys)).toBe(true);
    expect(a.encryptionKey).toBe(KEY);
  });

  it("reads an env changed in place again", () => {
    const vars: Record<string, string | undefined> = { ENVIRONMENT: "development", ENCRYPTION_KEY: KEY };
    const env = envOf(vars);
    expect(getConfig(env).encryptionKeyPrevious).toBeNull();
    vars.ENCRYPTION_KEY_PREVIOUS = PREVIOUS;
    expect(getConfig(env).decryptionKeys).toEqual([KEY, PREVIOUS]);
    vars.ENVIRONMENT = "staging";
    expect(() => getConfig(env)).toThrow(ConfigError);
    vars.ENVIRONMENT = "production";
    expect(() => getConfig(env)).toThrow(/JWT_SECRET/);
  });

  it("checks the request's host on every call, memo or not", () => {
    const env = envOf({ ENVIRONMENT: "development" });
    expect(getConfig(env, new Request("http://localhost/x")).development).toBe(true);
    expect(() => getConfig(env, new Request("https://support.example.com/x"))).toThrow(/localhost only/);
    expect(getConfig(env, new Request("http://127.0.0.1:8787/x")).development).toBe(true);
  });
});
