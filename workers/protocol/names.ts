/**
 * Readable names for anonymous visitors ("Blue Olive 42") instead of `ct_…` ids, and the
 * avatar colour that goes with a name. Derived from the contact id, so every screen and
 * every operator sees the same name for the same visitor without storing anything.
 */

const ADJECTIVES = [
  "Blue",
  "Green",
  "Amber",
  "Coral",
  "Silver",
  "Golden",
  "Violet",
  "Scarlet",
  "Olive",
  "Teal",
  "Indigo",
  "Ivory",
  "Copper",
  "Misty",
  "Sunny",
  "Quiet",
  "Brave",
  "Gentle",
  "Swift",
  "Lucky",
];
const NOUNS = [
  "Olive",
  "Cedar",
  "Fig",
  "Almond",
  "Pomegranate",
  "Date",
  "Lemon",
  "Mint",
  "Sage",
  "Willow",
  "Harbor",
  "River",
  "Meadow",
  "Dune",
  "Canyon",
  "Comet",
  "Sparrow",
  "Heron",
  "Otter",
  "Fox",
];

/** FNV-1a: tiny, stable, well spread for short ids. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** "Blue Olive 42" for an id; the same id always gives the same name. */
export function generatedName(id: string): string {
  const h = hash(id);
  return `${ADJECTIVES[h % ADJECTIVES.length]} ${NOUNS[Math.floor(h / 20) % NOUNS.length]} ${10 + (Math.floor(h / 400) % 90)}`;
}

/** The name to show: the contact's own name, else its email or phone, else a generated one. */
export function displayName(
  id: string,
  contact: { name?: string | null; email?: string | null; phone?: string | null } | null,
): string {
  return contact?.name?.trim() || contact?.email || contact?.phone || generatedName(id);
}

/** Initials and a hue for an avatar: one or two letters of the name, the hue from the name. */
export function avatarOf(name: string): { initials: string; hue: number } {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => /^\p{L}/u.test(w));
  const initials = words
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? "")
    .join("");
  return { initials: initials || "?", hue: hash(name) % 360 };
}
