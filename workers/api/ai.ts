/**
 * /api AI routes (mounted at "/" of the /api app): the router on its own, the admin
 * playground that runs the whole engine on demo data without touching real customers
 * (no conversation or message rows, no codes sent, account writes simulated), and
 * copilot suggestions computed from a conversation's stored messages.
 */
import { roomOf } from "../services/data-location.ts";
import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { routeMessage } from "../ai/router/index.ts";
import { runTurnWith } from "../ai/engine.ts";
import type { TurnHistoryItem, TurnResult } from "../ai/turn-types.ts";
import type { EngineState } from "../ai/state.ts";
import { commerceFor } from "../commerce/connector.ts";
import { executeWith } from "../commerce/execute.ts";
import { SimulatedConnector } from "../commerce/simulated.ts";
import { notFound } from "../lib/errors.ts";
import { ADMIN, requireRole, STAFF } from "./middleware.ts";
import { bearer, jsonBody, newApp, ok, z } from "./openapi.ts";
import { PlaygroundResponseSchema, RouteResultSchema, SuggestResponseSchema } from "./schemas.ts";

const RoomLog = z.object({
  items: z.array(z.object({ type: z.string(), senderType: z.string(), content: z.string(), seq: z.number() })),
});

const PlaygroundIn = z.object({
  messages: z
    .array(z.object({ role: z.literal("customer"), text: z.string().min(1).max(4000) }))
    .min(1)
    .max(20),
  customerEmail: z.email().max(254).optional(),
});
const routeRoute = createRoute({
  method: "post",
  path: "/ai/route",
  tags: ["ai"],
  summary: "Route one message with the local router",
  security: bearer,
  middleware: [requireRole("admin", "analyst")] as const,
  request: jsonBody(z.object({ text: z.string().min(1).max(4000) })),
  responses: ok(RouteResultSchema),
});
const playgroundRoute = createRoute({
  method: "post",
  path: "/playground/chat",
  tags: ["ai"],
  summary: "Run the AI engine on a scripted conversation (demo data; actions simulated)",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: jsonBody(PlaygroundIn),
  responses: ok(PlaygroundResponseSchema),
});
const suggestRoute = createRoute({
  method: "post",
  path: "/ai/suggest",
  tags: ["ai"],
  summary: "Copilot: suggested reply, summary, sentiment and category for a conversation",
  security: bearer,
  middleware: [requireRole(...STAFF)] as const,
  request: jsonBody(z.object({ conversationId: z.string().min(1).max(100) })),
  responses: ok(SuggestResponseSchema),
});

const ignoreStream = (): void => undefined;

export const aiApp = newApp()
  .openapi(routeRoute, async (c) => c.json(routeMessage(c.req.valid("json").text), 200))
  .openapi(playgroundRoute, async (c) => {
    const body = c.req.valid("json");
    const wsId = c.var.auth.workspaceId;
    const sim = new SimulatedConnector(commerceFor(c.env, wsId));
    let memory: EngineState = {};
    if (body.customerEmail) {
      const customer = await sim.findCustomerByEmail(body.customerEmail);
      if (customer)
        memory = { verified: true, email: customer.email, customerRef: customer.customerRef, vouchChecked: true };
    }
    const history: TurnHistoryItem[] = [];
    const turns: Array<{ customer: string; replies: TurnResult["replies"]; gate: TurnResult["gate"] }> = [];
    const trace: TurnResult["traces"] = [];
    let last: TurnResult | null = null;
    for (const m of body.messages) {
      const res = await runTurnWith(
        c.env,
        {
          workspaceId: wsId,
          conversationId: `playground_${c.var.auth.operatorId}`,
          channel: "playground",
          text: m.text,
          language: null,
          history: [...history],
          memory,
          attachmentKeys: [],
          contactName: null,
        },
        ignoreStream,
        { connector: sim, trustEmail: true, issueCode: async () => undefined },
      );
      history.push(
        { role: "customer", text: m.text },
        ...res.replies.map((r) => ({ role: "bot" as const, text: r.text })),
      );
      memory = res.memory;
      trace.push(...res.traces);
      turns.push({ customer: m.text, replies: res.replies, gate: res.gate });
      last = res;
    }
    if (!last) throw notFound("Turn");
    const actions = [];
    for (const a of last.actions) {
      let simulatedResult: string | null;
      try {
        simulatedResult = (await executeWith(sim, memory.customerRef ?? null, a.tool, a.args)).message;
      } catch (err) {
        simulatedResult = err instanceof Error ? `not executable: ${err.message}` : null;
      }
      actions.push({ ...a, simulatedResult });
    }
    return c.json(
      { replies: last.replies, route: last.route, actions, gate: last.gate, handoff: last.handoff, trace, turns },
      200,
    );
  })
  .openapi(suggestRoute, async (c) => {
    const { conversationId } = c.req.valid("json");
    const tdb = c.var.tdb;
    const conv = await tdb.first(schema.conversations, eq(schema.conversations.id, conversationId));
    if (!conv) throw notFound("Conversation");
    const contact = await tdb.first(schema.contacts, eq(schema.contacts.id, conv.contactId));
    // The room's log is authoritative (D1 may trail it by up to a second).
    const log = RoomLog.parse(
      JSON.parse(await (await roomOf(c.env, c.var.auth.workspaceId, conversationId)).log(0, 500)),
    );
    const rows = log.items.filter((r) => r.type === "incoming" || r.type === "outgoing");
    const lastCustomer = rows.map((r) => r.senderType).lastIndexOf("contact");
    const current = rows[lastCustomer];
    if (!current)
      return c.json(
        {
          draft: null,
          summary: null,
          sentiment: null,
          category: conv.category,
          gate: { decision: "draft" as const, reasons: ["no_customer_message"] },
          actions: [],
        },
        200,
      );
    const history: TurnHistoryItem[] = rows.slice(0, lastCustomer).map((r) => ({
      role: r.senderType === "contact" ? "customer" : r.senderType === "operator" ? "operator" : "bot",
      text: r.content,
    }));
    const sim = new SimulatedConnector(commerceFor(c.env, c.var.auth.workspaceId));
    // "Verified" is the conversation's own state (a code typed in it, or the host's HMAC
    // identity, which the engine checks itself while vouchChecked is false), never "the
    // contact has a shop reference": a contact can carry one it was linked to by mistake.
    const own = await (await roomOf(c.env, c.var.auth.workspaceId, conversationId)).verification();
    const memory = {
      verified: own.verified,
      customerRef: own.customerRef,
      email: own.email,
      category: conv.category,
      vouchChecked: own.verified,
    };
    const res = await runTurnWith(
      c.env,
      {
        workspaceId: c.var.auth.workspaceId,
        conversationId,
        channel: conv.channel,
        text: current.content,
        language: conv.language,
        history,
        memory,
        attachmentKeys: [],
        contactName: contact?.name ?? null,
      },
      ignoreStream,
      { connector: sim, issueCode: async () => undefined, checkCode: async () => ({ ok: false, reason: "none" }) },
    );
    const summary =
      res.copilot.summary ??
      `Topic: ${(res.route?.primary ?? conv.category ?? "other").replace(/_/g, " ")}. Latest: "${current.content.slice(0, 140)}"`;
    return c.json(
      {
        draft: res.copilot.draft,
        summary,
        sentiment: res.copilot.sentiment,
        category: res.route?.primary ?? conv.category,
        gate: res.gate,
        actions: res.actions.map((a) => ({ tool: a.tool, summary: a.summary })),
      },
      200,
    );
  });
