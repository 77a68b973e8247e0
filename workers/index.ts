/**
 * The Worker entry: wires HTTP (API, webhooks, realtime sockets, static assets), queue
 * consumers, inbound email and the cron trigger. Each handler only dispatches.
 */
import { Hono } from "hono";
import { routePartykitRequest } from "partyserver";
import { socketPlacement } from "./services/data-location.ts";
import { createApiApp } from "./api/app.ts";
import { devApp } from "./api/dev.ts";
import { configGuard } from "./api/middleware.ts";
import { handleEmail } from "./email/handler.ts";
import { bodyLimits } from "./api/body-limits.ts";
import { getConfig } from "./lib/config.ts";
import { securityHeaders } from "./lib/security-headers.ts";
import { errorBody } from "./lib/errors.ts";
import { guardSocket } from "./lib/socket-guard.ts";
import { handleQueue } from "./queues/index.ts";
import { handleScheduled } from "./scheduled.ts";
import { webhooksApp } from "./webhooks/app.ts";

export { ConversationRoom } from "../durable-objects/conversation.ts";
export { Presence } from "../durable-objects/presence.ts";
export { LocalVectorIndex } from "../durable-objects/vector-index.ts";
export { InboxIntake } from "../durable-objects/intake/object.ts";
export { EvalRun } from "../durable-objects/eval-run.ts";
export { LocalRateLimiter } from "../durable-objects/rate-limiter.ts";

const app = new Hono<{ Bindings: Env }>();
app.use("*", securityHeaders);
app.use("*", configGuard);
app.use("*", bodyLimits);
app.route("/", devApp);
app.route("/", createApiApp());
app.route("/webhooks", webhooksApp);
app.all("/parties/*", async (c) => {
  const secret = getConfig(c.env, c.req.raw).jwtSecret;
  const res = await routePartykitRequest(c.req.raw, c.env, {
    // The workspace's data location (issue 20): the same object every RPC stub addresses.
    ...(await socketPlacement(c.req.raw, c.env, secret)),
    onBeforeConnect: (req) => guardSocket(req, c.env, secret),
  });
  return res ?? c.json(errorBody("not_found", "No such room"), 404);
});
// Browsers ask for /favicon.ico on pages that name no icon (the API document, raw files): one icon for all.
app.get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301));
app.all("*", (c) => c.env.ASSETS.fetch(c.req.raw));

export default {
  fetch: app.fetch,
  queue: handleQueue,
  email: handleEmail,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
