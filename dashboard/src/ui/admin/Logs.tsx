/** Audit log and the dead-letter queue (failed outbound/ingest jobs, with replay). */
import { useState } from "preact/hooks";
import { auditLog, deadLetters, replayDeadLetter } from "../../api/endpoints.ts";
import { directoryStore, operatorName } from "../../directory.ts";
import { dateTime } from "../../lib/format.ts";
import { useT } from "../../lib/i18n.ts";
import { useStore } from "../../lib/store.ts";
import { ErrorBanner, useAsync } from "../common.tsx";

export function AuditLog() {
  const t = useT();
  const dir = useStore(directoryStore);
  const log = useAsync(() => auditLog(200), []);
  return (
    <div class="col" data-testid="admin-audit">
      <h2>{t("audit")}</h2>
      <ErrorBanner error={log.error} />
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Detail</th>
          </tr>
        </thead>
        {log.data?.items.map((a) => (
          <tr>
            <td class="small">{dateTime(a.createdAt)}</td>
            <td>{a.actorType === "operator" ? operatorName(dir, a.actorId) : `${a.actorType} ${a.actorId ?? ""}`}</td>
            <td>
              <code>{a.action}</code>
            </td>
            <td class="small">
              {a.targetType ?? ""} {a.targetId ?? ""}
            </td>
            <td class="small">
              <code>{Object.keys(a.detail).length ? JSON.stringify(a.detail) : ""}</code>
            </td>
          </tr>
        ))}
      </table>
    </div>
  );
}

export function DeadLetters() {
  const t = useT();
  const list = useAsync(() => deadLetters(), []);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Record<string, boolean>>({});
  return (
    <div class="col" data-testid="admin-dead-letters">
      <h2>{t("deadLetters")}</h2>
      <ErrorBanner error={list.error ?? error} />
      <table>
        <thead>
          <tr>
            <th>Id</th>
            <th>Queue</th>
            <th>Error</th>
            <th>Attempts</th>
            <th />
          </tr>
        </thead>
        {list.data?.items.map((d) => (
          <tr>
            <td class="small">
              <code>{d.id}</code>
              <div class="muted">{dateTime(d.createdAt)}</div>
            </td>
            <td>{d.queue}</td>
            <td class="small">{d.error ?? ""}</td>
            <td>{d.attempts}</td>
            <td>
              {done[d.id] ? (
                "✓"
              ) : (
                <button
                  onClick={async () => {
                    try {
                      await replayDeadLetter(d.id);
                      setDone({ ...done, [d.id]: true });
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  {t("replay")}
                </button>
              )}
            </td>
          </tr>
        ))}
      </table>
    </div>
  );
}
