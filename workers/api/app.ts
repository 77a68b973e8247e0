/**
 * The /api application: one sub-app per domain, one error shape, one OpenAPI document.
 *
 * Authorisation by construction: the few public routes (health, login, the OpenAPI
 * document and the visitor-facing widget sub-app, which checks its own widget key and
 * visitor token) are registered first; then `authenticate` + `analystReadOnly` are
 * installed for every path, and every sub-app mounted after that line is authenticated.
 * Hono runs handlers in registration order, so a public handler answers before the auth
 * middleware is reached, and nothing registered later can skip it. There is no list of
 * public paths to keep in step with the routes; test/workers/api/authorisation.test.ts
 * walks the OpenAPI document and proves every operation with a security requirement
 * refuses an anonymous call.
 */
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { ApiError, errorBody } from "../lib/errors.ts";
import { ConfigError, getConfig } from "../lib/config.ts";
import { authApp, loginApp } from "./auth.ts";
import { analystReadOnly, authenticate } from "./middleware.ts";
import { newApp, z } from "./openapi.ts";
import { createRoute } from "@hono/zod-openapi";
import { adminApp } from "./admin.ts";
import { contactsApp } from "./contacts.ts";
import { conversationsApp } from "./conversations.ts";
import { knowledgeApp } from "./knowledge.ts";
import { learningsApp } from "./learnings.ts";
import { widgetApp } from "./widget.ts";
import { reportsApp } from "./reports.ts";
import { channelsApp } from "./channels.ts";
import { aiApp } from "./ai.ts";
import { analyticsApp } from "./analytics.ts";
import { attachmentsApp, filesApp } from "./attachments.ts";
import { evalsApp } from "./evals.ts";
import { documentWebhooks, flowsApp } from "./flows.ts";
import { mentionsApp } from "./mentions.ts";
import { teamsApp } from "./teams.ts";
import { rightsApp, rightsPublicApp } from "./rights.ts";
import { memoriesApp } from "./memories.ts";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Liveness and database check",
  responses: {
    200: {
      content: { "application/json": { schema: z.object({ ok: z.boolean(), db: z.boolean(), version: z.string() }) } },
      description: "Healthy",
    },
  },
});

export function createApiApp() {
  const api = newApp().basePath("/api");

  api.use("*", async (c, next) => {
    c.set("config", getConfig(c.env, c.req.raw));
    await next();
  });

  // ---- Public: registered before the auth middleware. ----
  api.openapi(healthRoute, async (c) => {
    const db = await c.env.DB.prepare("SELECT 1")
      .first()
      .then(
        () => true,
        () => false,
      );
    return c.json({ ok: db, db, version: "0.1.0" }, 200);
  });

  api.route("/auth", loginApp);
  api.route("/widget", widgetApp);
  api.route("/", filesApp);
  api.route("/", rightsPublicApp);
  api.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  // The document is built per request from the registry, so it lists the routes below too.
  documentWebhooks(api.openAPIRegistry);
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "OmniSupport API",
      version: "0.1.0",
      description: "Operator, admin and integration API of OmniSupport.",
    },
  });

  // ---- Everything registered below this line needs an operator JWT. ----
  api.use("*", authenticate, analystReadOnly);
  api.route("/auth", authApp);
  api.route("/conversations", conversationsApp);
  api.route("/contacts", contactsApp);
  api.route("/knowledge", knowledgeApp);
  api.route("/learnings", learningsApp);
  api.route("/reports", reportsApp);
  api.route("/analytics", analyticsApp);
  api.route("/", adminApp);
  api.route("/", channelsApp);
  api.route("/", aiApp);
  api.route("/", attachmentsApp);
  api.route("/evals", evalsApp);
  api.route("/", flowsApp);
  api.route("/", mentionsApp);
  api.route("/", teamsApp);
  api.route("/", rightsApp);
  api.route("/", memoriesApp);

  api.notFound((c) => c.json(errorBody("not_found", "No such endpoint"), 404));
  api.onError((err, c) => {
    if (err instanceof ApiError) {
      if (err.status === 429 && typeof err.details === "object" && err.details && "retryAfterSeconds" in err.details) {
        c.header("Retry-After", String(err.details.retryAfterSeconds));
      }
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    if (err instanceof ZodError) {
      return c.json(
        errorBody(
          "validation_failed",
          "The request is invalid",
          err.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        ),
        400,
      );
    }
    if (err instanceof HTTPException) {
      return c.json(
        errorBody(err.status === 415 ? "unsupported_media_type" : "bad_request", err.message || "Bad request"),
        err.status,
      );
    }
    if (err instanceof SyntaxError) return c.json(errorBody("invalid_json", "The body is not valid JSON"), 400);
    if (err instanceof ConfigError) {
      console.error("configuration error", err.message);
      return c.json(errorBody("misconfigured", err.message), 503);
    }
    console.error("unhandled error", err instanceof Error ? `${err.name}: ${err.message}` : "unknown");
    return c.json(errorBody("internal", "Something went wrong on our side"), 500);
  });
  return api;
}
