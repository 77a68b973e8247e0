/**
 * Channel connections. Secrets are write-only: the form sends them once and the list
 * only shows which ones are configured (the API never returns values).
 */
import { useState } from "preact/hooks";
import { createInbox, deleteInbox, listInboxes, patchInbox, type Inbox, type InboxPatch } from "../../api/endpoints.ts";
import { directoryStore, loadDirectory } from "../../directory.ts";
import { useStore } from "../../lib/store.ts";
import { useT } from "../../lib/i18n.ts";
import { ErrorBanner, useAsync } from "../common.tsx";

/** Per channel: settings fields and secret fields the API expects. */
const FIELDS: Record<string, { settings: string[]; secrets: string[] }> = {
  widget: { settings: [], secrets: [] },
  email: { settings: ["address", "fromName"], secrets: [] },
  telegram: { settings: ["botUsername"], secrets: ["botToken", "secretToken"] },
  whatsapp: { settings: ["phoneNumberId", "businessAccountId"], secrets: ["accessToken", "appSecret", "verifyToken"] },
  messenger: { settings: ["pageId"], secrets: ["pageAccessToken", "appSecret", "verifyToken"] },
};

/** The editable part of one inbox: its name and what it changes of the workspace settings. */
function InboxEditor({ inbox, onSaved }: { inbox: Inbox; onSaved: () => void }) {
  const t = useT();
  const teams = useStore(directoryStore).teams;
  const str = (k: string) => (typeof inbox.settings[k] === "string" ? String(inbox.settings[k]) : "");
  const [name, setName] = useState(inbox.name);
  const [greeting, setGreeting] = useState(str("greeting"));
  const [hours, setHours] = useState(str("hours"));
  const [csat, setCsat] = useState(
    typeof inbox.settings.csatEnabled === "boolean" ? String(inbox.settings.csatEnabled) : "",
  );
  const [teamId, setTeamId] = useState(str("teamId"));
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const body: InboxPatch = {
      name,
      greeting: inbox.channel === "widget" && greeting.trim() ? greeting.trim() : null,
      hours: hours === "always" || hours === "workspace" ? hours : null,
      csatEnabled: csat === "" ? null : csat === "true",
      teamId: teamId || null,
    };
    try {
      await patchInbox(inbox.id, body);
      setError(null);
      setMsg(t("saved"));
      onSaved();
    } catch (err) {
      setMsg(null);
      setError(err);
    }
  };
  return (
    <form class="card col" data-testid="inbox-editor" onSubmit={save}>
      <div class="grid2">
        <label>
          {t("name")}
          <input
            name="inbox-name"
            required
            maxLength={80}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        {inbox.channel === "widget" && (
          <label>
            {t("greeting")}
            <input
              name="inbox-greeting"
              maxLength={280}
              placeholder={t("asWorkspace")}
              value={greeting}
              onInput={(e) => setGreeting(e.currentTarget.value)}
            />
          </label>
        )}
        <label>
          {t("businessHours")}
          <select name="inbox-hours" value={hours} onChange={(e) => setHours(e.currentTarget.value)}>
            <option value="">{t("asWorkspace")}</option>
            <option value="workspace">{t("hoursWorkspace")}</option>
            <option value="always">{t("hoursAlways")}</option>
          </select>
        </label>
        <label>
          {t("csat")}
          <select name="inbox-csat" value={csat} onChange={(e) => setCsat(e.currentTarget.value)}>
            <option value="">{t("asWorkspace")}</option>
            <option value="true">{t("csatOn")}</option>
            <option value="false">{t("csatOff")}</option>
          </select>
        </label>
        <label>
          {t("team")}
          <select name="inbox-team" value={teamId} onChange={(e) => setTeamId(e.currentTarget.value)}>
            <option value="">{t("noTeam")}</option>
            {teams.map((tm) => (
              <option value={tm.id}>{tm.name}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={error} />
      <div class="row">
        <button class="primary" type="submit" data-testid="inbox-save">
          {t("save")}
        </button>{" "}
        <span class="small">{msg}</span>
      </div>
    </form>
  );
}

export function Inboxes() {
  const t = useT();
  const list = useAsync(() => listInboxes(), []);
  const [channel, setChannel] = useState("widget");
  const [name, setName] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const spec = FIELDS[channel] ?? { settings: [], secrets: [] };

  const submit = async (e: Event) => {
    e.preventDefault();
    const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => values[k]).map((k) => [k, values[k]]));
    const body: Record<string, unknown> = { channel, name, settings: pick(spec.settings) };
    if (spec.secrets.length) body.secrets = pick(spec.secrets);
    try {
      await createInbox(body);
      setValues({});
      setName("");
      setError(null);
      list.reload();
      void loadDirectory();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="col" data-testid="admin-inboxes">
      <h2>{t("inboxes")}</h2>
      <ErrorBanner error={list.error} />
      <table>
        <thead>
          <tr>
            <th>{t("name")}</th>
            <th>{t("channel")}</th>
            <th>{t("secrets")}</th>
            <th>{t("webhook")}</th>
            <th />
          </tr>
        </thead>
        {list.data?.items.map((i) => (
          <tr>
            <td>
              {i.name} {!i.enabled && <span class="badge">disabled</span>}
              <div class="small muted">{i.id}</div>
            </td>
            <td>{i.channel}</td>
            <td class="small">
              {i.configuredSecrets.map((s) => (
                <span class="badge ok">{s} ✓</span>
              ))}
            </td>
            <td class="small">
              <code>{i.webhookUrl ?? "—"}</code>
            </td>
            <td>
              <button data-testid="inbox-edit" onClick={() => setEditing(editing === i.id ? null : i.id)}>
                {t("edit")}
              </button>{" "}
              {i.enabled && (
                <button
                  class="danger"
                  onClick={async () => {
                    try {
                      await deleteInbox(i.id);
                      list.reload();
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  {t("delete")}
                </button>
              )}
            </td>
          </tr>
        ))}
      </table>
      {list.data?.items
        .filter((i) => i.id === editing)
        .map((i) => (
          <InboxEditor
            key={i.id}
            inbox={i}
            onSaved={() => {
              list.reload();
              void loadDirectory();
            }}
          />
        ))}
      <form class="card col" style={{ maxWidth: "520px" }} onSubmit={submit}>
        <h3>{t("create")}</h3>
        <div class="grid2">
          <label>
            {t("channel")}
            <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
              {Object.keys(FIELDS).map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            {t("name")}
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          {spec.settings.map((k) => (
            <label>
              {k}
              <input value={values[k] ?? ""} onInput={(e) => setValues({ ...values, [k]: e.currentTarget.value })} />
            </label>
          ))}
          {spec.secrets.map((k) => (
            <label>
              {k} 🔒
              <input
                type="password"
                autocomplete="off"
                value={values[k] ?? ""}
                onInput={(e) => setValues({ ...values, [k]: e.currentTarget.value })}
              />
            </label>
          ))}
        </div>
        <ErrorBanner error={error} />
        <button class="primary" type="submit">
          {t("create")}
        </button>
      </form>
    </div>
  );
}
