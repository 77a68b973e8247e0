/** AI traces of one conversation: every step with model, latency, tokens and cost. */
import { useState } from "preact/hooks";
import { traces } from "../../api/endpoints.ts";
import { dateTime } from "../../lib/format.ts";
import { useT } from "../../lib/i18n.ts";
import { navigate } from "../../router.ts";
import { ErrorBanner, useAsync } from "../common.tsx";

export function Traces({ conversationId }: { conversationId: string | null }) {
  const t = useT();
  const [id, setId] = useState(conversationId ?? "");
  const data = useAsync(() => (conversationId ? traces(conversationId) : Promise.resolve(null)), [conversationId]);
  const items = data.data?.items ?? [];
  const total = (k: "latencyMs" | "inputTokens" | "outputTokens" | "costUsd") => items.reduce((s, x) => s + x[k], 0);
  return (
    <div class="col" data-testid="admin-traces">
      <h2>{t("traces")}</h2>
      <form class="row" onSubmit={(e) => (e.preventDefault(), navigate(`/admin/traces/${encodeURIComponent(id)}`))}>
        <input placeholder={t("conversationId")} value={id} onInput={(e) => setId(e.currentTarget.value)} />
        <button class="primary" type="submit">
          {t("load")}
        </button>
      </form>
      <ErrorBanner error={data.error} />
      {items.length > 0 && (
        <>
          <div class="small muted">
            {items.length} steps · {total("latencyMs")} ms · {total("inputTokens")}/{total("outputTokens")} tokens · $
            {total("costUsd").toFixed(4)}
          </div>
          <table>
            <thead>
              <tr>
                <th>Step</th>
                <th>{t("model")}</th>
                <th>ms</th>
                <th>tokens</th>
                <th>$</th>
                <th />
              </tr>
            </thead>
            {items.map((x) => (
              <tr>
                <td>
                  {x.step}
                  <div class="small muted">{dateTime(x.createdAt)}</div>
                </td>
                <td>
                  {x.provider ? `${x.provider} · ` : ""}
                  {x.model ?? "—"}
                </td>
                <td>{x.latencyMs}</td>
                <td>
                  {x.inputTokens}/{x.outputTokens}
                </td>
                <td>{x.costUsd.toFixed(5)}</td>
                <td>
                  <details>
                    <summary class="small">raw</summary>
                    <pre>{JSON.stringify(x, null, 2)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </table>
        </>
      )}
    </div>
  );
}
