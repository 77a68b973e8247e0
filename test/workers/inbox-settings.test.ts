/**
 * Issue 19, editable inboxes: PATCH /api/inboxes/{id} changes the inbox's name and what it
 * changes of the workspace settings, and each change takes effect: the widget's greeting,
 * the team new conversations go to, whether a resolved customer is asked for a rating.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { roomStub } from "../../durable-objects/stubs.ts";
import { RoomSnapshot } from "../../workers/protocol/frames.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "./helpers.ts";
import { widgetSession } from "./ws.ts";

interface InboxOut {
  id: string;
  name: string;
  channel: string;
  settings: Record<string, unknown>;
}

let admin = "";
let operator = "";
let widgetInbox: InboxOut;

beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
  operator = await loginOperator();
  const list: { items: InboxOut[] } = await (await call("/api/inboxes", { token: admin })).json();
  const found = list.items.find((i) => i.channel === "widget");
  if (!found) throw new Error("no widget inbox in the demo");
  widgetInbox = found;
});

const patch = (json: unknown, token = admin, id = widgetInbox.id) =>
  call(`/api/inboxes/${id}`, { method: "PATCH", token, json });

async function csatAskedAfterResolve(): Promise<boolean> {
  const s = await widgetSession();
  for (const command of [{ command: "assign", operatorId: "op_operator" }, { command: "resolve" }]) {
    const res = await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: operator,
      json: command,
    });
    expect(res.status).toBe(200);
  }
  const snap = RoomSnapshot.parse(JSON.parse(await roomStub(env, s.conversationId).snapshot()));
  expect(snap.state?.status).toBe("resolved");
  return snap.state?.csatRequested ?? false;
}

describe("PATCH /api/inboxes/{id}", () => {
  it("refuses bad input with 400/403/404 and changes nothing", async () => {
    const before = await env.DB.prepare("SELECT name, settings FROM inboxes WHERE id = ?").bind(widgetInbox.id).first();
    expect((await patch({ teamId: "team_nope" })).status).toBe(400);
    expect((await patch({ hours: "sometimes" })).status).toBe(400);
    expect((await patch({ name: "" })).status).toBe(400);
    expect((await patch({ color: "red" })).status).toBe(400);
    expect((await patch({ greeting: "x".repeat(281) })).status).toBe(400);
    expect((await patch({ name: "Mine now" }, operator)).status).toBe(403);
    expect((await patch({ name: "x" }, admin, "inbox_of_someone_else")).status).toBe(404);
    const after = await env.DB.prepare("SELECT name, settings FROM inboxes WHERE id = ?").bind(widgetInbox.id).first();
    expect(after).toEqual(before);
  });

  it("greeting, team and CSAT take effect; null restores the workspace's", async () => {
    expect(await csatAskedAfterResolve()).toBe(true);

    const res = await patch({
      name: "Website chat",
      greeting: "Shalom! Ask us anything.",
      teamId: "team_billing",
      csatEnabled: false,
    });
    expect(res.status).toBe(200);
    const body: InboxOut = await res.json();
    expect(body).toMatchObject({
      name: "Website chat",
      settings: { greeting: "Shalom! Ask us anything.", teamId: "team_billing", csatEnabled: false },
    });

    const s = await widgetSession();
    const session = await (
      await call("/api/widget/session", {
        method: "POST",
        json: { widgetKey: "demo-widget-key", visitorToken: s.visitorToken },
      })
    ).json<{ appearance: { greeting: string } }>();
    expect(session.appearance.greeting).toBe("Shalom! Ask us anything.");
    const row = await env.DB.prepare("SELECT team_id FROM conversations WHERE id = ?").bind(s.conversationId).first();
    expect(row).toEqual({ team_id: "team_billing" });
    expect(await csatAskedAfterResolve()).toBe(false);

    expect((await patch({ greeting: null, teamId: null, csatEnabled: null })).status).toBe(200);
    expect(await csatAskedAfterResolve()).toBe(true);
    const fresh = await widgetSession();
    const freshRow = await env.DB.prepare("SELECT team_id FROM conversations WHERE id = ?")
      .bind(fresh.conversationId)
      .first();
    expect(freshRow).toEqual({ team_id: null });
  });
});
