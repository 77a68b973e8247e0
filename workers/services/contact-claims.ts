/**
 * Unverified contact details (pre-chat form email or phone) as claims: stored for
 * operators, never acted on by themselves. A claim whose value another contact already
 * has is a possible match; an operator confirms it (the claiming contact is merged into
 * the match, reversible with unmerge) or dismisses it. A claim with no match, once
 * confirmed, fills the contact's empty email or phone.
 */
import { and, eq } from "drizzle-orm";
import type { TenantDb } from "../db/client.ts";
import { schema } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import { audit } from "./audit.ts";
import { findLinkTarget, mergeContacts } from "./contacts.ts";

export type ClaimRow = typeof schema.contactClaims.$inferSelect;

/** Records what the customer typed; returns the claims with their possible matches. */
export async function recordClaims(
  tdb: TenantDb,
  contactId: string,
  conversationId: string | null,
  fields: { email?: string | null; phone?: string | null },
): Promise<ClaimRow[]> {
  const t = schema.contactClaims;
  const out: ClaimRow[] = [];
  for (const field of ["email", "phone"] as const) {
    const value = fields[field];
    if (!value) continue;
    const candidate = await findLinkTarget(
      tdb,
      contactId,
      field === "phone" ? value : null,
      field === "email" ? value : null,
    );
    await tdb.db
      .insert(t)
      .values({
        id: newId("clm"),
        workspaceId: tdb.workspaceId,
        contactId,
        conversationId,
        field,
        value,
        candidateContactId: candidate,
      })
      .onConflictDoNothing();
    const row = await tdb.first(t, and(eq(t.contactId, contactId), eq(t.field, field), eq(t.value, value)));
    if (row) out.push(row);
  }
  return out;
}

/** The contact's claims, newest first (for the contact card). */
export async function claimsOf(tdb: TenantDb, contactId: string): Promise<ClaimRow[]> {
  const rows = await tdb.select(schema.contactClaims, eq(schema.contactClaims.contactId, contactId));
  return rows.sort((a, b) => b.createdAt - a.createdAt);
}

export type ClaimDecision =
  { ok: true; claim: ClaimRow; mergedInto: string | null } | { ok: false; code: "not_found" | "already_decided" };

/** An operator's decision on a claim; a confirmed possible match merges the claimant into it. */
export async function decideClaim(
  tdb: TenantDb,
  contactId: string,
  claimId: string,
  decision: "confirm" | "dismiss",
  actorId: string,
): Promise<ClaimDecision> {
  const t = schema.contactClaims;
  const claim = await tdb.first(t, and(eq(t.id, claimId), eq(t.contactId, contactId)));
  if (!claim) return { ok: false, code: "not_found" };
  // Compare-and-set: two operators deciding at once act once.
  const won = await tdb
    .update(
      t,
      { status: decision === "confirm" ? "confirmed" : "dismissed", decidedBy: actorId, decidedAt: Date.now() },
      and(eq(t.id, claimId), eq(t.status, "pending")) ?? eq(t.id, claimId),
    )
    .returning({ id: t.id });
  if (!won.length) return { ok: false, code: "already_decided" };
  let mergedInto: string | null = null;
  if (decision === "confirm") {
    const candidate = claim.candidateContactId
      ? await tdb.first(schema.contacts, eq(schema.contacts.id, claim.candidateContactId))
      : undefined;
    if (candidate && !candidate.mergedIntoId) {
      await mergeContacts(tdb, candidate.id, contactId, actorId);
      mergedInto = candidate.id;
    } else {
      const self = await tdb.first(schema.contacts, eq(schema.contacts.id, contactId));
      if (self && !self[claim.field])
        await tdb.update(
          schema.contacts,
          { [claim.field]: claim.value, updatedAt: Date.now() },
          eq(schema.contacts.id, contactId),
        );
    }
  }
  await audit(tdb, {
    actorType: "operator",
    actorId,
    action: decision === "confirm" ? "contact.claim_confirmed" : "contact.claim_dismissed",
    targetType: "contact",
    targetId: contactId,
    detail: { claimId, field: claim.field, mergedInto },
  });
  const after = await tdb.first(t, eq(t.id, claimId));
  return { ok: true, claim: after ?? claim, mergedInto };
}
