/**
 * Support for the data-rights tests: a WhatsApp customer with a conversation (room log,
 * intake journal, D1 rows), copies of them in the other stores, and a scanner that
 * searches every table of a SQLite database (D1 or a Durable Object's) for a string.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { postMeta } from "../channels/support.ts";

/** Real provider hosts are never reached: the bot's replies get a stand-in answer. */
const realFetch = globalThis.fetch;
export function installProviderStandIn(): () => void {
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new Request(input, init).url;
    if (url.startsWith("https://graph.facebook.com/") || url.startsWith("https://api.telegram.org/"))
      return Promise.resolve(
        Response.json({
          messaging_product: "whatsapp",
          contacts: [],
          messages: [{ id: `wamid.${crypto.randomUUID()}` }],
        }),
      );
    return realFetch(input, init);
  };
  return () => {
    globalThis.fetch = realFetch;
  };
}

export function waText(from: string, id: string, text: string, name = "Dana"): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "1", phone_number_id: "106540352242922" },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [
                { from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } },
              ],
            },
          },
        ],
      },
    ],
  });
}

/** A WhatsApp customer who wrote `text`: returns the contact and conversation ids. */
export async function whatsappCustomer(
  waId: string,
  messageId: string,
  text: string,
): Promise<{ contactId: string; conversationId: string }> {
  const res = await postMeta("whatsapp", waText(waId, messageId, text));
  if (res.status !== 200) throw new Error(`webhook refused: ${res.status}`);
  const db = rawDb(env.DB);
  const m = await db.select().from(schema.messages).where(eq(schema.messages.channelMessageId, messageId)).get();
  if (!m) throw new Error("message not stored");
  const conv = await db
    .select()
    .from(schema.conversations)
    .where(and(eq(schema.conversations.id, m.conversationId), eq(schema.conversations.workspaceId, DEMO_WORKSPACE_ID)))
    .get();
  if (!conv) throw new Error("conversation not stored");
  return { contactId: conv.contactId, conversationId: conv.id };
}

interface SqlLike {
  tables(): Promise<string[]>;
  columns(table: string): Promise<string[]>;
  count(query: string, args: string[]): Promise<number>;
}

export function d1Scanner(db: D1Database): SqlLike {
  return {
    async tables() {
      const r = await db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all<{ name: string }>();
      return r.results.map((x) => x.name);
    },
    async columns(table) {
      const r = await db.prepare(`SELECT name FROM pragma_table_info(?)`).bind(table).all<{ name: string }>();
      return r.results.map((x) => x.name);
    },
    async count(query, args) {
      const r = await db
        .prepare(query)
        .bind(...args)
        .first<{ n: number }>();
      return r?.n ?? 0;
    },
  };
}

export function doScanner(sql: SqlStorage): SqlLike {
  return {
    tables: async () =>
      sql
        .exec(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .toArray()
        .map((r) => String(r.name)),
    columns: async (table) =>
      sql
        .exec(`SELECT name FROM pragma_table_info(?)`, table)
        .toArray()
        .map((r) => String(r.name)),
    count: async (query, args) => Number(sql.exec(query, ...args).toArray()[0]?.n ?? 0),
  };
}

/**
 * Every (table, column) of the database whose text contains one of the needles.
 * Skips SQLite's and Cloudflare's internal tables and the ones `skip` names.
 */
export async function findEverywhere(
  db: SqlLike,
  needles: string[],
  skip: (table: string) => boolean = () => false,
): Promise<string[]> {
  const hits: string[] = [];
  for (const table of await db.tables()) {
    if (table.startsWith("sqlite_") || table.startsWith("_cf_") || table === "d1_migrations" || skip(table)) continue;
    for (const col of await db.columns(table)) {
      for (const n of needles) {
        const c = await db.count(`SELECT COUNT(*) AS n FROM "${table}" WHERE instr(CAST("${col}" AS TEXT), ?) > 0`, [
          n,
        ]);
        if (c > 0) hits.push(`${table}.${col} ∋ ${n}`);
      }
    }
  }
  return hits;
}
