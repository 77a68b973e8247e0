/**
 * Refuses a websocket upgrade before it reaches a Durable Object unless the token in
 * the URL is valid for that room: a visitor token for its own conversation, or an
 * operator JWT of the conversation's workspace whose operator is still enabled and still
 * holds the token's role. The rooms check again on connect.
 */
import { eq } from "drizzle-orm";
import { rawDb, schema } from "../db/client.ts";
import { errorBody } from "./errors.ts";
import { socketClaimsCurrent } from "./operator-state.ts";
import { identifySocket, mayJoin } from "./socket-auth.ts";

export async function guardSocket(req: Request, env: Env, secret: string): Promise<Response | undefined> {
  const url = new URL(req.url);
  const [, , party, room] = url.pathname.split("/");
  const deny = (status: number, message: string) =>
    new Response(JSON.stringify(errorBody(status === 401 ? "unauthorized" : "forbidden", message)), {
      status,
      headers: { "content-type": "application/json" },
    });
  const identity = await identifySocket(url.searchParams.get("token"), secret);
  if (!identity || !room) return deny(401, "A valid token is required");
  if (identity.role === "operator") {
    // Disabled or demoted since the token was signed: the rooms trust the token's role,
    // so a token whose role is no longer current is refused here.
    const current = await socketClaimsCurrent(env.DB, {
      sub: identity.id,
      ws: identity.workspaceId,
      role: identity.operatorRole,
    });
    if (!current) return deny(401, "This session has ended. Sign in again.");
  }
  if (party === "presence")
    return identity.role === "operator" && identity.workspaceId === room ? undefined : deny(403, "Not your workspace");
  if (party === "conversation-room") {
    const conv = await rawDb(env.DB)
      .select({ workspaceId: schema.conversations.workspaceId })
      .from(schema.conversations)
      .where(eq(schema.conversations.id, decodeURIComponent(room)))
      .get();
    // No row yet: a widget conversation is created at its first message, so only the visitor
    // whose signed token names this very conversation may open it (the room creates the rows).
    const workspaceId = conv?.workspaceId ?? (identity.role === "contact" ? identity.workspaceId : null);
    if (!workspaceId || !mayJoin(identity, decodeURIComponent(room), workspaceId))
      return deny(403, "Not allowed in this conversation");
    return undefined;
  }
  if (party === "eval-run") {
    const run = await rawDb(env.DB)
      .select({ workspaceId: schema.evalRuns.workspaceId })
      .from(schema.evalRuns)
      .where(eq(schema.evalRuns.id, decodeURIComponent(room)))
      .get();
    return identity.role === "operator" && run?.workspaceId === identity.workspaceId
      ? undefined
      : deny(403, "Not your run");
  }
  return deny(404, "No such party");
}
