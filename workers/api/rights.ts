/**
 * Data rights (issue 20): erasure and export of a contact, retention policies with a dry
 * run. Admin only: these routes read or destroy everything about a customer.
 */
import { createRoute } from "@hono/zod-openapi";
import { notFound } from "../lib/errors.ts";
import { eraseContact } from "../rights/erase.ts";
import { ADMIN, requireRole } from "./middleware.ts";
import { bearer, IdParam, newApp, ok, z } from "./openapi.ts";

export const ErasureReceiptSchema = z
  .object({
    receipt: z.object({
      contactId: z.string(),
      erasedAt: z.number().int(),
      stores: z.array(z.object({ name: z.string(), removed: z.number().int().nonnegative() })),
    }),
  })
  .openapi("ErasureReceipt");

const eraseRoute = createRoute({
  method: "post",
  path: "/contacts/{id}/erase",
  tags: ["contacts", "data rights"],
  summary: "Erase a contact everywhere (D1, rooms, attachments, journals, index, copies) and get a receipt",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam },
  responses: ok(ErasureReceiptSchema),
});

export const rightsApp = newApp().openapi(eraseRoute, async (c) => {
  const { id } = c.req.valid("param");
  const receipt = await eraseContact(c.env, c.var.tdb, id, c.var.auth.operatorId);
  if (!receipt) throw notFound("Contact");
  return c.json({ receipt }, 200);
});
