/**
 * Issue 20, item 6: after a rotation the background job re-seals every object of the
 * workspace with the newest key, then retires the old versions (wrapped key deleted,
 * audited). Every object still opens; another workspace's objects are untouched; a job
 * interrupted mid-way resumes and finishes; reads during re-encryption succeed; a
 * concurrent write is never clobbered; the settings view shows versions, never keys.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { ENVELOPE_V1, seal, sealChunked } from "../../../workers/lib/envelope.ts";
import { REKEY_GRACE_MS, runRekeyStep, startRekey } from "../../../workers/rights/rekey.ts";
import { getAttachment, putAttachment } from "../../../workers/services/attachment-store.ts";
import { addDataKey, keyOf } from "../../../workers/services/data-keys.ts";
import { putSealed, readSealed } from "../../../workers/services/sealed-bucket.ts";
import { call, loginAdmin, seedDemo } from "../helpers.ts";

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const LATER = () => Date.now() + REKEY_GRACE_MS + 60_000;

/** An object sealed with a given (old) version, as an isolate with a stale cache or an older release wrote it. */
async function putWithVersion(ws: string, key: string, body: string, version: number, format = "chunked") {
  const k = await keyOf(env, ws, version);
  if (!k) throw new Error("no key");
  const plain = utf8(body);
  const sealed = format === ENVELOPE_V1 ? await seal(k, plain, key) : await sealChunked(k, plain, key);
  await env.ATTACHMENTS.put(key, sealed, {
    httpMetadata: { contentType: "text/plain" },
    customMetadata: {
      enc: format === ENVELOPE_V1 ? ENVELOPE_V1 : "aes256gcm.chunked.v1",
      kv: String(version),
      size: String(plain.length),
    },
  });
}

async function kvOf(bucket: "ATTACHMENTS" | "DOCUMENTS", key: string) {
  const head = await env[bucket].head(key);
  return { kv: head?.customMetadata?.kv, enc: head?.customMetadata?.enc, etag: head?.etag };
}

