/** theme.ts reads localStorage at import and applies the theme through matchMedia and the root element. */
import { beforeEach, describe, expect, it, vi } from "vitest";

let storage: Map<string, string>;
let systemDark = false;
const mediaListeners: (() => void)[] = [];
const root = { dataset: {} as Record<string, string> };

beforeEach(() => {
  vi.resetModules();
  storage = new Map();
  systemDark = false;
  mediaListeners.length = 0;
  root.dataset = {};
  vi.stubGlobal("localStorage", {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
  });
  vi.stubGlobal("matchMedia", () => ({
    get matches() {
      return systemDark;
    },
    addEventListener: (_: string, fn: () => void) => mediaListeners.push(fn),
  }));
  vi.stubGlobal("document", { documentElement: root });
});

const load = () => import("../../../../dashboard/src/lib/theme.ts");

describe("dashboard theme", () => {
  it("follows the system scheme by default, live", async () => {
    const { initTheme, themeStore } = await load();
    expect(themeStore.get()).toBe("system");
    initTheme();
    expect(root.dataset.theme).toBe("light");
    systemDark = true;
    for (const fn of mediaListeners) fn();
    expect(root.dataset.theme).toBe("dark");
  });

  it("a user's pick overrides the system and is remembered", async () => {
    const { initTheme, themeStore } = await load();
    systemDark = true;
    initTheme();
    themeStore.set("light");
    expect(root.dataset.theme).toBe("light");
    expect(storage.get("os.theme")).toBe("light");
    vi.resetModules();
    const again = await load();
    expect(again.themeStore.get()).toBe("light");
  });

  it("an unknown stored value falls back to the system", async () => {
    storage.set("os.theme", "purple");
    const { themeStore } = await load();
    expect(themeStore.get()).toBe("system");
  });
});
