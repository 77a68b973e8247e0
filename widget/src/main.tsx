/**
 * The loader and public API, built into public/widget.js.
 *
 *   <script src="https://host/widget.js" data-widget-key="…" data-mode="bubble|embed"
 *           data-target="#id" data-position="left|right" data-color="#0f766e"
 *           data-locale="he" data-launcher-icon="…" data-powered-by="false" async></script>
 *
 * or `OmniSupport.init({ widgetKey, mode, target, position, colors, texts, locale,
 * launcherIcon, showPoweredBy, origin })`, then `identify`, `open`, `close`, `setLocale`.
 * The UI renders into a Shadow DOM (no iframe) so host styles never leak either way.
 */
import { render } from "preact";
import css from "./styles.css?inline";
import { App } from "./app.tsx";
import type { UiState, WidgetOptions } from "./app.tsx";
import { ChatClient } from "./client.ts";
import { detectLang, isLang } from "./i18n.ts";
import type { Lang } from "./i18n.ts";
import type { Identity } from "./session.ts";
import { readJson, writeJson } from "./session.ts";
import { Store } from "./store.ts";

export type InitOptions = Partial<Omit<WidgetOptions, "colors" | "texts">> & {
  widgetKey: string;
  target?: string | HTMLElement;
  colors?: WidgetOptions["colors"];
  texts?: WidgetOptions["texts"];
  locale?: string;
  origin?: string;
};

type Api = {
  init(options: InitOptions): void;
  identify(identity: Identity): void;
  open(): void;
  close(): void;
  setLocale(locale: string): void;
  version: string;
};

const LANG_KEY = "omnisupport:lang";
const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
let ui: Store<UiState> | null = null;
let client: ChatClient | null = null;
let pendingIdentity: Identity | null = null;

function optionsFromScript(el: HTMLScriptElement): InitOptions | null {
  const d = el.dataset;
  if (!d.widgetKey) return null;
  return {
    widgetKey: d.widgetKey,
    mode: d.mode === "embed" ? "embed" : "bubble",
    ...(d.target ? { target: d.target } : {}),
    ...(d.position ? { position: d.position.includes("left") ? "left" : "right" } : {}),
    ...(d.color ? { colors: { primary: d.color } } : {}),
    ...(d.locale ? { locale: d.locale } : {}),
    ...(d.launcherIcon ? { launcherIcon: d.launcherIcon } : {}),
    ...(d.poweredBy ? { showPoweredBy: d.poweredBy !== "false" } : {}),
    ...(d.title ? { texts: { title: d.title } } : {}),
    ...(d.origin ? { origin: d.origin } : {}),
  };
}

function pickLang(requested?: string): Lang {
  if (isLang(requested)) return requested;
  const stored = readJson(LANG_KEY);
  if (isLang(stored)) return stored;
  return detectLang(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

function init(options: InitOptions): void {
  if (ui || !options.widgetKey) return;
  const origin = (
    options.origin ?? (script?.src ? new URL(script.src, location.href).origin : location.origin)
  ).replace(/\/$/, "");
  const mode = options.mode === "embed" ? "embed" : "bubble";
  const target = typeof options.target === "string" ? document.querySelector(options.target) : options.target;
  const mount = mode === "embed" ? target : document.body;
  if (!(mount instanceof HTMLElement)) {
    console.error("[OmniSupport] embed target not found:", options.target);
    return;
  }
  const lang = pickLang(options.locale);
  const store = new Store<UiState>({ open: false, lang });
  const chat = new ChatClient(origin, options.widgetKey, lang);
  store.subscribe(() => {
    if (chat.language !== store.value.lang) {
      chat.language = store.value.lang;
      writeJson(LANG_KEY, store.value.lang);
    }
  });
  ui = store;
  client = chat;

  const host = document.createElement("div");
  host.id = mode === "embed" ? "omnisupport-embed" : "omnisupport-widget";
  if (mode === "embed") host.style.cssText = "display:block;height:100%";
  mount.appendChild(host);
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = css;
  shadow.appendChild(style);
  const root = document.createElement("div");
  if (mode === "embed") root.style.height = "100%";
  shadow.appendChild(root);
  const opts: WidgetOptions = {
    mode,
    colors: options.colors ?? {},
    texts: options.texts ?? {},
    ...(options.position ? { position: options.position } : {}),
    ...(options.launcherIcon ? { launcherIcon: options.launcherIcon } : {}),
    ...(options.showPoweredBy !== undefined ? { showPoweredBy: options.showPoweredBy } : {}),
  };
  render(<App client={chat} ui={store} opts={opts} />, root);
  if (pendingIdentity) chat.identify(pendingIdentity);
  void chat.start();
}

const api: Api = {
  init,
  identify(identity) {
    pendingIdentity = identity;
    client?.identify(identity);
  },
  open: () => ui?.set({ open: true }),
  close: () => ui?.set({ open: false }),
  setLocale(locale) {
    if (isLang(locale)) ui?.set({ lang: locale });
  },
  version: "0.1.0",
};

declare global {
  interface Window {
    OmniSupport?: Api;
  }
}
window.OmniSupport = api;

const fromScript = script ? optionsFromScript(script) : null;
if (fromScript) init(fromScript);
