/**
 * Widget appearance (part of workspace settings) with a live preview and the embed
 * snippet. The quick preview is a styled mock that follows every keystroke; "load the
 * real widget" mounts /widget.js in embed mode inside a container (Shadow DOM, no iframe).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { WidgetAppearanceSchema, type WorkspaceSettings } from "../../../../workers/protocol/settings.ts";
import { LANGUAGE } from "../../../../workers/protocol/frames.ts";

type Lang = (typeof LANGUAGE.options)[number];
import { getSettings, putSettings } from "../../api/endpoints.ts";
import { useT } from "../../lib/i18n.ts";
import { ErrorBanner, useAsync } from "../common.tsx";

type Appearance = WorkspaceSettings["widget"];

function loadRealWidget(target: HTMLElement, widgetKey: string, a: Appearance): string | null {
  const init = () => {
    const w: unknown = Reflect.get(window, "OmniSupport");
    if (typeof w !== "object" || w === null || !("init" in w) || typeof w.init !== "function")
      return "widget.js did not register window.OmniSupport";
    w.init({
      widgetKey,
      mode: "embed",
      target,
      position: a.position,
      colors: { primary: a.primaryColor },
      texts: { title: a.title, greeting: a.greeting },
      showPoweredBy: a.showPoweredBy,
    });
    return null;
  };
  if (Reflect.get(window, "OmniSupport")) return init();
  const s = document.createElement("script");
  s.src = "/widget.js";
  s.async = true;
  s.onload = () => init();
  document.head.appendChild(s);
  return null;
}

export function WidgetSettings() {
  const t = useT();
  const loaded = useAsync(() => getSettings(), []);
  const [a, setA] = useState<Appearance | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [real, setReal] = useState<string | null>(null);
  const [lang, setLang] = useState<Lang>("ru");
  const realBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (loaded.data) setA(loaded.data.settings.widget);
  }, [loaded.data]);
  if (!a || !loaded.data) return <ErrorBanner error={loaded.error} />;
  const env = loaded.data;
  const snippet = `<script src="${location.origin}/widget.js" data-widget-key="${env.widgetKey}" data-position="${a.position}" data-color="${a.primaryColor}" async></script>`;
  const valid = WidgetAppearanceSchema.safeParse(a);

  const save = async () => {
    if (!valid.success) return;
    try {
      const res = await putSettings({ ...env.settings, widget: valid.data });
      setA(res.settings.widget);
      setSaved(true);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div class="grid2" data-testid="admin-widget">
      <div class="col">
        <h2>
          {t("widget")} · {t("appearance")}
        </h2>
        <label>
          {t("primaryColor")}
          <input
            type="color"
            value={a.primaryColor}
            onInput={(e) => setA({ ...a, primaryColor: e.currentTarget.value })}
          />
        </label>
        <label>
          {t("position")}
          <select
            value={a.position}
            onChange={(e) => setA({ ...a, position: e.currentTarget.value === "left" ? "left" : "right" })}
          >
            <option value="right">right</option>
            <option value="left">left</option>
          </select>
        </label>
        <label>
          {t("title")}
          <input value={a.title} maxLength={60} onInput={(e) => setA({ ...a, title: e.currentTarget.value })} />
        </label>
        <label>
          {t("greeting")}
          <textarea
            rows={2}
            maxLength={280}
            value={a.greeting}
            onInput={(e) => setA({ ...a, greeting: e.currentTarget.value })}
          />
        </label>
        <fieldset class="card col" data-testid="widget-texts">
          <legend>{t("perLanguage")}</legend>
          <select
            aria-label={t("language")}
            value={lang}
            onChange={(e) => setLang(LANGUAGE.parse(e.currentTarget.value))}
          >
            {LANGUAGE.options.map((l) => (
              <option value={l}>
                {l.toUpperCase()}
                {a.texts[l]?.title || a.texts[l]?.greeting ? " ✓" : ""}
              </option>
            ))}
          </select>
          <label>
            {t("title")} ({lang})
            <input
              name="text-title"
              value={a.texts[lang]?.title ?? ""}
              placeholder={a.title}
              maxLength={60}
              onInput={(e) =>
                setA({ ...a, texts: { ...a.texts, [lang]: { ...a.texts[lang], title: e.currentTarget.value } } })
              }
            />
          </label>
          <label>
            {t("greeting")} ({lang})
            <textarea
              name="text-greeting"
              rows={2}
              maxLength={280}
              placeholder={a.greeting}
              value={a.texts[lang]?.greeting ?? ""}
              onInput={(e) =>
                setA({ ...a, texts: { ...a.texts, [lang]: { ...a.texts[lang], greeting: e.currentTarget.value } } })
              }
            />
          </label>
        </fieldset>
        <label>
          Launcher
          <select
            value={a.launcherIcon}
            onChange={(e) =>
              setA({ ...a, launcherIcon: WidgetAppearanceSchema.shape.launcherIcon.parse(e.currentTarget.value) })
            }
          >
            {["chat", "help", "message"].map((x) => (
              <option value={x}>{x}</option>
            ))}
          </select>
        </label>
        <label class="inline">
          <input
            type="checkbox"
            checked={a.showPoweredBy}
            onChange={(e) => setA({ ...a, showPoweredBy: e.currentTarget.checked })}
          />{" "}
          Powered by OmniSupport
        </label>
        {!valid.success && (
          <div class="banner error">
            {valid.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
          </div>
        )}
        <ErrorBanner error={error} />
        <div class="row">
          <button class="primary" disabled={!valid.success} onClick={save}>
            {t("save")}
          </button>
          {saved && <span class="small">{t("saved")}</span>}
        </div>
        <h3>{t("embedSnippet")}</h3>
        <pre data-testid="embed-snippet">{snippet}</pre>
        <button onClick={() => navigator.clipboard?.writeText(snippet)}>Copy</button>
      </div>
      <div class="col">
        <h3>{t("preview")}</h3>
        <div class="widget-preview" data-testid="widget-preview">
          <div
            style={{
              position: "absolute",
              bottom: "80px",
              [a.position]: "16px",
              width: "260px",
              background: "var(--panel)",
              borderRadius: "12px",
              boxShadow: "0 4px 16px rgba(0,0,0,.2)",
              overflow: "hidden",
            }}
          >
            <div style={{ background: a.primaryColor, color: "#fff", padding: "10px 12px", fontWeight: 600 }}>
              {a.title}
            </div>
            <div style={{ padding: "12px" }}>
              <div class="msg">{a.greeting}</div>
            </div>
            {a.showPoweredBy && (
              <div class="small muted" style={{ textAlign: "center", padding: "4px" }}>
                Powered by OmniSupport
              </div>
            )}
          </div>
          <div
            style={{
              position: "absolute",
              bottom: "16px",
              [a.position]: "16px",
              width: "52px",
              height: "52px",
              borderRadius: "50%",
              background: a.primaryColor,
              color: "#fff",
              display: "grid",
              placeItems: "center",
              fontSize: "22px",
            }}
          >
            {a.launcherIcon === "help" ? "?" : a.launcherIcon === "message" ? "✉" : "💬"}
          </div>
        </div>
        <button
          onClick={() => realBox.current && setReal(loadRealWidget(realBox.current, env.widgetKey, a) ?? "loaded")}
        >
          Load the real widget (/widget.js)
        </button>
        {real && real !== "loaded" && <div class="banner error">{real}</div>}
        <div
          ref={realBox}
          style={{
            height: real ? "480px" : "0",
            border: real ? "1px solid var(--border)" : "none",
            borderRadius: "8px",
          }}
        />
      </div>
    </div>
  );
}
