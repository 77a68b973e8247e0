/** Append-only audit trail of who did what. */
import type { TenantDb } from "../db/client.ts";
import { schema } from "../db/client.ts";
import { newId } from "../lib/ids.ts";

export interface AuditEntry {
  actorType: "operator" | "contact" | "bot" | "system";
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
}

export async function audit(tdb: TenantDb, e: AuditEntry): Promise<void> {
  await tdb.insert(schema.auditLog, {
    id: newId("aud"),
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    detail: e.detail ?? {},
  });
}
