/**
 * The operator's current standing (workspace, role, disabled), read on every request and
 * socket connect, so disabling or demoting someone ends what their 12-hour token allowed.
 *
 * A few seconds of per-isolate cache keeps this to one D1 read per operator per isolate
 * per TTL; the isolate that made the change forgets its entry at once, other isolates
 * follow within OPERATOR_STATE_TTL_MS.
 */
import type { Role } from "./tokens.ts";

export interface OperatorState {
  workspaceId: string;
  role: Role;
  disabled: boolean;
}

export const OPERATOR_STATE_TTL_MS = 5_000;
const cache = new Map<string, { at: number; state: OperatorState | null }>();

function isRole(v: unknown): v is Role {
  return v === "owner" || v === "admin" || v === "operator" || v === "analyst";
}

/** The operator's current state, or null when the operator no longer exists. */
export async function operatorState(
  db: D1Database,
  operatorId: string,
  now = Date.now(),
): Promise<OperatorState | null> {
  const hit = cache.get(operatorId);
  if (hit && now - hit.at < OPERATOR_STATE_TTL_MS) return hit.state;
  const row = await db
    .prepare("SELECT workspace_id, role, disabled FROM operators WHERE id = ?1")
    .bind(operatorId)
    .first<{ workspace_id: string; role: string; disabled: number }>();
  const state =
    row && isRole(row.role) ? { workspaceId: row.workspace_id, role: row.role, disabled: row.disabled !== 0 } : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(operatorId, { at: now, state });
  return state;
}

/** Call after changing an operator's role or disabled flag. */
export function forgetOperatorState(operatorId: string): void {
  cache.delete(operatorId);
}

/**
 * For sockets, which act with the role their token was signed with: the operator may still
 * act in the token's workspace *and* still holds exactly that role (a demotion ends it).
 */
export async function socketClaimsCurrent(
  db: D1Database,
  claims: { sub: string; ws: string; role: Role | null },
): Promise<boolean> {
  const state = await operatorState(db, claims.sub);
  return claimsStillValid(state, claims.ws) && state.role === claims.role;
}

/**
 * Whether a token's claims still stand: the operator exists, is enabled, and belongs to
 * the token's workspace. The caller then uses `state.role`, not the token's.
 */
export function claimsStillValid(state: OperatorState | null, workspaceId: string): state is OperatorState {
  return state !== null && !state.disabled && state.workspaceId === workspaceId;
}
