/**
 * The Worker entry: wires HTTP (API, webhooks, realtime sockets, static assets), queue
 * consumers, inbound email and the cron trigger. Each handler only dispatches.
 */
import { Hono } from "hono";
import { routePartykitRequest } from "partyserver";
import { createApiApp } from "./api/app.ts";
import { devApp } from "./api/dev.ts";

export { ConversationRoom } from "../durable-objects/conversation.ts";
export { Presence } from "../durable-objects/presence.ts";
export { LocalVectorIndex } from "../durable-objects/vector-index.ts";

const app = new Hono<{ Bindings: Env }>();
app.route("/", devApp);
app.route("/", createApiApp());
app.all("/parties/*", async (c) => (await routePartykitRequest(c.req.raw, c.env)) ?? c.json({ error: { code: "not_found", message: "No such room" } }, 404));
app.all("*", (c) => c.env.ASSETS.fetch(c.req.raw));

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
