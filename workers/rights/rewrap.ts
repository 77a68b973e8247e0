/**
 * Rotating the deployment master key (ENCRYPTION_KEY), issue 20 item 6. Deploy the new key
 * as ENCRYPTION_KEY and the replaced one as ENCRYPTION_KEY_PREVIOUS: everything keeps
 * opening (the config's keyring tries both), and this scheduled job re-seals every value
 * sealed with the master key under the current one — workspace data keys (the wrapped
 * form only: the data key itself, and so every R2 object, is unchanged), channel secrets,
 * TOTP seeds, widget identity secrets, outgoing webhook secrets. Each update is
 * conditional on the value read, so a secret changed meanwhile is left alone (it was
 * written with the current key). Once a run reports `remaining: 0` the previous key can
 * be removed from the deployment.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { rawDb, schema } from "../db/client.ts";
import { getConfig } from "../lib/config.ts";
import { rewrapSecret } from "../lib/secrets.ts";

/** Values re-sealed per scheduled tick (bounded work per invocation). */
const REWRAP_PER_TICK = 500;

export interface RewrapResult {
  rewrapped: number;
  /** Values still under the previous key after this run (0: the previous key may go). */
  remaining: number;
  /** Values that open with neither key (left as they are, reported). */
  unreadable: number;
}

interface Target {
  name: string;
  rows: () => Promise<Array<{ id: string; version?: number; value: string | null }>>;
  /** Replaces `old` with `fresh`; false when the row changed meanwhile. */
  write: (row: { id: string; version?: number }, old: string, fresh: string) => Promise<boolean>;
}

function targets(db: ReturnType<typeof rawDb>): Target[] {
  const k = schema.workspaceDataKeys;
  const w = schema.workspaces;
  const o = schema.operators;
  const i = schema.inboxes;
  const h = schema.outgoingWebhooks;
  const changed = (r: { meta: { changes?: number } }) => (r.meta.changes ?? 0) > 0;
  return [
    {
      name: "data keys",
      rows: () => db.select({ id: k.workspaceId, version: k.version, value: k.wrapped }).from(k).all(),
      write: async (r, old, fresh) =>
        changed(
          await db
            .update(k)
            .set({ wrapped: fresh })
            .where(and(eq(k.workspaceId, r.id), eq(k.version, r.version ?? 0), eq(k.wrapped, old)))
            .run(),
        ),
    },
    {
      name: "widget identity secrets",
      rows: () =>
        db.select({ id: w.id, value: w.identitySecretEnc }).from(w).where(isNotNull(w.identitySecretEnc)).all(),
      write: async (r, old, fresh) =>
        changed(
          await db
            .update(w)
            .set({ identitySecretEnc: fresh })
            .where(and(eq(w.id, r.id), eq(w.identitySecretEnc, old)))
            .run(),
        ),
    },
    {
      name: "TOTP seeds",
      rows: () => db.select({ id: o.id, value: o.totpSecretEnc }).from(o).where(isNotNull(o.totpSecretEnc)).all(),
      write: async (r, old, fresh) =>
        changed(
          await db
            .update(o)
            .set({ totpSecretEnc: fresh })
            .where(and(eq(o.id, r.id), eq(o.totpSecretEnc, old)))
            .run(),
        ),
    },
    {
      name: "channel secrets",
      rows: () => db.select({ id: i.id, value: i.secretsEnc }).from(i).where(isNotNull(i.secretsEnc)).all(),
      write: async (r, old, fresh) =>
        changed(
          await db
            .update(i)
            .set({ secretsEnc: fresh })
            .where(and(eq(i.id, r.id), eq(i.secretsEnc, old)))
            .run(),
        ),
    },
    {
      name: "outgoing webhook secrets",
      rows: () => db.select({ id: h.id, value: h.secretEnc }).from(h).all(),
      write: async (r, old, fresh) =>
        changed(
          await db
            .update(h)
            .set({ secretEnc: fresh })
            .where(and(eq(h.id, r.id), eq(h.secretEnc, old)))
            .run(),
        ),
    },
  ];
}

/** Scheduled job: nothing to do unless ENCRYPTION_KEY_PREVIOUS is set. */
export async function runRewrap(env: Env, _now: number, budget = REWRAP_PER_TICK): Promise<RewrapResult> {
  const result: RewrapResult = { rewrapped: 0, remaining: 0, unreadable: 0 };
  const config = getConfig(env);
  const previous = config.encryptionKeyPrevious;
  if (!previous) return result;
  for (const t of targets(rawDb(env.DB))) {
    for (const row of await t.rows()) {
      if (row.value === null) continue;
      let fresh: string | null;
      try {
        fresh = await rewrapSecret(row.value, config.encryptionKey, previous);
      } catch {
        result.unreadable++;
        continue;
      }
      if (fresh === null) continue;
      if (result.rewrapped >= budget) {
        result.remaining++;
        continue;
      }
      // Changed meanwhile: whoever wrote it used the current key.
      if (await t.write(row, row.value, fresh)) result.rewrapped++;
    }
  }
  // Counts only: never a value.
  console.log("master key rewrap", JSON.stringify(result));
  return result;
}
