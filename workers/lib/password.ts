/**
 * Password hashing with PBKDF2-SHA256 from WebCrypto (no native code in Workers).
 * Stored as `pbkdf2$<iterations>$<salt b64>$<hash b64>` so the cost can be raised
 * later without a migration. Workers cap PBKDF2 at 100,000 iterations, which is the
 * value used here.
 */
import { fromBase64, timingSafeEqualBytes, toBase64 } from "./encoding.ts";

export const PBKDF2_ITERATIONS = 100_000;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== "pbkdf2") return false;
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
  const expected = fromBase64(parts[3] ?? "");
  const actual = await derive(password, fromBase64(parts[2] ?? ""), iterations);
  return timingSafeEqualBytes(actual, expected);
}

/** A hash of a random password, verified against on unknown accounts so timing does not reveal which emails exist. */
export const DUMMY_HASH = "pbkdf2$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
