/**
 * The workspace's context layers on the Ask page: proposed patterns (👍) and learnings
 * (👎, repairs) waiting for an analyst or admin to approve or reject — only approved ones
 * change answers — and, for admins, documentation and metric synonyms added directly.
 */
import { useState } from "preact/hooks";
import { addLayer, listLayers, reviewLayer } from "../api/analytics.ts";
import { useTA } from "../lib/i18n-analytics.ts";
import { ErrorBanner, useAsync } from "./common.tsx";

const LAYER_NAMES: Record<number, string> = {
  1: "schema notes",
  2: "metrics",
  3: "patterns",
  4: "documentation",
  5: "learnings",
};

export function AskLayers({ admin }: { admin: boolean }) {
  const ta = useTA();
  const layers = useAsync(() => listLayers(), []);
  const [error, setError] = useState<unknown>(null);
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const review = (id: string, status: "approved" | "rejected") =>
    void reviewLayer(id, status).then(layers.reload, setError);
  const items = layers.data?.items ?? [];
  const proposed = items.filter((e) => e.status === "proposed");
  return (
    <details class="card" data-testid="ask-layers" style={{ marginBottom: "12px" }}>
      <summary>
        {ta("layers")} · {proposed.length} {ta("proposed")}
      </summary>
      <ErrorBanner error={layers.error ?? error} />
      <table class="small">
        <tbody>
          {items.map((e) => (
            <tr data-testid="layer-entry" data-status={e.status}>
              <td>{LAYER_NAMES[e.layer] ?? e.layer}</td>
              <td style={{ maxWidth: "640px", overflowWrap: "anywhere" }}>
                {Object.entries(e.content)
                  .filter(([, v]) => v !== "" && v !== undefined)
                  .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
                  .join(" · ")}
              </td>
              <td>{e.status}</td>
              <td>
                {e.status === "proposed" && (
                  <>
                    <button type="button" onClick={() => review(e.id, "approved")} data-testid="layer-approve">
                      {ta("approve")}
                    </button>
                    <button type="button" onClick={() => review(e.id, "rejected")}>
                      {ta("reject")}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {admin && (
        <form
          class="row"
          style={{ gap: "6px", marginTop: "8px" }}
          onSubmit={(ev) => {
            ev.preventDefault();
            void addLayer({ layer: 4, content: { title, text } }).then(() => {
              setTitle("");
              setText("");
              layers.reload();
            }, setError);
          }}
        >
          <input placeholder={ta("docTitle")} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          <input
            style={{ flex: 1 }}
            placeholder={ta("docText")}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" disabled={!title.trim() || !text.trim()}>
            {ta("addDoc")}
          </button>
        </form>
      )}
    </details>
  );
}
