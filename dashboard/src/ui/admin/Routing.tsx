/**
 * Routing mode, AI mode, business hours and SLA. The form edits a copy of the settings
 * and validates it with the server's own WorkspaceSettingsSchema before saving, so the
 * admin sees the same errors the API would give.
 */
import { useEffect, useState } from "preact/hooks";
import { WorkspaceSettingsSchema, type WorkspaceSettings } from "../../../../workers/protocol/settings.ts";
import { getSettings, putSettings } from "../../api/endpoints.ts";
import { useT } from "../../lib/i18n.ts";
import { ErrorBanner, useAsync } from "../common.tsx";
import { emptyHours, HoursEditor } from "./HoursEditor.tsx";
import { PRIORITIES } from "../../../../workers/protocol/vocabulary.ts";

const DEFAULT_SLA = {
  firstResponseMinutes: { low: 240, normal: 60, high: 30, urgent: 10 },
  resolutionMinutes: { low: 4320, normal: 1440, high: 480, urgent: 120 },
  businessHoursOnly: true,
};

export function Routing() {
  const t = useT();
  const loaded = useAsync(() => getSettings(), []);
  const [s, setS] = useState<WorkspaceSettings | null>(null);
  const [issues, setIssues] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (loaded.data) setS(loaded.data.settings);
  }, [loaded.data]);
  if (!s) return <ErrorBanner error={loaded.error} />;

  const bh = s.businessHours ?? emptyHours();
  const sla = s.sla ?? DEFAULT_SLA;

  const save = async () => {
    setSaved(false);
    const parsed = WorkspaceSettingsSchema.safeParse(s);
    if (!parsed.success) {
      setIssues(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
      return;
    }
    setIssues([]);
    try {
      const res = await putSettings(parsed.data);
      setS(res.settings);
      setSaved(true);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div class="col" style={{ maxWidth: "760px" }} data-testid="admin-routing">
      <h2>{t("routing")}</h2>
      <div class="grid2">
        <label>
          {t("routingMode")}
          <select
            value={s.routingMode}
            onChange={(e) =>
              setS({ ...s, routingMode: WorkspaceSettingsSchema.shape.routingMode.parse(e.currentTarget.value) })
            }
          >
            {["round_robin", "skill_based", "manual", "combined"].map((m) => (
              <option value={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          {t("aiMode")}
          <select
            value={s.aiMode}
            onChange={(e) => setS({ ...s, aiMode: WorkspaceSettingsSchema.shape.aiMode.parse(e.currentTarget.value) })}
          >
            {["autopilot", "copilot", "per_category"].map((m) => (
              <option value={m}>{m}</option>
            ))}
          </select>
        </label>
      </div>
      <div class="card col">
        <label class="inline">
          <input
            type="checkbox"
            checked={s.businessHours !== null}
            onChange={(e) => setS({ ...s, businessHours: e.currentTarget.checked ? bh : null })}
          />{" "}
          {t("businessHours")}
        </label>
        {s.businessHours && <HoursEditor value={bh} onChange={(h) => setS({ ...s, businessHours: h })} />}
      </div>
      <div class="card col">
        <label class="inline">
          <input
            type="checkbox"
            checked={s.sla !== null}
            onChange={(e) => setS({ ...s, sla: e.currentTarget.checked ? sla : null })}
          />{" "}
          {t("sla")}
        </label>
        {s.sla && (
          <>
            <table>
              <thead>
                <tr>
                  <th />
                  <th>{t("firstResponse")}</th>
                  <th>{t("resolution")}</th>
                </tr>
              </thead>
              {PRIORITIES.map((p) => (
                <tr>
                  <td>{p}</td>
                  <td>
                    <input
                      type="number"
                      value={sla.firstResponseMinutes[p]}
                      onInput={(e) =>
                        setS({
                          ...s,
                          sla: {
                            ...sla,
                            firstResponseMinutes: { ...sla.firstResponseMinutes, [p]: Number(e.currentTarget.value) },
                          },
                        })
                      }
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      value={sla.resolutionMinutes[p]}
                      onInput={(e) =>
                        setS({
                          ...s,
                          sla: {
                            ...sla,
                            resolutionMinutes: { ...sla.resolutionMinutes, [p]: Number(e.currentTarget.value) },
                          },
                        })
                      }
                    />
                  </td>
                </tr>
              ))}
            </table>
            <label class="inline">
              <input
                type="checkbox"
                checked={sla.businessHoursOnly}
                onChange={(e) => setS({ ...s, sla: { ...sla, businessHoursOnly: e.currentTarget.checked } })}
              />{" "}
              {t("businessHoursOnly")}
            </label>
          </>
        )}
      </div>
      <div class="card col">
        <label class="inline">
          <input
            type="checkbox"
            checked={s.afterHours.enabled}
            onChange={(e) => setS({ ...s, afterHours: { ...s.afterHours, enabled: e.currentTarget.checked } })}
          />{" "}
          After-hours message
        </label>
        <textarea
          rows={2}
          value={s.afterHours.message}
          onInput={(e) => setS({ ...s, afterHours: { ...s.afterHours, message: e.currentTarget.value } })}
        />
        <label class="inline">
          <input
            type="checkbox"
            checked={s.csat.enabled}
            onChange={(e) => setS({ ...s, csat: { ...s.csat, enabled: e.currentTarget.checked } })}
          />{" "}
          CSAT
        </label>
        <label class="inline">
          <input
            type="checkbox"
            checked={s.csat.askNps}
            onChange={(e) => setS({ ...s, csat: { ...s.csat, askNps: e.currentTarget.checked } })}
          />{" "}
          NPS
        </label>
      </div>
      {issues.length > 0 && (
        <div class="banner error" role="alert">
          {issues.map((i) => (
            <div>{i}</div>
          ))}
        </div>
      )}
      <ErrorBanner error={error} />
      <div class="row">
        <button class="primary" onClick={save} data-testid="save-settings">
          {t("save")}
        </button>
        {saved && <span class="small">{t("saved")}</span>}
      </div>
    </div>
  );
}
