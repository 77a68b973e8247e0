/**
 * Opening hours: a time zone, one interval per weekday, holidays. Used for the workspace
 * (Routing) and for an inbox that keeps its own hours (Inboxes).
 */
import type { BusinessHours } from "../../../../workers/protocol/settings.ts";
import { useT } from "../../lib/i18n.ts";

const DAYS = ["0", "1", "2", "3", "4", "5", "6"] as const;
const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Hours to start from: the browser's time zone, nothing open yet. */
export function emptyHours(): BusinessHours {
  return { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, weekly: {}, holidays: [] };
}

export function HoursEditor({ value, onChange }: { value: BusinessHours; onChange: (h: BusinessHours) => void }) {
  const t = useT();
  const setDay = (d: (typeof DAYS)[number], field: "open" | "close" | "on", v: string | boolean) => {
    const cur = value.weekly[d]?.[0] ?? { open: "09:00", close: "18:00" };
    const weekly = { ...value.weekly };
    if (field === "on") {
      if (v) weekly[d] = [cur];
      else delete weekly[d];
    } else weekly[d] = [{ ...cur, [field]: String(v) }];
    onChange({ ...value, weekly });
  };
  return (
    <>
      <label>
        {t("timeZone")}
        <input value={value.timeZone} onInput={(e) => onChange({ ...value, timeZone: e.currentTarget.value })} />
      </label>
      <table>
        {DAYS.map((d, i) => {
          const iv = value.weekly[d]?.[0];
          return (
            <tr>
              <td>
                <label class="inline">
                  <input type="checkbox" checked={!!iv} onChange={(e) => setDay(d, "on", e.currentTarget.checked)} />{" "}
                  {DAY_NAMES[i]}
                </label>
              </td>
              <td>
                {iv && <input type="time" value={iv.open} onInput={(e) => setDay(d, "open", e.currentTarget.value)} />}
              </td>
              <td>
                {iv && (
                  <input type="time" value={iv.close} onInput={(e) => setDay(d, "close", e.currentTarget.value)} />
                )}
              </td>
            </tr>
          );
        })}
      </table>
      <label>
        Holidays (YYYY-MM-DD, comma-separated)
        <input
          value={value.holidays.join(", ")}
          onChange={(e) =>
            onChange({
              ...value,
              holidays: e.currentTarget.value
                .split(",")
                .map((x) => x.trim())
                .filter(Boolean),
            })
          }
        />
      </label>
    </>
  );
}
