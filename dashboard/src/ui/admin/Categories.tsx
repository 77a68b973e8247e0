/**
 * Category editor: instructions, allowed tools, provider/model, reasoning level and
 * auto-send policy; every save is a new version, any version can be restored.
 * The tool list offered is what the workspace's categories already use (the server
 * validates names), plus free entry.
 */
import { VersionDiff } from "./VersionDiff.tsx";
import { directoryStore, operatorName } from "../../directory.ts";
import { useStore } from "../../lib/store.ts";
import { useEffect, useState } from "preact/hooks";
import { categoryVersions, listCategories, putCategory, rollbackCategory, type Category } from "../../api/endpoints.ts";
import { dateTime } from "../../lib/format.ts";
import { useT } from "../../lib/i18n.ts";
import { navigate } from "../../router.ts";
import { ErrorBanner, Modal, useAsync } from "../common.tsx";

export function Categories({ selected }: { selected: string | null }) {
  const t = useT();
  const cats = useAsync(() => listCategories(), []);
  const items = cats.data?.items ?? [];
  const current = items.find((c) => c.key === selected) ?? null;
  const knownTools = [...new Set(items.flatMap((c) => c.allowedTools))].sort();
  return (
    <div class="col" data-testid="admin-categories">
      <h2>{t("categories")}</h2>
      <ErrorBanner error={cats.error} />
      <div class="row">
        {items.map((c) => (
          <button class={c.key === selected ? "primary" : ""} onClick={() => navigate(`/admin/categories/${c.key}`)}>
            {c.name} <span class="small">v{c.version}</span>
          </button>
        ))}
      </div>
      {current && (
        <Editor key={`${current.key}:${current.version}`} cat={current} knownTools={knownTools} onSaved={cats.reload} />
      )}
    </div>
  );
}

function Editor({ cat, knownTools, onSaved }: { cat: Category; knownTools: string[]; onSaved: () => void }) {
  const t = useT();
  const [f, setF] = useState({ ...cat });
  const [error, setError] = useState<unknown>(null);
  const versions = useAsync(() => categoryVersions(cat.key), [cat.key, cat.version]);
  useEffect(() => setF({ ...cat }), [cat]);
  const tools = [...new Set([...knownTools, ...f.allowedTools])];

  const save = async () => {
    try {
      await putCategory(cat.key, {
        name: f.name,
        instructions: f.instructions,
        allowedTools: f.allowedTools,
        provider: f.provider,
        model: f.model,
        reasoningLevel: f.reasoningLevel,
        autoSend: f.autoSend,
        retentionOffer: f.retentionOffer,
      });
      setError(null);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  const [review, setReview] = useState<number | null>(null);
  const dir = useStore(directoryStore);
  const rollback = async (version: number) => {
    try {
      await rollbackCategory(cat.key, version);
      setReview(null);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  const current = versions.data?.items.find((v) => v.version === cat.version)?.snapshot ?? { ...cat };
  const reviewed = versions.data?.items.find((v) => v.version === review) ?? null;

  return (
    <div class="grid2">
      <div class="card col">
        <label>
          {t("name")}
          <input value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />
        </label>
        <label>
          {t("instructions")}
          <textarea
            rows={10}
            value={f.instructions}
            onInput={(e) => setF({ ...f, instructions: e.currentTarget.value })}
          />
        </label>
        <div>
          <div class="small muted">{t("tools")}</div>
          {tools.map((tool) => (
            <label class="inline">
              <input
                type="checkbox"
                checked={f.allowedTools.includes(tool)}
                onChange={(e) =>
                  setF({
                    ...f,
                    allowedTools: e.currentTarget.checked
                      ? [...f.allowedTools, tool]
                      : f.allowedTools.filter((x) => x !== tool),
                  })
                }
              />{" "}
              {tool}
            </label>
          ))}
          <input
            placeholder="+ tool_name"
            onKeyDown={(e) => {
              const v = e.currentTarget.value.trim();
              if (e.key === "Enter" && v && !f.allowedTools.includes(v)) {
                setF({ ...f, allowedTools: [...f.allowedTools, v] });
                e.currentTarget.value = "";
              }
            }}
          />
        </div>
        <div class="grid2">
          <label>
            {t("provider")}
            <input value={f.provider} onInput={(e) => setF({ ...f, provider: e.currentTarget.value })} />
          </label>
          <label>
            {t("model")}
            <input value={f.model} onInput={(e) => setF({ ...f, model: e.currentTarget.value })} />
          </label>
          <label>
            {t("reasoning")}
            <select
              value={f.reasoningLevel}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (v === "minimal" || v === "low" || v === "medium" || v === "high") setF({ ...f, reasoningLevel: v });
              }}
            >
              {["minimal", "low", "medium", "high"].map((x) => (
                <option value={x}>{x}</option>
              ))}
            </select>
          </label>
          <label>
            {t("autoSend")}
            <select
              value={f.autoSend}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (v === "always" || v === "confident" || v === "never") setF({ ...f, autoSend: v });
              }}
            >
              {["always", "confident", "never"].map((x) => (
                <option value={x}>{x}</option>
              ))}
            </select>
          </label>
        </div>
        <label>
          {t("retentionOffer")}
          <textarea
            rows={2}
            value={f.retentionOffer ?? ""}
            onInput={(e) => setF({ ...f, retentionOffer: e.currentTarget.value || null })}
          />
        </label>
        <ErrorBanner error={error} />
        <button class="primary" onClick={save} data-testid="save-category">
          {t("save")} (v{cat.version + 1})
        </button>
      </div>
      <div class="card">
        <h3>{t("versions")}</h3>
        <ErrorBanner error={versions.error} />
        <table>
          {versions.data?.items.map((v) => (
            <tr>
              <td>
                v{v.version}
                {v.version === cat.version ? " ✓" : ""}
              </td>
              <td class="small">
                {dateTime(v.createdAt)}
                <div class="muted">{v.createdBy ? operatorName(dir, v.createdBy) : ""}</div>
              </td>
              <td>
                {v.version !== cat.version && (
                  <button data-testid={`review-v${v.version}`} onClick={() => setReview(v.version)}>
                    {t("rollback")}…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </table>
      </div>
      {reviewed && (
        <Modal title={`${t("rollback")}: v${cat.version} → v${reviewed.version}`} onClose={() => setReview(null)}>
          <p class="small muted">
            v{reviewed.version} · {dateTime(reviewed.createdAt)}
            {reviewed.createdBy ? ` · ${operatorName(dir, reviewed.createdBy)}` : ""}
          </p>
          <VersionDiff from={current} to={reviewed.snapshot} />
          <div class="row" style={{ justifyContent: "flex-end" }}>
            <button onClick={() => setReview(null)}>{t("cancel")}</button>
            <button class="primary" data-testid="rollback-confirm" onClick={() => rollback(reviewed.version)}>
              {t("rollback")} → v{reviewed.version}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
