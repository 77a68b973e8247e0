/**
 * The Eval Lab (issue 14): test sets (upload with a mapping preview, the synthetic demo
 * set), runs (start with a cost estimate, live progress over the run's socket, cancel /
 * pause / resume), results (per-case table with filters, CSV export, review queue with
 * judge-vs-human agreement) and comparison (deltas with 95 % intervals, McNemar, per
 * category, regressions) with promote / rollback. Screen text is English only for now.
 */
import PartySocket from "partysocket";
import { useEffect, useState } from "preact/hooks";
import {
  agreement,
  compareRuns,
  controlRun,
  createDemoSet,
  estimateRun,
  getRun,
  listRuns,
  listSets,
  previewCsv,
  ProgressFrame,
  promoteRun,
  reviewQueue,
  rollbackRun,
  runCases,
  startRun,
  submitReview,
  uploadSet,
  type Comparison,
  type Run,
} from "../../api/evals.ts";
import { socketTicket } from "../../api/endpoints.ts";
import { CANONICAL_COLUMNS } from "../../../../workers/protocol/evals.ts";
import { navigate } from "../../router.ts";
import { ErrorBanner, Progress, useAsync } from "../common.tsx";

const pct = (x: unknown) => (typeof x === "number" ? `${(x * 100).toFixed(1)} %` : "–");

export function EvalLab({ sub, arg }: { sub: string; arg: string | null }) {
  return (
    <div class="col" data-testid="eval-lab">
      <nav class="row">
        <a href="#/evals/sets">Test sets</a>
        <a href="#/evals/runs">Runs</a>
        <a href="#/evals/compare">Compare</a>
      </nav>
      {sub === "sets" && <Sets />}
      {sub === "runs" && !arg && <Runs />}
      {sub === "runs" && arg && <RunDetail id={arg} />}
      {sub === "compare" && <Compare />}
    </div>
  );
}

