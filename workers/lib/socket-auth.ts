/**
 * Who is on the other end of a conversation socket, decided from the token in the
 * URL before the socket opens (in the Worker) and again inside the room. Customers
 * hold a visitor token bound to one conversation; staff hold an operator JWT.
 */
import { TokenError, verifyOperatorToken, verifyVisitorToken, type Role } from "./tokens.ts";

export interface SocketIdentity {
  role: "contact" | "operator";
  /** Contact id or operator id. */
  id: string;
  workspaceId: string;
  operatorRole: Role | null;
  /** Visitor tokens only: the conversation this token may join. */
  conversationId: string | null;
  verified: boolean;
  /**
   * Visitor tokens only: who the visitor is, so the room can create the contact and
   * conversation rows at the first message (they do not exist before it).
   */
  visitor?: {
    id: string;
    email: string | null;
    name: string | null;
    consent: { v: string; at: number; lang: string } | null;
  };
}

export async function identifySocket(token: string | null, secret: string): Promise<SocketIdentity | null> {
  if (!token) return null;
  try {
    const v = await verifyVisitorToken(token, secret);
    return {
      role: "contact",
      id: v.sub,
      workspaceId: v.ws,
      operatorRole: null,
      conversationId: v.conv,
      verified: v.verified ?? false,
      visitor: { id: v.vid, email: v.email ?? null, name: v.name ?? null, consent: v.consent ?? null },
    };
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
  }
  try {
    const o = await verifyOperatorToken(token, secret);
    if (o.role === "analyst")
      return {
        role: "operator",
        id: o.sub,
        workspaceId: o.ws,
        operatorRole: o.role,
        conversationId: null,
        verified: true,
      };
    return {
      role: "operator",
      id: o.sub,
      workspaceId: o.ws,
      operatorRole: o.role,
      conversationId: null,
      verified: true,
    };
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    return null;
  }
}

/** May this identity join this conversation of this workspace? Analysts may watch, not write. */
export function mayJoin(id: SocketIdentity, conversationId: string, workspaceId: string): boolean {
  if (id.workspaceId !== workspaceId) return false;
  if (id.role === "contact") return id.conversationId === conversationId;
  return true;
}
