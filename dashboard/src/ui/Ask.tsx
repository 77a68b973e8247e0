/**
 * The Ask page (analysts and admins): a thread with the analytics agent — each answer
 * with its interpretation, warnings, the SQL (collapsible; admins edit and re-run it),
 * the table, a chart chosen for the result's shape, 👍/👎, pin and export — and the
 * personal dashboard of pinned questions, refreshed on demand.
 */
import { useState } from "preact/hooks";
import {
  addPin,
  askAgentStream,
  deletePin,
  listPins,
  runPin,
  sendFeedback,
  type AskResponse,
} from "../api/analytics.ts";
import { exportSheets, type ExportFormat } from "../lib/export.ts";
import { useTA } from "../lib/i18n-analytics.ts";
import { useStore } from "../lib/store.ts";
import { isAdmin, sessionStore } from "../session.ts";
import { ChartView } from "./ChartView.tsx";
import { AskLayers } from "./AskLayers.tsx";
import { ErrorBanner, errorText, useAsync } from "./common.tsx";

interface Turn {
  question: string;
  res: AskResponse;
}

const EXAMPLES = [
  "Conversations by channel in the last 30 days",
  "AI resolution rate by category last month",
  "Тренд CSAT по неделям за последние 8 недель",
  "Which operator has the lowest first response time?",
];

function cell(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return v === null || v === undefined ? "—" : String(v);
}

function sheetOf(res: AskResponse) {
  return {
    name: "Answer",
    rows: [
      res.columns,
      ...res.rows.map((r) =>
        r.map((v) => (typeof v === "number" || typeof v === "string" ? v : v === null ? null : String(v))),
      ),
    ],
  };
}

export function ExportButtons({ base, title, res }: { base: string; title: string; res: AskResponse }) {
  const ta = useTA();
  const run = (f: ExportFormat) => void exportSheets(base, f, title, [sheetOf(res)]);
  return (
    <span class="row small" style={{ gap: "4px" }}>
      {ta("export")}:
      <button type="button" onClick={() => run("csv")} data-testid="export-answer-csv">
        CSV
      </button>
      <button type="button" onClick={() => run("xlsx")} data-testid="export-answer-xlsx">
        XLSX
      </button>
      <button type="button" onClick={() => run("pdf")} data-testid="export-answer-pdf">
        PDF
      </button>
    </span>
  );
}

