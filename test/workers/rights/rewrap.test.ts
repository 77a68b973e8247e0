/**
 * Issue 20, item 6: rotating the master key. With the new key as ENCRYPTION_KEY and the
 * old one as ENCRYPTION_KEY_PREVIOUS, data keys wrapped by the old key still unwrap (every
 * R2 object still opens); the scheduled rewrap re-seals data keys and stored secrets with
 * the new key in bounded runs, after which the old key is no longer needed.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { ConfigError, getConfig } from "../../../workers/lib/config.ts";
import { toBase64 } from "../../../workers/lib/encoding.ts";
import { decryptSecret, encryptJson, encryptSecret } from "../../../workers/lib/secrets.ts";
import { runRewrap } from "../../../workers/rights/rewrap.ts";
import { addDataKey, keyOf } from "../../../workers/services/data-keys.ts";
import { seedDemo } from "../helpers.ts";

const OLD = getConfig(env).encryptionKey;
const NEW = toBase64(crypto.getRandomValues(new Uint8Array(32)));
/** The Worker's bindings with some vars replaced, as a redeployed copy would run. */
const withVars = (vars: Record<string, string>): Env => ({ ...env, ...vars });
/** The deployment after the operator swapped the keys. */
const rotated = withVars({ ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_PREVIOUS: OLD });
/** The deployment once the previous key is removed. */
const after = withVars({ ENCRYPTION_KEY: NEW });

beforeAll(async () => {
  await seedDemo();
});

async function storedSecrets(): Promise<string[]> {
  const db = rawDb(env.DB);
  const out: string[] = [];
  for (const r of await db.select({ v: schema.workspaceDataKeys.wrapped }).from(schema.workspaceDataKeys).all())
    out.push(r.v);
  for (const r of await db.select({ v: schema.workspaces.identitySecretEnc }).from(schema.workspaces).all())
    if (r.v) out.push(r.v);
  for (const r of await db.select({ v: schema.inboxes.secretsEnc }).from(schema.inboxes).all()) if (r.v) out.push(r.v);
  for (const r of await db.select({ v: schema.operators.totpSecretEnc }).from(schema.operators).all())
    if (r.v) out.push(r.v);
  return out;
}

describe("master key rotation", () => {
  it("keeps everything open with the previous key, then re-seals it all under the new one", async () => {
    const ws = "ws_rewrap";
    await addDataKey(env, ws, null);
    const db = rawDb(env.DB);
    await db
      .update(schema.workspaces)
      .set({ identitySecretEnc: await encryptSecret("identity-secret", OLD) })
      .where(eq(schema.workspaces.id, DEMO_WORKSPACE_ID));
    const inbox = await db.select().from(schema.inboxes).where(eq(schema.inboxes.workspaceId, DEMO_WORKSPACE_ID)).get();
    if (!inbox) throw new Error("the demo has no inbox");
    await db
      .update(schema.inboxes)
      .set({ secretsEnc: await encryptJson({ botToken: "123:abc" }, OLD) })
      .where(eq(schema.inboxes.id, inbox.id));

    // Before the rewrap, the data key wrapped by the old key unwraps through the keyring.
    expect(await keyOf(rotated, ws, 1)).not.toBeNull();

    const before = await storedSecrets();
    expect(before.length).toBeGreaterThanOrEqual(3);
    for (const v of before) await expect(decryptSecret(v, NEW)).rejects.toThrow();

    // Bounded: one value per run, the rest reported as remaining.
    const first = await runRewrap(rotated, Date.now(), 1);
    expect(first).toMatchObject({ rewrapped: 1, unreadable: 0 });
    expect(first.remaining).toBe(before.length - 1);

    const rest = await runRewrap(rotated, Date.now());
    expect(rest).toMatchObject({ rewrapped: before.length - 1, remaining: 0, unreadable: 0 });
    expect(await runRewrap(rotated, Date.now())).toEqual({ rewrapped: 0, remaining: 0, unreadable: 0 });

    // Everything now opens with the new key alone, with the same plaintext.
    const now = await storedSecrets();
    for (const v of now) await expect(decryptSecret(v, NEW)).resolves.toBeTypeOf("string");
    for (const v of now) await expect(decryptSecret(v, OLD)).rejects.toThrow();
    const ident = await db.select().from(schema.workspaces).where(eq(schema.workspaces.id, DEMO_WORKSPACE_ID)).get();
    expect(await decryptSecret(ident?.identitySecretEnc ?? "", getConfig(after).decryptionKeys)).toBe(
      "identity-secret",
    );
    const row = await db.select().from(schema.inboxes).where(eq(schema.inboxes.id, inbox.id)).get();
    expect(JSON.parse(await decryptSecret(row?.secretsEnc ?? "", NEW))).toEqual({ botToken: "123:abc" });
  });

  it("does nothing without a previous key, and refuses a previous key equal to the current one", async () => {
    expect(await runRewrap(env, Date.now())).toEqual({ rewrapped: 0, remaining: 0, unreadable: 0 });
    expect(() => getConfig(withVars({ ENCRYPTION_KEY_PREVIOUS: OLD }))).toThrow(ConfigError);
    expect(() => getConfig(withVars({ ENCRYPTION_KEY_PREVIOUS: "short" }))).toThrow(ConfigError);
  });
});
