/**
 * The dashboard's API contract is the server's: the routes the dashboard calls answer
 * the shared response schemas of workers/protocol/api.ts (so a
 * renamed or missing field fails here rather than in the browser). The OpenAPI generator
 * does not check responses, so this is where a handler drifting from its schema shows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import * as P from "../../../workers/protocol/api.ts";
import { call, loginAdmin, seedDemo } from "../helpers.ts";
import { widgetSession } from "../ws.ts";

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});

async function getAs<T extends z.ZodType>(schema: T, path: string): Promise<z.infer<T>> {
  const res = await call(path, { token: admin });
  expect(res.status, path).toBe(200);
  const body: unknown = await res.json();
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues, path).toEqual([]);
  return schema.parse(body);
}

describe("routes answer the shared response schemas", () => {
  it("a widget conversation: the list, its detail, messages, actions and traces, its contact's detail", async () => {
    const session = await widgetSession();
    await getAs(P.ListOf(P.ConversationSchema), "/api/conversations");
    const conv = await getAs(P.ConversationSchema, `/api/conversations/${session.conversationId}`);
    await getAs(P.MessagePageSchema, `/api/conversations/${conv.id}/messages`);
    await getAs(P.ActionListSchema, `/api/conversations/${conv.id}/actions`);
    await getAs(P.TracesSchema, `/api/conversations/${conv.id}/traces`);
    await getAs(P.ListOf(P.ContactSchema), "/api/contacts?limit=5");
    await getAs(P.ContactDetailSchema, `/api/contacts/${conv.contactId}`);
  });

  it("admin lists: operators, teams, inboxes, categories and versions, canned responses, audit, settings", async () => {
    await getAs(P.ListOf(P.OperatorSchema).pick({ items: true }), "/api/operators");
    await getAs(P.ListOf(P.TeamSchema).pick({ items: true }), "/api/teams");
    await getAs(P.ListOf(P.InboxSchema).pick({ items: true }), "/api/inboxes");
    const categories = await getAs(P.ListOf(P.CategorySchema).pick({ items: true }), "/api/categories");
    const key = categories.items[0]?.key;
    expect(key).toBeDefined();
    if (key) await getAs(P.ListOf(P.CategoryVersionSchema).pick({ items: true }), `/api/categories/${key}/versions`);
    await getAs(P.ListOf(P.CannedSchema).pick({ items: true }), "/api/canned-responses");
    await getAs(P.ListOf(P.AuditEntrySchema).pick({ items: true }), "/api/audit?limit=5");
    await getAs(P.SettingsEnvelopeSchema, "/api/settings");
  });

  it("knowledge documents and search, dead letters and the report summary", async () => {
    await getAs(P.ListOf(P.DocumentSchema).pick({ items: true }), "/api/knowledge/documents");
    await getAs(P.KnowledgeSearchSchema, "/api/knowledge/search?q=refund");
    await getAs(P.DeadLetterPageSchema, "/api/dead-letters");
    await getAs(P.ReportSummarySchema, `/api/reports/summary?from=0&to=${Date.now()}`);
  });

  it("the router's answer", async () => {
    const res = await call("/api/ai/route", { method: "POST", token: admin, json: { text: "where is my box?" } });
    expect(res.status).toBe(200);
    expect(P.RouteResultSchema.strict().safeParse(await res.json()).success).toBe(true);
  });
});
