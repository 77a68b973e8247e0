/**
 * Workspace reference data every operator screen needs (operators, teams, categories,
 * inboxes, canned responses), loaded once after login and refreshable.
 */
import { displayName } from "../../workers/protocol/names.ts";
import {
  getContact,
  listCanned,
  listCategories,
  listContacts,
  listInboxes,
  listOperators,
  listTeams,
  type Category,
  type Inbox,
} from "./api/endpoints.ts";
import type { Canned, Operator, Team } from "./api/schemas.ts";
import { createStore } from "./lib/store.ts";

export interface Directory {
  operators: Operator[];
  teams: Team[];
  categories: Category[];
  inboxes: Inbox[];
  canned: Canned[];
}

export const directoryStore = createStore<Directory>({
  operators: [],
  teams: [],
  categories: [],
  inboxes: [],
  canned: [],
});

export async function loadDirectory(): Promise<void> {
  const settle = <T>(p: Promise<{ items: T[] }>): Promise<T[]> =>
    p.then(
      (r) => r.items,
      () => [],
    );
  const [operators, teams, categories, inboxes, canned] = await Promise.all([
    settle(listOperators()),
    settle(listTeams()),
    settle(listCategories()),
    settle(listInboxes()),
    settle(listCanned()),
  ]);
  directoryStore.set({ operators, teams, categories, inboxes, canned });
  await loadContactNames();
}

export function operatorName(d: Directory, id: string | null): string {
  if (!id) return "—";
  return d.operators.find((o) => o.id === id)?.name ?? id;
}
export function teamName(d: Directory, id: string | null): string {
  if (!id) return "—";
  return d.teams.find((t) => t.id === id)?.name ?? id;
}

/** Contact display names for inbox rows (which carry only a contact id). */
export const contactNames = createStore<Map<string, string>>(new Map());
const requested = new Set<string>();

export async function loadContactNames(): Promise<void> {
  try {
    const page = await listContacts();
    contactNames.update((m) => {
      const next = new Map(m);
      for (const c of page.items) next.set(c.id, displayName(c.id, c));
      return next;
    });
  } catch {
    // names are cosmetic: rows fall back to the conversation id
  }
}

/** Fetch names not in the first page, a few at a time, each id once. */
export function ensureContactNames(ids: Array<string | null>): void {
  const missing = ids
    .filter((id): id is string => !!id && !contactNames.get().has(id) && !requested.has(id))
    .slice(0, 10);
  for (const id of missing) {
    requested.add(id);
    getContact(id).then(
      (d) => contactNames.update((m) => new Map(m).set(id, displayName(id, d.contact))),
      () => undefined,
    );
  }
}
