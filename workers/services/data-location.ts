/**
 * A workspace's data location (issue 20, residency) for the Durable Object stubs
 * (durable-objects/stubs.ts → placement.ts). Every caller that reaches a workspace's
 * room, presence, intake or vector index object asks here first, so all of them address
 * the same object: with a jurisdiction, the same name elsewhere would be another object.
 *
 * Cached per isolate: the location cannot change once the workspace has conversations
 * or knowledge (PUT /api/settings refuses), so a cached value can only be stale while
 * the workspace holds no objects that matter; the TTL bounds even that.
 */
import { eq } from "drizzle-orm";
import { rawDb, schema, type TenantDb } from "../db/client.ts";
import { readSettings, type DataLocation } from "../protocol/settings.ts";
import { presenceStub, roomStub, intakeStub } from "../../durable-objects/stubs.ts";
import { placeNamespace, placementFor, type Placement } from "../../durable-objects/placement.ts";
import { identifySocket } from "../lib/socket-auth.ts";

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; location: DataLocation }>();

export async function workspaceLocation(env: Pick<Env, "DB">, workspaceId: string): Promise<DataLocation> {
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.location;
  const ws = await rawDb(env.DB)
    .select({ settings: schema.workspaces.settings })
    .from(schema.workspaces)
    .where(eq(schema.workspaces.id, workspaceId))
    .get();
  const location = readSettings(ws?.settings).dataLocation;
  if (cache.size > 10_000) cache.clear();
  cache.set(workspaceId, { at: Date.now(), location });
  return location;
}

/** This isolate forgets a location it just changed (the settings route). */
export function forgetWorkspaceLocation(workspaceId: string): void {
  cache.delete(workspaceId);
}

/** The conversation's room, placed by its workspace's location. */
export async function roomOf(env: Env, workspaceId: string, conversationId: string) {
  return roomStub(env, conversationId, await workspaceLocation(env, workspaceId));
}

/** The workspace's presence object, placed by its location. */
export async function presenceOf(env: Env, workspaceId: string) {
  return presenceStub(env, workspaceId, await workspaceLocation(env, workspaceId));
}

/** An inbox's intake journal, placed by its workspace's location. */
export async function intakeOf(env: Env, workspaceId: string, inboxId: string) {
  return intakeStub(env, inboxId, await workspaceLocation(env, workspaceId));
}

/**
 * partyserver's routing options for a websocket to a room or the presence object: the
 * workspace (from the verified token; guardSocket refuses any other) decides the
 * placement, like every RPC stub. A jurisdiction goes to partyserver only where the
 * runtime implements it (placeNamespace), as for the stubs.
 */
export async function socketPlacement(
  req: Request,
  env: Env,
  secret: string,
): Promise<{ jurisdiction?: "eu" | "fedramp"; locationHint?: Placement["locationHint"] }> {
  const url = new URL(req.url);
  const party = url.pathname.split("/")[2];
  if (party !== "conversation-room" && party !== "presence") return {};
  const identity = await identifySocket(url.searchParams.get("token"), secret);
  if (!identity) return {};
  const placement = placementFor(await workspaceLocation(env, identity.workspaceId));
  if (placement.jurisdiction)
    return placeNamespace(env.CONVERSATION_ROOM as DurableObjectNamespace, placement).applied
      ? { jurisdiction: placement.jurisdiction }
      : {};
  return placement.locationHint ? { locationHint: placement.locationHint } : {};
}

/**
 * Whether the workspace already has objects placed by its location: a conversation (its
 * room, intake journal entries) or a knowledge document (its vector index). Then the
 * location is fixed: the objects cannot move, and a new placement would address new,
 * empty objects.
 */
export async function locationIsFixed(tdb: TenantDb): Promise<boolean> {
  return (
    (await tdb.first(schema.conversations)) !== undefined || (await tdb.first(schema.knowledgeDocuments)) !== undefined
  );
}