/** Objects under a workspace's prefix in both buckets. */
async function objectCount(ws: string): Promise<number> {
  let n = 0;
  for (const b of ["ATTACHMENTS", "DOCUMENTS"] as const) {
    let cursor: string | undefined;
    do {
      const page = await env[b].list({ prefix: `${ws}/`, ...(cursor ? { cursor } : {}) });
      n += page.objects.length;
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
  return n;
}

/** Runs steps until the current pass ends (retiring or not). */
async function runOnePass(ws: string, now: number, perStep: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const step = await runRekeyStep(env, ws, now, perStep);
    const job = await rawDb(env.DB).select().from(schema.rekeyJobs).where(eq(schema.rekeyJobs.workspaceId, ws)).get();
    if (step.finished || job?.passStartedAt === null) return;
  }
  throw new Error("the pass does not end");
}

async function liveVersions(ws: string): Promise<number[]> {
  const t = schema.workspaceDataKeys;
  const rows = await rawDb(env.DB).select({ v: t.version }).from(t).where(eq(t.workspaceId, ws)).all();
  return rows.map((r) => r.v).sort((a, b) => a - b);
}

/** Runs steps until the job says it is finished; returns how many it took. */
async function runToEnd(ws: string, now: number, perStep: number, maxSteps = 200): Promise<number> {
  for (let i = 1; i <= maxSteps; i++) if ((await runRekeyStep(env, ws, now, perStep)).finished) return i;
  throw new Error("rekey job does not finish");
}

interface EncryptionView {
  activeVersion: number | null;
  versions: Array<{ version: number; state: string; objects: number; retiredAt: number | null; createdAt: number }>;
  unsealedObjects: number;
  countComplete: boolean;
  reencryption: { state: string; targetVersion: number; resealed: number } | null;
}

async function view(): Promise<EncryptionView> {
  const res = await call("/api/settings/encryption", { token: admin });
  expect(res.status).toBe(200);
  const raw = await res.text();
  expect(raw).not.toMatch(/v1:|wrapped|"key"/);
  return JSON.parse(raw);
}

describe("rotation re-encrypts, then retires", () => {
  it("moves every object to the new version, retires the old one, and leaves other workspaces alone", async () => {
    const ws = DEMO_WORKSPACE_ID;
    const other = "ws_rekey_other";
    const conv = "conv_rekey";
    // Current-format objects on the workspace's current version, in both buckets, over two list pages.
    const keys: string[] = [];
    for (let i = 0; i < 120; i++) {
      const key = `${ws}/${conv}/att_${i}-note.txt`;
      await putAttachment(env, ws, key, utf8(`note ${i} about PARROT-${i}`), { contentType: "text/plain" });
      keys.push(key);
    }
    const docKey = `${ws}/documents/kdoc_rekey/faq.md`;
    await putSealed(env, "DOCUMENTS", ws, docKey, utf8("# FAQ\n\nThe LORIKEET code."), {
      contentType: "text/markdown",
    });
    const oldVersion = Number((await kvOf("ATTACHMENTS", keys[0] ?? "")).kv);
    // The single-call format of the first release, and a file stored before sealing.
    const v1Key = `${ws}/${conv}/att_v1-old.txt`;
    await putWithVersion(ws, v1Key, "first release bytes", oldVersion, ENVELOPE_V1);
    const plainKey = `${ws}/${conv}/att_plain-legacy.txt`;
    await env.ATTACHMENTS.put(plainKey, "stored before sealing");
    // Another workspace, with its own keys and objects.
    const otherKey = `${other}/conv_o/att_1-x.txt`;
    await putAttachment(env, other, otherKey, utf8("other workspace text"), { contentType: "text/plain" });
    const otherBefore = await kvOf("ATTACHMENTS", otherKey);

    const total = await objectCount(ws);
    const rotated = await call("/api/settings/encryption/rotate", { method: "POST", token: admin });
    expect(rotated.status).toBe(200);
    const { version } = await rotated.json<{ version: number }>();
    expect(version).toBe(oldVersion + 1);

    let v = await view();
    expect(v.activeVersion).toBe(version);
    expect(v.versions.find((x) => x.version === oldVersion)).toMatchObject({ state: "draining", objects: total - 1 });
    expect(v.versions.find((x) => x.version === version)).toMatchObject({ state: "active", objects: 0 });
    expect(v.unsealedObjects).toBe(1);
    expect(v.reencryption).toMatchObject({ state: "running", targetVersion: version });

    // A pass that starts within the grace moves everything but may not retire (an isolate could still write v_old).
    await runOnePass(ws, Date.now(), 50);
    expect(
      (await rawDb(env.DB).select().from(schema.rekeyJobs).where(eq(schema.rekeyJobs.workspaceId, ws)).get())
        ?.finishedAt,
    ).toBeNull();
    for (const key of [...keys, v1Key, plainKey]) expect((await kvOf("ATTACHMENTS", key)).kv).toBe(String(version));
    expect((await kvOf("DOCUMENTS", docKey)).kv).toBe(String(version));
    expect(await liveVersions(ws)).toContain(oldVersion);
    v = await view();
    expect(v.versions.find((x) => x.version === oldVersion)).toMatchObject({ state: "draining", objects: 0 });
    expect(v.unsealedObjects).toBe(0);

    // The next pass, after the grace, finds nothing left and retires.
    await runToEnd(ws, LATER(), 500);
    expect(await liveVersions(ws)).not.toContain(oldVersion);
    const retiredRow = await rawDb(env.DB)
      .select()
      .from(schema.dataKeyRetirements)
      .where(and(eq(schema.dataKeyRetirements.workspaceId, ws), eq(schema.dataKeyRetirements.version, oldVersion)))
      .get();
    expect(retiredRow?.retiredAt).toBeGreaterThan(0);
    const auditRow = await rawDb(env.DB)
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.workspaceId, ws), eq(schema.auditLog.action, "encryption.retire")))
      .get();
    expect(auditRow?.detail).toMatchObject({ activeVersion: version, versions: expect.arrayContaining([oldVersion]) });

    v = await view();
    expect(v.versions.find((x) => x.version === oldVersion)).toMatchObject({ state: "retired", objects: 0 });
    expect(v.versions.find((x) => x.version === version)).toMatchObject({ state: "active", objects: total });
    expect(v.reencryption?.state).toBe("done");

    // Everything still opens, with the right plaintext.
    for (const [i, key] of keys.entries())
      expect(text((await getAttachment(env, ws, key))?.bytes)).toBe(`note ${i} about PARROT-${i}`);
    expect(text((await getAttachment(env, ws, v1Key))?.bytes)).toBe("first release bytes");
    expect(text((await getAttachment(env, ws, plainKey))?.bytes)).toBe("stored before sealing");
    expect(text((await readSealed(env, "DOCUMENTS", ws, docKey))?.bytes)).toBe("# FAQ\n\nThe LORIKEET code.");
    // The other workspace: same bytes, same version.
    expect(await kvOf("ATTACHMENTS", otherKey)).toEqual(otherBefore);
    expect(text((await getAttachment(env, other, otherKey))?.bytes)).toBe("other workspace text");

    // Version numbers are never reused after a retirement.
    const again = await call("/api/settings/encryption/rotate", { method: "POST", token: admin });
    expect((await again.json<{ version: number }>()).version).toBe(version + 1);
  });

  it("an interrupted job resumes and finishes; reads during re-encryption succeed", async () => {
    const ws = "ws_rekey_resume";
    const v1 = await addDataKey(env, ws, null);
    const keys: string[] = [];
    for (let i = 0; i < 30; i++) {
      const key = `${ws}/c/att_${i}-f.txt`;
      await putAttachment(env, ws, key, utf8(`file ${i}`), { contentType: "text/plain" });
      keys.push(key);
    }
    // An object another workspace's key sealed, copied under this prefix: opens with nothing, blocks nothing.
    const foreign = `${ws}/c/att_foreign-f.txt`;
    await putAttachment(env, "ws_rekey_foreign", `ws_rekey_foreign/c/x.txt`, utf8("foreign"), {
      contentType: "text/plain",
    });
    const copied = await env.ATTACHMENTS.get("ws_rekey_foreign/c/x.txt");
    await env.ATTACHMENTS.put(foreign, (await copied?.arrayBuffer()) ?? new ArrayBuffer(0), {
      customMetadata: { ...copied?.customMetadata, kv: String(v1) },
    });
    const v2 = await addDataKey(env, ws, null);
    await startRekey(env, ws, v2, Date.now() - REKEY_GRACE_MS - 60_000);
    const readAll = async () => {
      for (const [i, key] of keys.entries()) expect(text((await getAttachment(env, ws, key))?.bytes)).toBe(`file ${i}`);
    };

    const first = await runRekeyStep(env, ws, Date.now(), 7);
    expect(first).toMatchObject({ visited: 7, finished: false });
    const saved = await rawDb(env.DB).select().from(schema.rekeyJobs).where(eq(schema.rekeyJobs.workspaceId, ws)).get();
    expect(saved?.cursor).toBeTruthy();
    await readAll();

    // The worker dies mid-page (R2 refuses a write): the step fails, nothing is lost.
    let puts = 0;
    const realPut = env.ATTACHMENTS.put.bind(env.ATTACHMENTS);
    vi.spyOn(env.ATTACHMENTS, "put").mockImplementation(async (...args) => {
      if (++puts === 3) throw new Error("R2 unavailable");
      return realPut(...args);
    });
    await expect(runRekeyStep(env, ws, Date.now(), 7)).rejects.toThrow("R2 unavailable");
    vi.restoreAllMocks();
    await readAll();

    // Resumes from the saved cursor; reads running alongside each step all succeed.
    let steps = 0;
    for (;;) {
      steps++;
      const [step] = await Promise.all([runRekeyStep(env, ws, Date.now(), 7), readAll()]);
      if (step.finished) break;
      expect(steps).toBeLessThan(20);
    }
    for (const key of keys) expect((await kvOf("ATTACHMENTS", key)).kv).toBe(String(v2));
    expect(await liveVersions(ws)).toEqual([v2]);
    await readAll();
    const job = await rawDb(env.DB).select().from(schema.rekeyJobs).where(eq(schema.rekeyJobs.workspaceId, ws)).get();
    expect(job?.unreadable).toBe(1);
    expect(job?.finishedAt).not.toBeNull();
    // Finished jobs do nothing more.
    expect(await runRekeyStep(env, ws, Date.now(), 7)).toMatchObject({ visited: 0, finished: true });
  });

  it("never clobbers a concurrent write, and does not retire while an old-version write lands mid-pass", async () => {
    const ws = "ws_rekey_race";
    const v1 = await addDataKey(env, ws, null);
    const fresh = `${ws}/c/att_1-fresh.txt`;
    const stale = `${ws}/c/att_2-stale.txt`;
    await putAttachment(env, ws, fresh, utf8("before"), { contentType: "text/plain" });
    await putAttachment(env, ws, stale, utf8("before"), { contentType: "text/plain" });
    const v2 = await addDataKey(env, ws, null);
    await startRekey(env, ws, v2, Date.now() - REKEY_GRACE_MS - 60_000);

    // Between the job's read and its write, someone writes each object again: `fresh` with
    // the newest key, `stale` with the old one (an isolate that had not seen the rotation).
    const realGet = env.ATTACHMENTS.get.bind(env.ATTACHMENTS);
    const raced = new Set<string>();
    vi.spyOn(env.ATTACHMENTS, "get").mockImplementation((async (key: string) => {
      const obj = await realGet(key);
      if (!raced.has(key)) {
        raced.add(key);
        if (key === fresh)
          await putAttachment(env, ws, fresh, utf8("written during the pass"), { contentType: "text/plain" });
        if (key === stale) await putWithVersion(ws, stale, "stale isolate wrote this", v1);
      }
      return obj;
    }) as typeof env.ATTACHMENTS.get);

    const first = await runRekeyStep(env, ws, Date.now(), 100);
    expect(first.finished).toBe(false);
    expect(await liveVersions(ws)).toEqual([v1, v2]);
    vi.restoreAllMocks();
    expect(text((await getAttachment(env, ws, fresh))?.bytes)).toBe("written during the pass");
    expect(text((await getAttachment(env, ws, stale))?.bytes)).toBe("stale isolate wrote this");

    await runToEnd(ws, Date.now(), 100);
    expect((await kvOf("ATTACHMENTS", stale)).kv).toBe(String(v2));
    expect(text((await getAttachment(env, ws, stale))?.bytes)).toBe("stale isolate wrote this");
    expect(await liveVersions(ws)).toEqual([v2]);
  });

  it("only admins see the key versions", async () => {
    const { loginOperator } = await import("../helpers.ts");
    expect((await call("/api/settings/encryption", { token: await loginOperator() })).status).toBe(403);
    expect((await call("/api/settings/encryption")).status).toBe(401);
  });
});
