/**
 * The customer profile (issue 20): preferred language and channel, recurring issues and
 * the last resolution are derived from the contact's conversations after each resolved
 * one; tone and confirmed subscription facts are what operators (or the agent, once it
 * confirmed them against the shop) wrote, and a refresh never overwrites them.
 */
import { desc, eq } from "drizzle-orm";
import { schema, type TenantDb } from "../../db/client.ts";

type ConversationRow = typeof schema.conversations.$inferSelect;

function mostCommon(values: Array<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [v, c] of counts)
    if (c > n) {
      best = v;
      n = c;
    }
  return best;
}

/** The derived part of a profile from the contact's conversations (pure). */
export function deriveProfile(conversations: ConversationRow[]): {
  preferredLanguage: string | null;
  preferredChannel: string | null;
  recurringIssues: string[];
  lastResolution: string | null;
} {
  const categories = new Map<string, number>();
  for (const c of conversations) if (c.category) categories.set(c.category, (categories.get(c.category) ?? 0) + 1);
  const resolved = conversations
    .filter((c) => c.status === "resolved" && c.resolvedAt !== null)
    .sort((a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0))[0];
  return {
    preferredLanguage: mostCommon(conversations.map((c) => c.language)),
    preferredChannel: mostCommon(conversations.map((c) => c.channel)),
    recurringIssues: [...categories].filter(([, n]) => n >= 2).map(([k]) => k),
    lastResolution: resolved
      ? `${new Date(resolved.resolvedAt ?? 0).toISOString().slice(0, 10)} · ${resolved.category ?? "general"}${resolved.lastMessagePreview ? ` · ${resolved.lastMessagePreview.slice(0, 120)}` : ""}`
      : null,
  };
}

export async function refreshProfile(tdb: TenantDb, contactId: string): Promise<void> {
  const c = schema.conversations;
  const convs = await tdb.select(c, eq(c.contactId, contactId), { orderBy: [desc(c.createdAt)], limit: 50 });
  const derived = deriveProfile(convs);
  const p = schema.contactProfiles;
  await tdb.db
    .insert(p)
    .values({ workspaceId: tdb.workspaceId, contactId, ...derived, updatedBy: "system", updatedAt: Date.now() })
    .onConflictDoUpdate({
      target: [p.workspaceId, p.contactId],
      set: { ...derived, updatedAt: Date.now() },
    });
}
