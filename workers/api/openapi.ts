/**
 * Small helpers so each route declares its request and response schemas once: they
 * validate the request and feed the OpenAPI 3.1 document at /api/openapi.json.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "./context.ts";
import { errorBody } from "../lib/errors.ts";

export { z };

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi("Error");

/** A sub-app whose validation failures all answer 400 with the failing fields. */
export function newApp() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({
          path: i.path.map(String).join("."),
          message: i.message,
          code: i.code,
        }));
        return c.json(errorBody("validation_failed", "The request is invalid", details), 400);
      }
      return undefined;
    },
  });
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { "application/json": { schema } }, required: true } } as const;
}

export function ok<T extends z.ZodType>(schema: T, description = "OK") {
  return {
    200: { content: { "application/json": { schema } }, description },
    400: { content: { "application/json": { schema: ErrorSchema } }, description: "Invalid request" },
    401: { content: { "application/json": { schema: ErrorSchema } }, description: "Not authenticated" },
    403: { content: { "application/json": { schema: ErrorSchema } }, description: "Not allowed" },
    404: { content: { "application/json": { schema: ErrorSchema } }, description: "Not found" },
  } as const;
}

export function created<T extends z.ZodType>(schema: T, description = "Created") {
  return {
    201: { content: { "application/json": { schema } }, description },
    400: { content: { "application/json": { schema: ErrorSchema } }, description: "Invalid request" },
    401: { content: { "application/json": { schema: ErrorSchema } }, description: "Not authenticated" },
    403: { content: { "application/json": { schema: ErrorSchema } }, description: "Not allowed" },
  } as const;
}

export const bearer = [{ Bearer: [] }];

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const CursorQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
