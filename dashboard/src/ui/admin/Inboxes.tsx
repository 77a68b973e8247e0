/**
 * Channel connections. Secrets are write-only: the form sends them once and the list
 * only shows which ones are configured (the API never returns values).
 */
import { useState } from "preact/hooks";
import { createInbox, deleteInbox, listInboxes } from "../../api/endpoints.ts";
import { loadDirectory } from "../../directory.ts";
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

export function Inboxes() {
  const t = useT();
  const list = useAsync(() => listInboxes(), []);
  const [channel, setChannel] = useState("widget");
  const [name, setName] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
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
