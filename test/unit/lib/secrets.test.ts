import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, rewrapSecret } from "../../../workers/lib/secrets.ts";

const key = (seed: number) => btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => (i * seed + 3) % 256)));
const OLD = key(5);
const NEW = key(11);
const STRANGER = key(17);

describe("master key keyring", () => {
  it("opens with whichever key of the keyring sealed the value", async () => {
    const sealedOld = await encryptSecret("bot-token", OLD);
    const sealedNew = await encryptSecret("bot-token", NEW);
    expect(await decryptSecret(sealedOld, [NEW, OLD])).toBe("bot-token");
    expect(await decryptSecret(sealedNew, [NEW, OLD])).toBe("bot-token");
    await expect(decryptSecret(sealedOld, [NEW])).rejects.toThrow();
    await expect(decryptSecret(sealedOld, [])).rejects.toThrow();
  });

  it("rewraps a value sealed with the previous key, leaves current ones, refuses strangers", async () => {
    const rewrapped = await rewrapSecret(await encryptSecret("seed", OLD), NEW, OLD);
    expect(rewrapped).not.toBeNull();
    expect(await decryptSecret(rewrapped ?? "", NEW)).toBe("seed");
    await expect(decryptSecret(rewrapped ?? "", OLD)).rejects.toThrow();
    expect(await rewrapSecret(await encryptSecret("seed", NEW), NEW, OLD)).toBeNull();
    await expect(rewrapSecret(await encryptSecret("seed", STRANGER), NEW, OLD)).rejects.toThrow();
  });
});
