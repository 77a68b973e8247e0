/**
 * PATCH /api/teams/:id: rename a team and set its members (admins). Lives beside admin.ts,
 * which creates and lists teams, so the members' edit is one small handler: the member
 * list is replaced as a whole, every id must be an operator of this workspace.
 */
import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { schema } from "../db/client.ts";
import { badRequest, conflict, notFound } from "../lib/errors.ts";
import { audit } from "../services/audit.ts";
import { TeamSchema } from "./schemas.ts";
import { ADMIN, requireRole } from "./middleware.ts";
import { bearer, IdParam, jsonBody, newApp, ok, z } from "./openapi.ts";

const TeamPatch = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    memberIds: z.array(z.string().min(1).max(100)).max(200).optional(),
  })
  .strict();

const patchRoute = createRoute({
  method: "patch",
  path: "/teams/{id}",
  tags: ["operators"],
  summary: "Rename a team or replace its members",
  security: bearer,
  middleware: [requireRole(...ADMIN)] as const,
  request: { params: IdParam, ...jsonBody(TeamPatch) },
  responses: ok(TeamSchema),
});

export const teamsApp = newApp().openapi(patchRoute, async (c) => {
  const { id } = c.req.valid("param");
  const b = c.req.valid("json");
  const tdb = c.var.tdb;
  const team = await tdb.first(schema.teams, eq(schema.teams.id, id));
  if (!team) throw notFound("Team");
  const memberIds = b.memberIds ? [...new Set(b.memberIds)] : undefined;
  if (memberIds) {
    const known = new Set((await tdb.select(schema.operators)).map((o) => o.id));
    const unknown = memberIds.filter((m) => !known.has(m));
    if (unknown.length)
      throw badRequest("Unknown operators", [
        { path: "memberIds", message: `Not operators here: ${unknown.join(", ")}` },
      ]);
  }
  if (b.name && b.name !== team.name) {
    try {
      await tdb.update(schema.teams, { name: b.name }, eq(schema.teams.id, id));
    } catch {
      throw conflict("A team with this name exists");
    }
  }
  if (memberIds) {
    await tdb.delete(schema.teamMembers, eq(schema.teamMembers.teamId, id));
    if (memberIds.length)
      await tdb.insert(
        schema.teamMembers,
        memberIds.map((operatorId) => ({ teamId: id, operatorId })),
      );
  }
  await audit(tdb, {
    actorType: "operator",
    actorId: c.var.auth.operatorId,
    action: "team.update",
    targetType: "team",
    targetId: id,
    detail: { fields: Object.keys(b) },
  });
  const members = await tdb.select(schema.teamMembers, eq(schema.teamMembers.teamId, id));
  return c.json({ id, name: b.name ?? team.name, memberIds: members.map((m) => m.operatorId) }, 200);
});
