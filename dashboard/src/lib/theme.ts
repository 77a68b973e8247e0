/** Light/dark theme: follows prefers-color-scheme unless the user picks one. */
import { createStore } from "./store.ts";

export type ThemeChoice = "system" | "light" | "dark";

function initial(): ThemeChoice {
  const v = localStorage.getItem("os.theme");
  return v === "light" || v === "dark" ? v : "system";
}

export const themeStore = createStore<ThemeChoice>(initial());

function apply(choice: ThemeChoice): void {
  const dark = choice === "dark" || (choice === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

export function initTheme(): void {
  apply(themeStore.get());
  themeStore.subscribe((c) => {
    localStorage.setItem("os.theme", c);
    apply(c);
  });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => apply(themeStore.get()));
}
