import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { createWorkspace } from "../../workers/db/seed/demo.ts";
import { getConfig } from "../../workers/lib/config.ts";
import { call, login, loginAnalyst, loginOperator, seedDemo } from "./helpers.ts";

type Page = { items: Array<{ id: string }> };

async function conv(
  tdb: TenantDb,
  id: string,
  contactId: string,
  texts: string[],
  status: "open" | "resolved" = "open",
) {
  await tdb.insert(schema.conversations, {
    id,
    inboxId: "demo-telegram",
    contactId,
    identityId: `cid_${id}`,
    channel: "telegram",
    threadKey: id,
    status,
    lastSeq: texts.length,
  });
  await tdb.insert(
    schema.messages,
    texts.map((content, i) => ({
      id: `msg_${id}_${i}`,
      conversationId: id,
      seq: i + 1,
      type: "incoming" as const,
      senderType: "contact" as const,
      content,
    })),
  );
}

async function ids(path: string, token: string): Promise<string[]> {
  const res = await call(path, { token });
  expect(res.status, path).toBe(200);
  const body: Page = await res.json();
  return body.items.map((i) => i.id).sort();
}

let tdb: TenantDb;

beforeAll(async () => {
  await seedDemo();
  tdb = new TenantDb(rawDb(env.DB), "ws_demo");
  await tdb.insert(schema.contacts, [
    { id: "ct_s_ru", name: "Ольга Петрова", email: "olga.petrova@example.ru", phone: "+79161234567" },
    { id: "ct_s_he", name: "נועה כהן", email: "noa@example.co.il", phone: "+972541112233" },
    { id: "ct_s_es", name: "José Martínez", email: "jose@example.es" },
  ]);
  // Written before the index exists: found through the first search's backfill.
  await conv(tdb, "conv_s_ru", "ct_s_ru", ["Здравствуйте, коробка пришла повреждённой"]);
  await conv(tdb, "conv_s_he", "ct_s_he", ["שלום, החבילה לא הגיעה עדיין"]);
  const other = await createWorkspace(
    env,
    {
      id: "ws_s",
      name: "Search Other",
      slug: "search-other",
      widgetKey: "search-other",
      operators: [
        {
          id: "op_s_admin",
          email: "admin@search-other.test",
          password: "search-other-password",
          name: "S Admin",
          handle: "sadmin",
          role: "admin",
        },
      ],
    },
    getConfig(env).encryptionKey,
  );
  await other.insert(schema.contacts, { id: "ct_s_other", name: "Ольга Другая", email: "olga@other.test" });
  await other.insert(schema.conversations, {
    id: "conv_s_other",
    inboxId: "ws_s_widget",
    contactId: "ct_s_other",
    identityId: "cid_s_other",
    channel: "widget",
    threadKey: "x",
    lastSeq: 1,
  });
  await other.insert(schema.messages, {
    id: "msg_s_other",
    conversationId: "conv_s_other",
    seq: 1,
    type: "incoming",
    senderType: "contact",
    content: "коробка повреждённой тоже",
  });
});

describe("GET /api/conversations?q= (FTS5)", () => {
  it("finds conversations by a word of a message in Russian and Hebrew, case-insensitively", async () => {
    const op = await loginOperator();
    expect(await ids(`/api/conversations?q=${encodeURIComponent("КОРОБКА")}`, op)).toEqual(["conv_s_ru"]);
    expect(await ids(`/api/conversations?q=${encodeURIComponent("החבילה")}`, op)).toEqual(["conv_s_he"]);
  });

  it("indexes messages written after the index exists (triggers), in Spanish and French", async () => {
    const op = await loginOperator();
    await ids(`/api/conversations?q=${encodeURIComponent("коробка")}`, op);
    await conv(tdb, "conv_s_es", "ct_s_es", ["¿Dónde está mi caja? Quiero cancelar", "Merci, très bien reçu"]);
    expect(await ids(`/api/conversations?q=${encodeURIComponent("dónde")}`, op)).toEqual(["conv_s_es"]);
    expect(await ids(`/api/conversations?q=${encodeURIComponent("reçu")}`, op)).toEqual(["conv_s_es"]);
  });

  it("finds conversations by the contact's name, email or phone digits", async () => {
    const op = await loginOperator();
    expect(await ids(`/api/conversations?q=${encodeURIComponent("петрова")}`, op)).toEqual(["conv_s_ru"]);
    expect(await ids(`/api/conversations?q=${encodeURIComponent("noa@example")}`, op)).toEqual(["conv_s_he"]);
    expect(await ids(`/api/conversations?q=541112233`, op)).toEqual(["conv_s_he"]);
  });

  it("combines with the existing filters", async () => {
    const op = await loginOperator();
    await conv(tdb, "conv_s_ru2", "ct_s_ru", ["коробка снова"], "resolved");
    expect(await ids(`/api/conversations?q=${encodeURIComponent("коробка")}&status=resolved`, op)).toEqual([
      "conv_s_ru2",
    ]);
    expect(await ids(`/api/conversations?q=${encodeURIComponent("коробка")}&status=open`, op)).toEqual(["conv_s_ru"]);
  });

  it("never returns another workspace's rows", async () => {
    const op = await loginOperator();
    const found = await ids(`/api/conversations?q=${encodeURIComponent("повреждённой")}`, op);
    expect(found).not.toContain("conv_s_other");
    const other = await login("admin@search-other.test", "search-other-password", "10.0.0.9");
    expect(await ids(`/api/conversations?q=${encodeURIComponent("повреждённой")}`, other)).toEqual(["conv_s_other"]);
  });

  it("treats FTS syntax as text and refuses queries too short to match with a 400", async () => {
    const op = await loginOperator();
    expect(await ids(`/api/conversations?q=${encodeURIComponent('"NEAR(* OR')}`, op)).toEqual([]);
    const short = await call(`/api/conversations?q=ab`, { token: op });
    expect(short.status).toBe(400);
    const body: { error: { code: string; message: string } } = await short.json();
    expect(body.error.message).toMatch(/at least 3 characters/);
  });
});

describe("GET /api/contacts?q= (FTS5)", () => {
  it("finds contacts by name, email, phone and their messages; analysts may search", async () => {
    const analyst = await loginAnalyst();
    expect(await ids(`/api/contacts?q=${encodeURIComponent("ольга")}`, analyst)).toEqual(["ct_s_ru"]);
    expect(await ids(`/api/contacts?q=${encodeURIComponent("כהן")}`, analyst)).toEqual(["ct_s_he"]);
    expect(await ids(`/api/contacts?q=${encodeURIComponent("jose@")}`, analyst)).toEqual(["ct_s_es"]);
    expect(await ids(`/api/contacts?q=9161234567`, analyst)).toEqual(["ct_s_ru"]);
    expect(await ids(`/api/contacts?q=${encodeURIComponent("החבילה")}`, analyst)).toEqual(["ct_s_he"]);
  });

  it("follows edits of a contact (update trigger)", async () => {
    const op = await loginOperator();
    const res = await call("/api/contacts/ct_s_es", { method: "PATCH", token: op, json: { name: "Josefina Ortega" } });
    expect(res.status).toBe(200);
    expect(await ids(`/api/contacts?q=${encodeURIComponent("ortega")}`, op)).toEqual(["ct_s_es"]);
    expect(await ids(`/api/contacts?q=${encodeURIComponent("martínez")}`, op)).toEqual([]);
  });
});
