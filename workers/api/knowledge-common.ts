/** Checks shared by the /api/knowledge sub-apps. */
import { eq } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { badRequest } from "../lib/errors.ts";

/** A category given with an upload or a crawl source must be one of the workspace's keys; empty means none. */
export async function checkCategory(tdb: TenantDb, category: string | null | undefined): Promise<string | null> {
  if (category === null || category === undefined || category === "") return null;
  const found = await tdb.first(schema.categories, eq(schema.categories.key, category));
  if (!found) throw badRequest(`Unknown category "${category}"`);
  return category;
}
