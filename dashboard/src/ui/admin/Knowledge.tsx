/**
 * Knowledge base: upload (with byte progress, then the server's parsing/embedding
 * progress by polling), list with status, a document's chunks, and a test search.
 */
import { useEffect, useState } from "preact/hooks";
import {
  approveLearning,
  deleteDocument,
  dismissLearning,
  getDocument,
  listDocuments,
  listLearnings,
  runLearnings,
  searchKnowledge,
  uploadDocument,
} from "../../api/endpoints.ts";
import type { LearningProposal } from "../../../../workers/protocol/learnings.ts";
import { directoryStore } from "../../directory.ts";
import { dateTime } from "../../lib/format.ts";
import { useT } from "../../lib/i18n.ts";
import { useStore } from "../../lib/store.ts";
import { navigate } from "../../router.ts";
import { ErrorBanner, Progress, useAsync } from "../common.tsx";

export function Knowledge({ selected }: { selected: string | null }) {
  const t = useT();
  const dir = useStore(directoryStore);
  const docs = useAsync(() => listDocuments(), []);
  const [file, setFile] = useState<File | null>(null);
  const [category, setCategory] = useState("");
  const [uploading, setUploading] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  // Poll while anything is still being processed.
  const busy = docs.data?.items.some((d) => d.status !== "ready" && d.status !== "failed") ?? false;
  useEffect(() => {
    if (!busy) return;
    const i = setInterval(docs.reload, 1500);
    return () => clearInterval(i);
  }, [busy]);

  const doUpload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setUploading(0);
    try {
      await uploadDocument(file, category || null, setUploading);
      setError(null);
      setFile(null);
      docs.reload();
    } catch (err) {
      setError(err);
    } finally {
      setUploading(null);
    }
  };

  return (
    <div class="col" data-testid="admin-knowledge">
      <h2>{t("knowledge")}</h2>
      <form class="card row" onSubmit={doUpload}>
        <input
          type="file"
          name="file"
          accept=".pdf,.docx,.txt,.md,.html,.htm"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <select value={category} onChange={(e) => setCategory(e.currentTarget.value)} aria-label={t("category")}>
          <option value="">
            {t("category")}: {t("any")}
          </option>
          {dir.categories.map((c) => (
            <option value={c.key}>{c.name}</option>
          ))}
        </select>
        <button class="primary" type="submit" disabled={!file || uploading !== null} data-testid="upload">
          {t("upload")}
        </button>
        {uploading !== null && <Progress value={uploading} />}
      </form>
      <ErrorBanner error={error ?? docs.error} />
      <table data-testid="documents">
        <thead>
          <tr>
            <th>{t("title")}</th>
            <th>{t("category")}</th>
            <th>{t("status")}</th>
            <th>{t("chunks")}</th>
            <th />
          </tr>
        </thead>
        {docs.data?.items.map((d) => (
          <tr data-document-id={d.id} data-status={d.status}>
            <td>
              <a href={`#/admin/knowledge/${encodeURIComponent(d.id)}`}>{d.title}</a>
              <div class="small muted">
                {d.fileName} · {d.kind} · {Math.ceil(d.size / 1024)} KB · {d.source} · {dateTime(d.createdAt)}
              </div>
            </td>
            <td>{d.category ?? "—"}</td>
            <td>
              <span class={`badge ${d.status === "ready" ? "ok" : d.status === "failed" ? "breached" : ""}`}>
                {d.status}
              </span>
              {d.status !== "ready" && d.status !== "failed" && (
                <Progress value={d.progress > 1 ? d.progress / 100 : d.progress} />
              )}
              {d.error && (
                <div class="small" style={{ color: "var(--danger)" }}>
                  {d.error}
                </div>
              )}
            </td>
            <td>{d.chunkCount}</td>
            <td>
              <button
                class="danger"
                onClick={async () => {
                  try {
                    await deleteDocument(d.id);
                    docs.reload();
                    if (selected === d.id) navigate("/admin/knowledge");
                  } catch (err) {
                    setError(err);
                  }
                }}
              >
                {t("delete")}
              </button>
            </td>
          </tr>
        ))}
      </table>
      <Learnings onApproved={docs.reload} />
      <SearchBox />
      {selected && <Chunks id={selected} />}
    </div>
  );
}

