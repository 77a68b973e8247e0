import { describe, expect, it } from "vitest";
import {
  CHUNK_BYTES,
  newWrappedDataKey,
  open,
  openChunked,
  openStream,
  plainSize,
  seal,
  sealChunked,
  sealedLength,
  sealStream,
  unwrapDataKey,
} from "../../../workers/lib/envelope.ts";

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

/** Pushes `bytes` through `t` in pieces of `piece` bytes; returns everything that came out. */
async function through(
  t: TransformStream<Uint8Array, Uint8Array>,
  bytes: Uint8Array,
  piece: number,
): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(ctl) {
      for (let i = 0; i < bytes.length; i += piece) ctl.enqueue(bytes.slice(i, i + piece));
      ctl.close();
    },
  });
  return new Uint8Array(await new Response(source.pipeThrough(t)).arrayBuffer());
}

const pattern = (n: number) => new Uint8Array(n).map((_, i) => (i * 31 + 7) % 256);

describe("chunked format (every write)", () => {
  const sizes = [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 5];

  it("seals in memory and as a stream to the announced length, and both open either way", async () => {
    const key = await unwrapDataKey(await newWrappedDataKey(MASTER), MASTER);
    for (const n of sizes) {
      const plain = pattern(n);
      const inMemory = await sealChunked(key, plain, "ws1/documents/d1/a.md");
      const streamed = await through(sealStream(key, "ws1/documents/d1/a.md"), plain, 300_001);
      expect(inMemory.length).toBe(sealedLength(n));
      expect(streamed.length).toBe(sealedLength(n));
      expect(Buffer.from(await openChunked(key, streamed, "ws1/documents/d1/a.md")).equals(Buffer.from(plain))).toBe(
        true,
      );
      const opened = await through(openStream(key, "ws1/documents/d1/a.md"), inMemory, 65_537);
      expect(Buffer.from(opened).equals(Buffer.from(plain))).toBe(true);
    }
  });

  it("holds no plaintext", async () => {
    const key = await unwrapDataKey(await newWrappedDataKey(MASTER), MASTER);
    const sealed = await sealChunked(key, text, "k");
    expect(Buffer.from(sealed).includes(Buffer.from("allergic"))).toBe(false);
  });

  it("refuses another key, another object key, a dropped tail chunk, swapped chunks and flipped bits", async () => {
    const key = await unwrapDataKey(await newWrappedDataKey(MASTER), MASTER);
    const other = await unwrapDataKey(await newWrappedDataKey(MASTER), MASTER);
    const plain = pattern(2 * CHUNK_BYTES + 5);
    const sealed = await sealChunked(key, plain, "ws1/a");
    const full = CHUNK_BYTES + 28;
    await expect(openChunked(other, sealed, "ws1/a")).rejects.toThrow();
    await expect(openChunked(key, sealed, "ws2/a")).rejects.toThrow();
    // Cut at a chunk boundary: the remaining last chunk was not sealed as the final one.
    await expect(openChunked(key, sealed.slice(0, 2 * full), "ws1/a")).rejects.toThrow();
    await expect(through(openStream(key, "ws1/a"), sealed.slice(0, 2 * full), 4096)).rejects.toThrow();
    const swapped = new Uint8Array(sealed.length);
    swapped.set(sealed.subarray(full, 2 * full), 0);
    swapped.set(sealed.subarray(0, full), full);
    swapped.set(sealed.subarray(2 * full), 2 * full);
    await expect(openChunked(key, swapped, "ws1/a")).rejects.toThrow();
    const flipped = sealed.slice();
    flipped[full + 100] = (flipped[full + 100] ?? 0) ^ 1;
    await expect(through(openStream(key, "ws1/a"), flipped, 100_000)).rejects.toThrow();
    await expect(openChunked(key, new Uint8Array(10), "ws1/a")).rejects.toThrow();
  });
});
