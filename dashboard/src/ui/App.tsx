/**
 * The shell: login gate, top bar (navigation, presence switch, notifications, language,
 * theme) and the routed screen. Connects the presence socket once logged in and turns
 * `notify` frames into desktop notifications with a beep.
 */
import { useEffect, useState } from "preact/hooks";
import { loadDirectory } from "../directory.ts";
import { langStore, useT } from "../lib/i18n.ts";
import { startTitleBadge } from "../lib/unread.ts";
import { enableNotifications, notificationsEnabled, notify } from "../lib/notify.ts";
import { useStore } from "../lib/store.ts";
import { themeStore } from "../lib/theme.ts";
import {
  colleagues,
  connectPresence,
  disconnectPresence,
  myStatus,
  onNotify,
  presenceConn,
  presenceSynced,
  setStatus,
} from "../realtime/presence.ts";
import { navigate, useRoute } from "../router.ts";
import { canOpenAdminPage, isAdmin, sessionChecked, sessionStore, signOut } from "../session.ts";
import { Admin } from "./admin/Admin.tsx";
import { EvalLab } from "./evals/EvalLab.tsx";
import { Login } from "./Login.tsx";
import { Reports } from "./Reports.tsx";
import { Ask } from "./Ask.tsx";
import { useTA } from "../lib/i18n-analytics.ts";
import { Workspace } from "./Workspace.tsx";
import { MentionsButton, Toasts } from "./Mentions.tsx";
import { Contacts } from "./Contacts.tsx";

export function App() {
  const t = useT();
  const ta = useTA();
  const session = useStore(sessionStore);
  const checked = useStore(sessionChecked);
  const route = useRoute();
  const status = useStore(myStatus);
  const conn = useStore(presenceConn);
  const synced = useStore(presenceSynced);
  const team = useStore(colleagues);
  const lang = useStore(langStore);
  const theme = useStore(themeStore);
  const [notifOn, setNotifOn] = useState(notificationsEnabled());

  useEffect(() => {
    if (!session) return;
    void loadDirectory();
    connectPresence(session.operator.workspaceId);
    const stopTitle = startTitleBadge("OmniSupport");
    const off = onNotify((n) =>
      notify(n.kind === "new_conversation" ? t("newConversation") : n.kind, n.text, () =>
        navigate(`/inbox/${encodeURIComponent(n.conversationId)}`),
      ),
    );
    return () => {
      off();
      stopTitle();
      disconnectPresence();
    };
  }, [session?.operator.id]);

  if (!checked) return null;
  if (!session) return <Login />;
  const section = route[0] ?? "inbox";
  if (!route.length) navigate("/inbox");

  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">OmniSupport</span>
        <nav>
          <a href="#/inbox" class={section === "inbox" ? "active" : ""}>
            {t("inbox")}
          </a>
          <a href="#/contacts" class={section === "contacts" ? "active" : ""}>
            {t("contacts")}
          </a>
          <a href="#/reports" class={section === "reports" ? "active" : ""}>
            {t("reports")}
          </a>
          {(isAdmin(session) || session.operator.role === "analyst") && (
            <a href="#/ask" class={section === "ask" ? "active" : ""} data-testid="nav-ask">
              {ta("ask")}
            </a>
          )}
          <a href="#/evals/sets" class={section === "evals" ? "active" : ""} data-testid="nav-evals">
            {t("evalLab")}
          </a>
          {isAdmin(session) && (
            <a href="#/admin" class={section === "admin" ? "active" : ""}>
              {t("admin")}
            </a>
          )}
        </nav>
        <span class="spacer" />
        <span
          class="row small"
          title={`presence socket: ${conn}`}
          data-presence-synced={String(synced)}
          data-server-status={session ? (team.find((o) => o.id === session.operator.id)?.status ?? "") : ""}
        >
          <span class={`dot ${status}`} />
          <select
            aria-label={t("status")}
            data-testid="presence-status"
            disabled={session.operator.role === "analyst"}
            value={status}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v === "online" || v === "away" || v === "break" || v === "offline") setStatus(v);
            }}
          >
            <option value="online">{t("online")}</option>
            <option value="away">{t("away")}</option>
            <option value="break">{t("break")}</option>
            <option value="offline">{t("offline")}</option>
          </select>
          <span class="muted" data-testid="presence-conn">
            {conn === "open"
              ? synced
                ? t("live")
                : t("connecting")
              : conn === "connecting"
                ? t("connecting")
                : t("disconnected")}
          </span>
        </span>
        <MentionsButton me={session.operator.id} />
        <button
          onClick={async () => setNotifOn(await enableNotifications())}
          title={t("enableNotifications")}
          data-testid="enable-notifications"
        >
          <svg
            width="14"
            height="14"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            aria-hidden="true"
          >
            <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
            <path d="M13.7 21a2 2 0 0 1-3.4 0" />
            {!notifOn && <path d="M2 2l20 20" />}
          </svg>
        </button>
        <select
          aria-label={t("language")}
          value={lang}
          onChange={(e) => langStore.set(e.currentTarget.value === "ru" ? "ru" : "en")}
          data-testid="lang"
        >
          <option value="en">EN</option>
          <option value="ru">RU</option>
        </select>
        <select
          aria-label={t("theme")}
          value={theme}
          onChange={(e) => {
            const v = e.currentTarget.value;
            themeStore.set(v === "light" || v === "dark" ? v : "system");
          }}
          data-testid="theme"
        >
          <option value="system">{t("system")}</option>
          <option value="light">{t("light")}</option>
          <option value="dark">{t("dark")}</option>
        </select>
        <span class="small operator-name">{session.operator.name}</span>
        <button onClick={() => void signOut()}>{t("signOut")}</button>
      </header>
      <Toasts />
      <main class="main">
        {section === "inbox" && (
          <Workspace session={session} selectedId={route[1] ?? null} focusMessageId={route[2] ?? null} />
        )}
        {section === "contacts" && <Contacts session={session} selectedId={route[1] ?? null} />}
        {section === "reports" && <Reports />}
        {section === "ask" && <Ask />}
        {section === "admin" &&
          (canOpenAdminPage(session, route[1]) ? (
            <Admin sub={route[1] ?? "team"} arg={route[2] ?? null} />
          ) : (
            // A non-admin who follows a link here sees why, not a page of 403 banners.
            <p class="muted" data-testid="admin-only">
              {t("adminOnly")}
            </p>
          ))}
        {section === "evals" && <EvalLab sub={route[1] ?? "sets"} arg={route[2] ?? null} />}
      </main>
    </div>
  );
}
