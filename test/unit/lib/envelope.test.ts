import { describe, expect, it } from "vitest";
import { newWrappedDataKey, open, plainSize, seal, unwrapDataKey } from "../../../workers/lib/envelope.ts";

const MASTER = btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => i + 1)));
const OTHER_MASTER = btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => 200 - i)));
const text = new TextEncoder().encode("allergic to nuts — no food items");

describe("envelope encryption", () => {
  it("seals with a fresh IV each time and opens with the same key and object key", async () => {
    const key = await unwrapDataKey(await newWrappedDataKey(MASTER), MASTER);
    const a = await seal(key, text, "ws1/c1/att_1-a.txt");
    const b = await seal(key, text, "ws1/c1/att_1-a.txt");
    expect(a.length).toBe(text.length + 28);
    expect(a).not.toEqual(b);
    expect(await open(key, a, "ws1/c1/att_1-a.txt")).toEqual(text);
  });

  it("refuses another data key, another object key and tampered bytes", async () => {
    const key = await unwrapDataKey(await newWrappedDataKey(MASTER), MASTER);
    const other = await unwrapDataKey(await newWrappedDataKey(MASTER), MASTER);
    const sealed = await seal(key, text, "ws1/c1/att_1-a.txt");
    await expect(open(other, sealed, "ws1/c1/att_1-a.txt")).rejects.toThrow();
    await expect(open(key, sealed, "ws2/c1/att_1-a.txt")).rejects.toThrow();
    const tampered = sealed.slice();
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    await expect(open(key, tampered, "ws1/c1/att_1-a.txt")).rejects.toThrow();
    await expect(open(key, sealed.slice(0, 10), "ws1/c1/att_1-a.txt")).rejects.toThrow();
  });

  it("stores data keys only wrapped: the wrapped form holds no key bytes and needs the master key", async () => {
    const wrapped = await newWrappedDataKey(MASTER);
    expect(wrapped).toMatch(/^v1:/);
    await expect(unwrapDataKey(wrapped, OTHER_MASTER)).rejects.toThrow();
  });

  it("reports the plaintext size of sealed objects and the stored size of older ones", () => {
    expect(plainSize({ size: 128, customMetadata: { enc: "aes256gcm.v1", kv: "1", size: "100" } })).toBe(100);
    expect(plainSize({ size: 128, customMetadata: {} })).toBe(128);
    expect(plainSize({ size: 128 })).toBe(128);
  });
});