function ResultTable({ res }: { res: AskResponse }) {
  if (!res.columns.length) return null;
  return (
    <div style={{ maxHeight: "280px", overflow: "auto" }}>
      <table data-testid="answer-table" class="small">
        <thead>
          <tr>
            {res.columns.map((c) => (
              <th>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {res.rows.slice(0, 200).map((r) => (
            <tr>
              {r.map((v) => (
                <td>{cell(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AnswerCard({
  turn,
  admin,
  onRerun,
  onSuggest,
  onPinned,
}: {
  turn: Turn;
  admin: boolean;
  onRerun: (sql: string) => void;
  onSuggest: (q: string) => void;
  onPinned: () => void;
}) {
  const ta = useTA();
  const { res } = turn;
  const [sql, setSql] = useState(res.sql ?? "");
  const [feedback, setFeedback] = useState<"up" | "down" | "sent" | null>(null);
  const [correction, setCorrection] = useState("");
  const [error, setError] = useState<unknown>(null);
  const send = async (rating: "up" | "down", text?: string) => {
    try {
      await sendFeedback(res.turnId, { rating, ...(text ? { correction: text } : {}) });
      setFeedback("sent");
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="card" data-testid="answer" style={{ marginBottom: "12px" }}>
      <div class="small muted">{turn.question}</div>
      <p data-testid="answer-text" class={res.refused ? "banner na" : ""} style={{ whiteSpace: "pre-wrap" }}>
        {res.refused && <strong>{ta("refused")}: </strong>}
        {res.answer}
      </p>
      {res.closest.length > 0 && (
        <div class="row small" style={{ gap: "6px", flexWrap: "wrap" }}>
          {ta("closest")}:
          {res.closest.map((c) => (
            <button type="button" class="chip" onClick={() => onSuggest(c.label)}>
              {c.label}
            </button>
          ))}
        </div>
      )}
      {res.warnings.length > 0 && (
        <ul class="small" data-testid="answer-warnings">
          {res.warnings.map((w) => (
            <li>⚠ {w}</li>
          ))}
        </ul>
      )}
      {res.chart && <ChartView spec={res.chart} columns={res.columns} rows={res.rows} />}
      <ResultTable res={res} />
      {res.sql && (
        <details data-testid="answer-sql">
          <summary class="small">
            {ta("showSql")} · {res.rowCount} {ta("rows")} · {res.engine} · {res.ms} ms
          </summary>
          {admin ? (
            <>
              <textarea
                rows={5}
                style={{ width: "100%", fontFamily: "monospace" }}
                value={sql}
                onInput={(e) => setSql(e.currentTarget.value)}
                data-testid="answer-sql-edit"
              />
              <button type="button" onClick={() => onRerun(sql)} data-testid="answer-sql-run">
                {ta("runSql")}
              </button>
            </>
          ) : (
            <pre style={{ whiteSpace: "pre-wrap" }}>{res.sql}</pre>
          )}
        </details>
      )}
      <div class="small muted">
        {ta("layers")}: {res.layers.join(", ")}
      </div>
      <div class="row" style={{ gap: "6px", marginTop: "6px", flexWrap: "wrap" }}>
        {feedback === "sent" ? (
          <span class="small">{ta("thanks")}</span>
        ) : (
          <>
            <button type="button" title={ta("good")} onClick={() => void send("up")} data-testid="thumbs-up">
              👍 {ta("good")}
            </button>
            <button type="button" title={ta("bad")} onClick={() => setFeedback("down")} data-testid="thumbs-down">
              👎 {ta("bad")}
            </button>
          </>
        )}
        {!res.refused && (
          <button
            type="button"
            data-testid="pin-answer"
            onClick={() =>
              void addPin({ title: turn.question.slice(0, 120), question: turn.question }).then(onPinned, setError)
            }
          >
            📌 {ta("pin")}
          </button>
        )}
        {!res.refused && <ExportButtons base="omnisupport-answer" title={turn.question} res={res} />}
      </div>
      {feedback === "down" && (
        <div class="row" style={{ gap: "6px", marginTop: "6px" }}>
          <input
            style={{ flex: 1 }}
            placeholder={ta("correction")}
            value={correction}
            onInput={(e) => setCorrection(e.currentTarget.value)}
          />
          <button type="button" onClick={() => void send("down", correction)} disabled={!correction.trim()}>
            {ta("sendCorrection")}
          </button>
        </div>
      )}
      <ErrorBanner error={error} />
    </div>
  );
}

function PinnedCard({ id, title, onRemoved }: { id: string; title: string; onRemoved: () => void }) {
  const ta = useTA();
  const r = useAsync(() => runPin(id), [id]);
  return (
    <div class="card" data-testid="pin" style={{ minWidth: "260px", flex: "1 1 300px" }}>
      <div class="row" style={{ justifyContent: "space-between" }}>
        <strong class="small">{title}</strong>
        <span>
          <button type="button" onClick={r.reload} title={ta("refresh")}>
            ↻
          </button>
          <button type="button" onClick={() => void deletePin(id).then(onRemoved)} title={ta("unpin")}>
            ✕
          </button>
        </span>
      </div>
      <ErrorBanner error={r.error} />
      {r.data && (
        <>
          <div class="small">{r.data.answer}</div>
          {r.data.chart && <ChartView spec={r.data.chart} columns={r.data.columns} rows={r.data.rows} />}
        </>
      )}
    </div>
  );
}

export function Ask() {
  const ta = useTA();
  const session = useStore(sessionStore);
  const admin = isAdmin(session);
  const [question, setQuestion] = useState("");
  const [threadId, setThreadId] = useState<string | undefined>(undefined);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [busy, setBusy] = useState(false);
  const [stage, setStage] = useState("");
  const [error, setError] = useState<unknown>(null);
  const pins = useAsync(() => listPins(), []);

  const submit = async (q: string, sql?: string) => {
    if (!q.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await askAgentStream(
        { question: q.trim(), ...(threadId ? { threadId } : {}), ...(sql ? { sql } : {}) },
        setStage,
      );
      setThreadId(res.threadId);
      setTurns((ts) => [...ts, { question: q.trim(), res }]);
      setQuestion("");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setStage("");
    }
  };

  return (
    <div class="page" data-testid="ask">
      {pins.data && pins.data.items.length > 0 && (
        <section style={{ marginBottom: "16px" }}>
          <h3>{ta("myDashboard")}</h3>
          <div class="row" style={{ gap: "12px", flexWrap: "wrap", alignItems: "stretch" }}>
            {pins.data.items.map((p) => (
              <PinnedCard key={p.id} id={p.id} title={p.title} onRemoved={pins.reload} />
            ))}
          </div>
        </section>
      )}
      <h2>{ta("askTitle")}</h2>
      <AskLayers admin={admin} />
      {turns.length === 0 && (
        <div class="row small" style={{ gap: "6px", flexWrap: "wrap", marginBottom: "8px" }}>
          {ta("examples")}:
          {EXAMPLES.map((e) => (
            <button type="button" class="chip" onClick={() => setQuestion(e)}>
              {e}
            </button>
          ))}
        </div>
      )}
      {turns.map((t, i) => (
        <AnswerCard
          key={t.res.turnId}
          turn={t}
          admin={admin}
          onRerun={(sql) => void submit(turns[i]?.question ?? "SQL", sql)}
          onSuggest={(q) => setQuestion(q)}
          onPinned={pins.reload}
        />
      ))}
      <form
        class="row"
        style={{ gap: "8px", position: "sticky", bottom: 0, background: "var(--bg, inherit)", padding: "8px 0" }}
        onSubmit={(e) => {
          e.preventDefault();
          void submit(question);
        }}
      >
        <input
          data-testid="ask-input"
          style={{ flex: 1 }}
          value={question}
          placeholder={ta("askPlaceholder")}
          maxLength={500}
          onInput={(e) => setQuestion(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || !question.trim()} data-testid="ask-submit">
          {busy ? `${ta("asking")}${stage ? ` (${stage})` : ""}` : ta("askButton")}
        </button>
        {threadId && (
          <button
            type="button"
            onClick={() => {
              setThreadId(undefined);
              setTurns([]);
            }}
          >
            {ta("newThread")}
          </button>
        )}
      </form>
      {error !== null && <div class="banner error">{errorText(error)}</div>}
    </div>
  );
}
