/**
 * Where a workspace's Durable Objects live (issue 20, data rights 5): the workspace
 * setting `dataLocation` mapped to Cloudflare's two levers.
 *
 * - A *jurisdiction* (`eu`, `fedramp`) is a promise: the object is created, runs and
 *   stores its data only inside it. It is part of the object's id — the same name in
 *   another jurisdiction is another object — which is why a workspace's location cannot
 *   change once it has objects (rooms, intake journals, its vector index): they cannot
 *   move, and a new id would silently start empty.
 * - A *location hint* (`weur`, `eeur`, `apac`, …) is a preference for where a new object
 *   is created, not a promise; it does not change the id.
 *
 * Pure: the mapping and its application to a namespace, no bindings read here. Local
 * workerd (miniflare, `wrangler dev`, tests) may not implement `jurisdiction()`: then the
 * namespace is used as is (see `placeNamespace`), which README's residency section says.
 */
import type { DataLocation } from "../workers/protocol/settings.ts";

export type { DataLocation };
export const JURISDICTIONS = ["eu", "fedramp"] as const;
export const LOCATION_HINTS = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"] as const;

export interface Placement {
  jurisdiction?: (typeof JURISDICTIONS)[number];
  locationHint?: (typeof LOCATION_HINTS)[number];
}

const isJurisdiction = (l: string): l is (typeof JURISDICTIONS)[number] =>
  (JURISDICTIONS as readonly string[]).includes(l);
const isHint = (l: string): l is (typeof LOCATION_HINTS)[number] => (LOCATION_HINTS as readonly string[]).includes(l);

/** The placement of a data location (a jurisdiction OR a hint, never both; nothing for `default`). */
export function placementFor(location: DataLocation | null | undefined): Placement {
  if (!location || location === "default") return {};
  if (isJurisdiction(location)) return { jurisdiction: location };
  if (isHint(location)) return { locationHint: location };
  return {};
}

/** What `placeNamespace` needs of a namespace (structural, so unit tests pass a fake). */
export interface PlaceableNamespace<N> {
  jurisdiction?: (j: (typeof JURISDICTIONS)[number]) => N;
}

/**
 * The namespace to address objects in and the `get()` options. A jurisdiction is applied
 * only where the runtime implements it: on a runtime that lacks `jurisdiction()` (or
 * throws for it) the plain namespace is used, `applied` says so.
 */
export function placeNamespace<N extends PlaceableNamespace<N>>(
  ns: N,
  placement: Placement,
): { ns: N; options: { locationHint?: Placement["locationHint"] }; applied: boolean } {
  if (placement.jurisdiction) {
    if (typeof ns.jurisdiction !== "function") return { ns, options: {}, applied: false };
    try {
      return { ns: ns.jurisdiction(placement.jurisdiction), options: {}, applied: true };
    } catch {
      return { ns, options: {}, applied: false };
    }
  }
  return { ns, options: placement.locationHint ? { locationHint: placement.locationHint } : {}, applied: true };
}