function Sets() {
  const sets = useAsync(() => listSets(), []);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [preview, setPreview] = useState<{ columns: string[]; rows: string[][] } | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [details, setDetails] = useState<Array<{ row: number; column: string | null; message: string }>>([]);

  const pick = async (f: File | null) => {
    setFile(f);
    setDetails([]);
    setError(null);
    if (!f) return;
    setName(f.name.replace(/\.csv$/i, ""));
    try {
      const p = await previewCsv(f);
      setPreview(p);
      setMapping(p.mapping);
    } catch (e) {
      setError(e);
    }
  };
  const doUpload = async () => {
    if (!file) return;
    try {
      setProgress(0);
      await uploadSet(file, name, mapping, setProgress);
      setFile(null);
      setPreview(null);
      sets.reload();
    } catch (e) {
      setError(e);
      const d = e instanceof Error && "details" in e && Array.isArray(e.details) ? e.details : [];
      setDetails(d.filter((x): x is { row: number; column: string | null; message: string } => typeof x === "object"));
    } finally {
      setProgress(null);
    }
  };
  return (
    <div class="col">
      <h2>Test sets</h2>
      <ErrorBanner error={sets.error ?? error} />
      <div class="row">
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="csv-file"
          onChange={(e) => void pick(e.currentTarget.files?.[0] ?? null)}
        />
        <button
          onClick={async () => {
            try {
              await createDemoSet(5000);
              sets.reload();
            } catch (e) {
              setError(e);
            }
          }}
        >
          Add the demo set (5,000 synthetic tickets)
        </button>
      </div>
      {preview && (
        <div class="col" data-testid="mapping-preview">
          <label>
            Name <input value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="set-name" />
          </label>
          <table>
            <thead>
              <tr>
                <th>Column</th>
                <th>CSV header</th>
              </tr>
            </thead>
            <tbody>
              {CANONICAL_COLUMNS.map((c) => (
                <tr>
                  <td>{c}</td>
                  <td>
                    <select
                      data-testid={`map-${c}`}
                      value={mapping[c] ?? ""}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        const next = { ...mapping };
                        if (v) next[c] = v;
                        else delete next[c];
                        setMapping(next);
                      }}
                    >
                      <option value="">—</option>
                      {preview.columns.map((h) => (
                        <option value={h}>{h}</option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="small">
            <thead>
              <tr>
                {preview.columns.map((h) => (
                  <th>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.slice(0, 5).map((r) => (
                <tr>
                  {r.map((v) => (
                    <td>{v.slice(0, 80)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <button class="primary" onClick={() => void doUpload()} data-testid="import">
            Import
          </button>
          {progress !== null && <Progress value={progress} />}
        </div>
      )}
      {details.length > 0 && (
        <ul data-testid="import-errors">
          {details.map((d) => (
            <li>
              row {d.row}
              {d.column ? ` (${d.column})` : ""}: {d.message}
            </li>
          ))}
        </ul>
      )}
      <table data-testid="sets">
        <thead>
          <tr>
            <th>Name</th>
            <th>Source</th>
            <th>Version</th>
            <th>Rows</th>
          </tr>
        </thead>
        <tbody>
          {(sets.data?.items ?? []).map((s) => (
            <tr>
              <td>{s.name}</td>
              <td>{s.source}</td>
              <td>v{s.latestVersion}</td>
              <td>{s.rows}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Live progress of a run over its socket (at least one frame a second while it runs). */
function useProgress(run: Run | null): ProgressFrame | null {
  const [frame, setFrame] = useState<ProgressFrame | null>(null);
  useEffect(() => {
    if (!run || run.status === "done" || run.status === "cancelled") return;
    const socket = new PartySocket({
      host: location.host,
      party: "eval-run",
      room: run.id,
      // A 60-second socket ticket, never the session token, in the socket URL (issue 21, item 13).
      query: async () => ({ token: (await socketTicket()).ticket }),
    });
    socket.addEventListener("message", (e: MessageEvent) => {
      try {
        const f = ProgressFrame.safeParse(JSON.parse(String(e.data)));
        if (f.success) setFrame(f.data);
      } catch {
        // not a frame
      }
    });
    return () => socket.close();
  }, [run?.id, run?.status]);
  return frame;
}

function RunRow({ run, onChange }: { run: Run; onChange: () => void }) {
  const live = useProgress(run);
  const done = live?.done ?? run.done;
  const status = live?.status ?? run.status;
  useEffect(() => {
    if (live && (live.status === "done" || live.status === "paused") && live.status !== run.status) onChange();
  }, [live?.status]);
  return (
    <tr data-testid={`run-${run.id}`} data-status={status}>
      <td>
        <a href={`#/evals/runs/${encodeURIComponent(run.id)}`}>{String(run.variant.name ?? run.id)}</a>
      </td>
      <td data-testid="run-status">{status}</td>
      <td style={{ minWidth: "160px" }}>
        <Progress value={run.total ? done / run.total : 0} />
        <span class="small" data-testid="run-progress">
          {done} / {run.total}
          {live?.etaSeconds != null ? ` · ETA ${live.etaSeconds}s` : ""}
        </span>
      </td>
      <td>{pct(live?.passRate ?? run.passRate)}</td>
      <td>${(live?.costUsd ?? run.costUsd).toFixed(4)}</td>
      <td>
        {(status === "running" || status === "queued") && (
          <button onClick={() => void controlRun(run.id, "cancel").then(onChange)}>Cancel</button>
        )}
        {status === "paused" && (
          <button onClick={() => void controlRun(run.id, "resume").then(onChange)}>Resume</button>
        )}
      </td>
    </tr>
  );
}

function Runs() {
  const runs = useAsync(() => listRuns(), []);
  const sets = useAsync(() => listSets(), []);
  const [setId, setSetId] = useState("");
  const [name, setName] = useState("local");
  const [provider, setProvider] = useState("");
  const [model, setModel] = useState("");
  const [versions, setVersions] = useState("");
  const [repeats, setRepeats] = useState(1);
  const [estimate, setEstimate] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const input = () => {
    const cv: Record<string, number> = {};
    for (const part of versions
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean)) {
      const [k, v] = part.split("=");
      if (k && v && Number(v) > 0) cv[k.trim()] = Number(v);
    }
    return {
      testSetId: setId || (sets.data?.items[0]?.id ?? ""),
      variant: {
        name,
        ...(provider ? { provider } : {}),
        ...(model ? { model } : {}),
        ...(Object.keys(cv).length ? { categoryVersions: cv } : {}),
      },
      repeats,
      costCapUsd: null,
    };
  };
  useEffect(() => {
    if (!sets.data?.items.length) return;
    void estimateRun(input()).then(
      (e) => setEstimate(e.estimateUsd),
      () => setEstimate(null),
    );
  }, [setId, provider, model, repeats, sets.data]);
  return (
    <div class="col">
      <h2>Runs</h2>
      <ErrorBanner error={runs.error ?? error} />
      <div class="row" data-testid="start-run">
        <select value={setId} onChange={(e) => setSetId(e.currentTarget.value)} data-testid="run-set">
          {(sets.data?.items ?? []).map((s) => (
            <option value={s.id}>
              {s.name} (v{s.latestVersion}, {s.rows})
            </option>
          ))}
        </select>
        <input
          placeholder="variant name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          data-testid="variant-name"
        />
        <input placeholder="provider" value={provider} onInput={(e) => setProvider(e.currentTarget.value)} />
        <input placeholder="model" value={model} onInput={(e) => setModel(e.currentTarget.value)} />
        <input
          placeholder="category versions: skip_month=3"
          value={versions}
          onInput={(e) => setVersions(e.currentTarget.value)}
        />
        <input
          type="number"
          min={1}
          max={10}
          value={repeats}
          onInput={(e) => setRepeats(Number(e.currentTarget.value) || 1)}
        />
        <span class="small">estimate ${estimate?.toFixed(4) ?? "–"}</span>
        <button
          class="primary"
          data-testid="start"
          onClick={async () => {
            try {
              await startRun(input());
              runs.reload();
            } catch (e) {
              setError(e);
            }
          }}
        >
          Start run
        </button>
      </div>
      <table data-testid="runs">
        <thead>
          <tr>
            <th>Variant</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Pass rate</th>
            <th>Cost</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(runs.data?.items ?? []).map((r) => (
            <RunRow key={r.id} run={r} onChange={runs.reload} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunDetail({ id }: { id: string }) {
  const run = useAsync(() => getRun(id), [id]);
  const [filter, setFilter] = useState("");
  const cases = useAsync(() => runCases(id, { from: 0, filter: filter || undefined }), [id, filter]);
  const queue = useAsync(() => reviewQueue(id), [id]);
  const agree = useAsync(() => agreement(id), [id]);
  const m = run.data?.metrics ?? {};
  return (
    <div class="col">
      <h2>Run {String(run.data?.variant.name ?? id)}</h2>
      <ErrorBanner error={run.error ?? cases.error} />
      <div class="row small" data-testid="run-metrics">
        {[
          "passRate",
          "redLineViolations",
          "routingAccuracy",
          "escalationRecall",
          "actionCorrectness",
          "confirmationRate",
          "groundingRate",
          "judgePassRate",
        ].map((k) => (
          <span>
            {k}: <b>{k === "redLineViolations" ? String(m[k] ?? "–") : pct(m[k])}</b>
          </span>
        ))}
      </div>
      <div class="row">
        <select value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
          <option value="">all cases</option>
          <option value="fail">failed</option>
          <option value="pass">passed</option>
          <option value="red_line">red lines</option>
          <option value="unsure">judge unsure</option>
        </select>
        {/* A plain GET: the session cookie authenticates it. */}
        <a href={`/api/evals/runs/${encodeURIComponent(id)}/export.csv`} download={`${id}.csv`}>
          Export CSV
        </a>
      </div>
      <table data-testid="cases">
        <thead>
          <tr>
            <th>Case</th>
            <th>Category</th>
            <th>Pass</th>
            <th>Reply</th>
            <th>Failed evaluators</th>
          </tr>
        </thead>
        <tbody>
          {(cases.data?.items ?? []).map((c) => (
            <tr>
              <td>
                {c.caseId}
                {c.repeat ? ` #${c.repeat + 1}` : ""}
              </td>
              <td>{c.category ?? ""}</td>
              <td>{c.pass ? "✓" : c.redLine ? "red line" : "✗"}</td>
              <td class="small">{c.reply.slice(0, 200)}</td>
              <td class="small">
                {c.scores
                  .filter((s) => s.pass === false)
                  .map((s) => `${s.name}: ${s.rationale}`)
                  .join("; ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Review queue</h3>
      <p class="small">
        Judge-vs-human agreement: {agree.data?.reviews ?? 0} reviews, κ = {agree.data?.kappa?.toFixed(2) ?? "–"}
      </p>
      {(queue.data?.items ?? []).slice(0, 10).map((c) => (
        <ReviewItem
          key={c.id}
          id={c.id}
          caseId={c.caseId}
          reply={c.reply}
          why={c.why}
          judged={c.pass}
          onDone={() => {
            queue.reload();
            agree.reload();
          }}
        />
      ))}
    </div>
  );
}

function ReviewItem(p: {
  id: string;
  caseId: string;
  reply: string;
  why: string;
  judged: boolean;
  onDone: () => void;
}) {
  const [corrected, setCorrected] = useState("");
  const send = (pass: boolean) =>
    void submitReview({ resultId: p.id, pass, correctedReply: corrected.trim() || null }).then(p.onDone);
  return (
    <div class="card col">
      <span class="small">
        {p.caseId} · {p.why} · judge: {p.judged ? "pass" : "fail"}
      </span>
      <div>{p.reply}</div>
      <textarea
        placeholder="corrected reply (optional)"
        value={corrected}
        onInput={(e) => setCorrected(e.currentTarget.value)}
      />
      <div class="row">
        <button onClick={() => send(true)}>Pass</button>
        <button onClick={() => send(false)}>Fail</button>
      </div>
    </div>
  );
}

function Compare() {
  const runs = useAsync(() => listRuns(), []);
  const done = (runs.data?.items ?? []).filter((r) => r.status === "done");
  const [base, setBase] = useState("");
  const [cand, setCand] = useState("");
  const [cmp, setCmp] = useState<Comparison | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState("");
  const label = (r: Run) => `${String(r.variant.name ?? r.id)} (${new Date(r.createdAt).toLocaleTimeString()})`;
  return (
    <div class="col">
      <h2>Compare</h2>
      <ErrorBanner error={runs.error ?? error} />
      <div class="row">
        <select data-testid="baseline" value={base} onChange={(e) => setBase(e.currentTarget.value)}>
          <option value="">baseline…</option>
          {done.map((r) => (
            <option value={r.id}>{label(r)}</option>
          ))}
        </select>
        <select data-testid="candidate" value={cand} onChange={(e) => setCand(e.currentTarget.value)}>
          <option value="">candidate…</option>
          {done.map((r) => (
            <option value={r.id}>{label(r)}</option>
          ))}
        </select>
        <button
          class="primary"
          data-testid="compare"
          onClick={async () => {
            try {
              setError(null);
              setCmp(await compareRuns(base, cand));
            } catch (e) {
              setError(e);
            }
          }}
        >
          Compare
        </button>
      </div>
      {cmp && (
        <div class="col" data-testid="comparison" data-regression={String(cmp.significantRegression)}>
          {cmp.significantRegression && <div class="banner error">Significant regression</div>}
          {cmp.mdeWarning && <div class="banner na">{cmp.mdeWarning}</div>}
          <table>
            <thead>
              <tr>
                <th>Metric</th>
                <th>Baseline</th>
                <th>Candidate</th>
                <th>Δ (95 % CI)</th>
                <th>p</th>
              </tr>
            </thead>
            <tbody>
              {cmp.metrics.map((x) => (
                <tr>
                  <td>{x.name}</td>
                  <td>{x.baseline?.toFixed(3) ?? "–"}</td>
                  <td>{x.candidate?.toFixed(3) ?? "–"}</td>
                  <td>
                    {x.delta?.toFixed(3) ?? "–"} [{x.ci95?.[0].toFixed(3)}, {x.ci95?.[1].toFixed(3)}]
                  </td>
                  <td>{x.pValue?.toPrecision(2) ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Per category</h3>
          <table>
            <tbody>
              {cmp.perCategory.map((c) => (
                <tr class={c.significantRegression ? "bad" : ""}>
                  <td>{c.category}</td>
                  <td>n={c.n}</td>
                  <td>
                    {pct(c.baseline)} → {pct(c.candidate)}
                  </td>
                  <td>p={c.pValue.toPrecision(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="small">
            {cmp.regressions.length} regressed, {cmp.improvements.length} improved cases:{" "}
            {cmp.regressions
              .slice(0, 20)
              .map((r) => r.caseId)
              .join(", ")}
          </p>
          <div class="row">
            <button
              data-testid="promote"
              onClick={async () => {
                try {
                  const r = await promoteRun(cand, base);
                  setMessage(`Promoted: ${r.changes.length} category version(s) published`);
                  setError(null);
                } catch (e) {
                  setError(e);
                  setMessage("");
                }
              }}
            >
              Promote candidate
            </button>
            <button onClick={() => void rollbackRun(cand).then(() => setMessage("Rolled back"), setError)}>
              Roll back
            </button>
            <span data-testid="promote-result">{message}</span>
          </div>
        </div>
      )}
      <button onClick={() => navigate("/evals/runs")}>Back to runs</button>
    </div>
  );
}