/** Cross-customer learnings (issue 20): open proposals an admin approves (with the answer or instruction) or dismisses. */
function Learnings({ onApproved }: { onApproved: () => void }) {
  const t = useT();
  const items = useAsync(() => listLearnings(), []);
  const [error, setError] = useState<unknown>(null);
  // What the last decision did, so the admin sees where an approval went (or that a dismissal stuck).
  const [done, setDone] = useState<{ kind: "added" | "rule" | "dismissed"; label: string; href: string | null } | null>(
    null,
  );
  const act = async (f: () => Promise<void>) => {
    try {
      await f();
      setError(null);
      items.reload();
    } catch (err) {
      setError(err);
    }
  };
  const open = items.data?.items.filter((p) => p.status === "open") ?? [];
  return (
    <section class="card col" data-testid="learnings">
      <div class="row">
        <h3>{t("learnings")}</h3>
        <button onClick={() => void act(async () => void (await runLearnings()))} data-testid="find-patterns">
          {t("findPatterns")}
        </button>
      </div>
      <p class="small muted">{t("learningsHint")}</p>
      <ErrorBanner error={error ?? items.error} />
      {done && (
        <p class="small" data-testid="learning-done" data-kind={done.kind}>
          {t(
            done.kind === "added" ? "learningAdded" : done.kind === "rule" ? "learningRuleAdded" : "learningDismissed",
          )}{" "}
          {done.href ? <a href={done.href}>{done.label}</a> : <strong>{done.label}</strong>}
        </p>
      )}
      {open.length === 0 && <p class="muted">{t("noLearnings")}</p>}
      {open.map((p) => (
        <LearningItem
          key={p.id}
          p={p}
          onApprove={(text, title) =>
            act(async () => {
              if (p.kind === "knowledge") {
                const res = await approveLearning(p.id, { answer: text, ...(title ? { title } : {}) });
                setDone({
                  kind: "added",
                  label: title ?? p.title,
                  href: res.documentId ? `#/admin/knowledge/${encodeURIComponent(res.documentId)}` : null,
                });
                onApproved();
              } else {
                await approveLearning(p.id, { instruction: text });
                setDone({
                  kind: "rule",
                  label: p.category,
                  href: `#/admin/categories/${encodeURIComponent(p.category)}`,
                });
              }
            })
          }
          onDismiss={() =>
            act(async () => {
              await dismissLearning(p.id);
              setDone({ kind: "dismissed", label: p.title, href: null });
            })
          }
        />
      ))}
    </section>
  );
}

function LearningItem({
  p,
  onApprove,
  onDismiss,
}: {
  p: LearningProposal;
  onApprove: (text: string, title: string | null) => Promise<void>;
  onDismiss: () => Promise<void>;
}) {
  const t = useT();
  const [text, setText] = useState("");
  const [title, setTitle] = useState("");
  // Many customers ask in the same words: show each wording once.
  const examples = [...new Set(p.examples)].slice(0, 5);
  return (
    <div class="col" data-learning-id={p.id} data-kind={p.kind}>
      <strong>
        {p.category} · {p.title} · ×{p.occurrences}
      </strong>
      {p.pattern && (
        <div class="small">
          + {p.pattern.added.join(", ") || "—"} / − {p.pattern.removed.join(", ") || "—"}
        </div>
      )}
      <ul class="small muted">
        {examples.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
      {p.kind === "knowledge" && (
        // The proposal's own title is a bag of shared words; the document deserves a real one.
        <input
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
          placeholder={`${t("learningTitle")}: ${p.title}`}
          aria-label={t("learningTitle")}
          data-testid="learning-title"
        />
      )}
      <textarea
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        placeholder={p.kind === "knowledge" ? t("learningAnswer") : t("learningInstruction")}
        aria-label={p.kind === "knowledge" ? t("learningAnswer") : t("learningInstruction")}
        data-testid="learning-text"
      />
      <div class="row">
        <button
          class="primary"
          disabled={text.trim().length < 10 || (title.trim().length > 0 && title.trim().length < 3)}
          onClick={() => void onApprove(text.trim(), title.trim() ? title.trim() : null)}
          data-testid="learning-approve"
        >
          {t("approve")}
        </button>
        <button onClick={() => void onDismiss()} data-testid="learning-dismiss">
          {t("dismiss")}
        </button>
      </div>
    </div>
  );
}

function SearchBox() {
  const t = useT();
  const [q, setQ] = useState("");
  const [result, setResult] = useState<Awaited<ReturnType<typeof searchKnowledge>> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    try {
      setResult(await searchKnowledge(q));
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  const hits = result?.items ?? [];
  return (
    <div class="card col" data-testid="knowledge-search">
      <h3>{t("testSearch")}</h3>
      <form class="row" onSubmit={run}>
        <input name="q" style={{ flex: 1 }} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button class="primary" type="submit">
          {t("search")}
        </button>
      </form>
      <ErrorBanner error={error} />
      {result && hits.length === 0 && <div class="muted">{t("noData")}</div>}
      {hits.map((h) => (
        <div class="card" data-testid="search-hit">
          <div class="small muted">
            {h.documentTitle} {h.heading.join(" › ")} · {h.score.toFixed(3)}
          </div>
          <div>{h.text}</div>
        </div>
      ))}
    </div>
  );
}

function Chunks({ id }: { id: string }) {
  const t = useT();
  const doc = useAsync(() => getDocument(id), [id]);
  return (
    <div class="card col">
      <h3>
        {doc.data?.document.title ?? "…"} · {t("chunks")}
      </h3>
      <ErrorBanner error={doc.error} />
      {doc.data?.chunks.map((c) => (
        <div>
          <div class="small muted">
            #{c.ordinal} {c.heading.join(" › ")} {c.page !== null ? `· p.${c.page}` : ""} · {c.tokenCount} tok
          </div>
          <pre>{c.text}</pre>
        </div>
      ))}
    </div>
  );
}
