/**
 * The /api application: one sub-app per domain, one error shape, one OpenAPI document.
 * Everything under /api except health, login, the OpenAPI document and the visitor
 * (widget) endpoints requires an operator JWT.
 */
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { ApiError, errorBody } from "../lib/errors.ts";
import { ConfigError, getConfig } from "../lib/config.ts";
import { authApp } from "./auth.ts";
import { analystReadOnly, authenticate } from "./middleware.ts";
import { newApp, z } from "./openapi.ts";
import { createRoute } from "@hono/zod-openapi";
import { adminApp } from "./admin.ts";
import { contactsApp } from "./contacts.ts";
import { conversationsApp } from "./conversations.ts";
import { knowledgeApp } from "./knowledge.ts";
import { widgetApp } from "./widget.ts";
import { reportsApp } from "./reports.ts";
import { channelsApp } from "./channels.ts";
import { aiApp } from "./ai.ts";
import { analyticsApp } from "./analytics.ts";

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

const PUBLIC_PATHS = [
  /^\/api\/health$/,
  /^\/api\/auth\/login$/,
  /^\/api\/openapi\.json$/,
  /^\/api\/widget\//,
  /^\/api\/dev\//,
];

export function createApiApp() {
  const api = newApp().basePath("/api");

  api.use("*", async (c, next) => {
    c.set("config", getConfig(c.env));
    await next();
  });
  api.use("*", async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (PUBLIC_PATHS.some((re) => re.test(path)) || (path.startsWith("/api/auth/") && path !== "/api/auth/login"))
      return next();
    return authenticate(c, async () => {
      await analystReadOnly(c, next);
    });
  });

  api.openapi(healthRoute, async (c) => {
    const db = await c.env.DB.prepare("SELECT 1")
      .first()
      .then(
        () => true,
        () => false,
      );
    return c.json({ ok: db, db, version: "0.1.0" }, 200);
  });

  api.route("/auth", authApp);
  api.route("/conversations", conversationsApp);
  api.route("/contacts", contactsApp);
  api.route("/knowledge", knowledgeApp);
  api.route("/widget", widgetApp);
  api.route("/reports", reportsApp);
  api.route("/analytics", analyticsApp);
  api.route("/", adminApp);
  api.route("/", channelsApp);
  api.route("/", aiApp);

  api.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "OmniSupport API",
      version: "0.1.0",
      description: "Operator, admin and integration API of OmniSupport.",
    },
  });

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
      return c.json(errorBody("misconfigured", "The server is not configured"), 500);
    }
    console.error("unhandled error", err instanceof Error ? `${err.name}: ${err.message}` : "unknown");
    return c.json(errorBody("internal", "Something went wrong on our side"), 500);
  });
  return api;
}
