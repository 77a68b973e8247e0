/**
 * EvalRun: one object per eval run. It owns the run's state (status, adaptive
 * concurrency, back-off deadline, cost cap) and its count of finished cases, and pushes
 * live progress to dashboard sockets at least once a second while the run is running.
 *
 * The count is a set of case keys (`<caseIdx>:<repeat>`) in the object's SQLite, so a
 * batch the queue delivers twice, or one that crashed after writing some results,
 * reports its cases again and each is still counted once. The results themselves live
 * in D1 (`eval_results`, unique per run × case × repeat); the consumer writes there
 * first, then reports here.
 *
 * - init / begin / record / feedback / pause / resume / cancel: RPCs of the consumer and API
 * - onConnect: verify the operator JWT of the run's workspace and that the operator is still
 *   enabled with the token's role (as workers/lib/socket-guard.ts does); send progress now
 * - onAlarm: broadcast progress every second while sockets are open and the run is live
 */
import { Server, type Connection, type ConnectionContext } from "partyserver";
import { getConfig } from "../workers/lib/config.ts";
import { socketClaimsCurrent } from "../workers/lib/operator-state.ts";
import { verifyOperatorToken } from "../workers/lib/tokens.ts";
import type { ProgressFrame, RunStatus } from "../workers/protocol/evals.ts";
import { canMove, etaSeconds, nextConcurrency, overCap, START_CONCURRENCY } from "../workers/evals/progress.ts";

interface Meta {
  runId: string;
  workspaceId: string;
  status: RunStatus;
  total: number;
  costCapUsd: number | null;
  concurrency: number;
  startedAt: number | null;
  notBefore: number;
  reason: string | null;
}

export interface RecordItem {
  key: string;
  pass: boolean;
  costUsd: number;
}

export interface RecordOutcome {
  status: RunStatus;
  done: number;
  total: number;
  /**
   * Every case is counted and the run is not done yet: the caller writes the run's metrics
   * to D1, then calls `transition("done")`. The run is done only once its metrics exist
   * (reporting "done" first let a reader see a finished run with no metrics); until then
   * every call that completes or finds the run complete gets true (the metrics write is
   * idempotent), so a consumer that crashed before writing them is replaced by the retry.
   */
  finishedNow: boolean;
  /** True when this call's cost crossed the cap and paused the run. */
  cappedNow: boolean;
}

const BROADCAST_EVERY_MS = 1000;

export function evalRunStub(env: Env, runId: string): DurableObjectStub<EvalRun> {
  const ns = env.EVAL_RUN as DurableObjectNamespace<EvalRun>;
  return ns.get(ns.idFromName(runId));
}

export class EvalRun extends Server<Env> {
  static override options = { hibernate: true };
  #ready = false;
  #lastBroadcast = 0;

  private init(): void {
    if (this.#ready) return;
    const sql = this.ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS done (key TEXT PRIMARY KEY, pass INTEGER NOT NULL, cost REAL NOT NULL)`);
    this.#ready = true;
  }

  private meta(): Meta | null {
    this.init();
    const row = this.ctx.storage.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'meta'`).toArray()[0];
    if (!row) return null;
    const parsed: unknown = JSON.parse(row.v);
    return isMeta(parsed) ? parsed : null;
  }

  private save(m: Meta): void {
    this.ctx.storage.sql.exec(`INSERT OR REPLACE INTO meta (k, v) VALUES ('meta', ?)`, JSON.stringify(m));
  }

  private counts(): { done: number; passed: number; cost: number } {
    const r = this.ctx.storage.sql
      .exec<{ n: number; p: number | null; c: number | null }>(
        `SELECT COUNT(*) AS n, SUM(pass) AS p, SUM(cost) AS c FROM done`,
      )
      .toArray()[0];
    return { done: r?.n ?? 0, passed: r?.p ?? 0, cost: r?.c ?? 0 };
  }

  /** Creates the run's state once; later calls change nothing. */
  async setup(init: { runId: string; workspaceId: string; total: number; costCapUsd: number | null }): Promise<void> {
    if (this.meta()) return;
    this.save({
      ...init,
      status: "queued",
      concurrency: START_CONCURRENCY,
      startedAt: null,
      notBefore: 0,
      reason: null,
    });
  }

  /** A batch is about to run: the status it should respect and how many cases to run at once. */
  async begin(): Promise<{ status: RunStatus; concurrency: number; notBefore: number } | null> {
    const m = this.meta();
    if (!m) return null;
    if (m.status === "queued") {
      m.status = "running";
      m.startedAt = Date.now();
      this.save(m);
      await this.ensureAlarm();
    }
    return { status: m.status, concurrency: m.concurrency, notBefore: m.notBefore };
  }

  /** Counts finished cases (each key once); says when the run is complete; pauses it at the cost cap. */
  async record(items: RecordItem[]): Promise<RecordOutcome | null> {
    const m = this.meta();
    if (!m) return null;
    for (const it of items)
      this.ctx.storage.sql.exec(
        `INSERT OR IGNORE INTO done (key, pass, cost) VALUES (?, ?, ?)`,
        it.key,
        it.pass ? 1 : 0,
        it.costUsd,
      );
    const c = this.counts();
    let finishedNow = false;
    let cappedNow = false;
    if (c.done >= m.total && canMove(m.status, "done")) {
      finishedNow = true;
    } else if (overCap(c.cost, m.costCapUsd) && canMove(m.status, "paused") && m.status !== "paused") {
      m.status = "paused";
      m.reason = `cost cap of $${m.costCapUsd} reached`;
      cappedNow = true;
    }
    this.save(m);
    await this.maybeBroadcast(cappedNow);
    return { status: m.status, done: c.done, total: m.total, finishedNow, cappedNow };
  }

  /** Provider feedback from a batch: halve on 429/5xx (and wait Retry-After), grow after a clean batch. */
  async feedback(outcome: "ok" | "throttled", retryAfterSeconds: number | null = null): Promise<number> {
    const m = this.meta();
    if (!m) return START_CONCURRENCY;
    m.concurrency = nextConcurrency(m.concurrency, outcome);
    if (outcome === "throttled") m.notBefore = Date.now() + Math.max(1, retryAfterSeconds ?? 2) * 1000;
    this.save(m);
    return m.concurrency;
  }

  /** Moves the run to `to` when allowed; returns the status it has afterwards. */
  async transition(to: RunStatus, reason: string | null = null): Promise<RunStatus | null> {
    const m = this.meta();
    if (!m) return null;
    if (m.status !== to && canMove(m.status, to)) {
      m.status = to;
      m.reason = reason;
      if (to === "running") m.notBefore = 0;
      this.save(m);
      await this.maybeBroadcast(true);
      if (to === "running") await this.ensureAlarm();
    }
    return m.status;
  }

  /** Keys already counted among `keys` (the consumer skips them). */
  async finished(keys: string[]): Promise<string[]> {
    this.init();
    const out: string[] = [];
    for (const k of keys)
      if (this.ctx.storage.sql.exec(`SELECT 1 FROM done WHERE key = ?`, k).toArray().length) out.push(k);
    return out;
  }

  async progress(): Promise<ProgressFrame | null> {
    const m = this.meta();
    if (!m) return null;
    const c = this.counts();
    return {
      type: "progress",
      runId: m.runId,
      status: m.status,
      done: c.done,
      total: m.total,
      passed: c.passed,
      passRate: c.done ? c.passed / c.done : null,
      costUsd: Math.round(c.cost * 1e6) / 1e6,
      etaSeconds: m.status === "running" ? etaSeconds(c.done, m.total, m.startedAt, Date.now()) : null,
      concurrency: m.concurrency,
      reason: m.reason,
    };
  }

  override async onConnect(conn: Connection, ctx: ConnectionContext): Promise<void> {
    const m = this.meta();
    const token = new URL(ctx.request.url).searchParams.get("token");
    try {
      const claims = await verifyOperatorToken(token ?? "", getConfig(this.env).jwtSecret);
      if (!m || claims.ws !== m.workspaceId) throw new Error("wrong workspace");
      // Disabled or demoted since the ticket was signed: refused here too, not only at the Worker's guard.
      if (!(await socketClaimsCurrent(this.env.DB, claims))) throw new Error("session ended");
    } catch {
      conn.close(4401, "unauthorized");
      return;
    }
    const p = await this.progress();
    if (p) conn.send(JSON.stringify(p));
    await this.ensureAlarm();
  }

  override async onAlarm(): Promise<void> {
    const m = this.meta();
    if (!m) return;
    await this.maybeBroadcast(true);
    if (m.status === "running" || m.status === "queued") await this.ensureAlarm();
  }

  private async ensureAlarm(): Promise<void> {
    if ([...this.getConnections()].length === 0) return;
    const at = await this.ctx.storage.getAlarm();
    if (at === null) await this.ctx.storage.setAlarm(Date.now() + BROADCAST_EVERY_MS);
  }

  private async maybeBroadcast(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.#lastBroadcast < 250) return;
    this.#lastBroadcast = now;
    const p = await this.progress();
    if (p) this.broadcast(JSON.stringify(p));
  }
}

function isMeta(x: unknown): x is Meta {
  return (
    typeof x === "object" &&
    x !== null &&
    "runId" in x &&
    typeof x.runId === "string" &&
    "workspaceId" in x &&
    typeof x.workspaceId === "string" &&
    "status" in x &&
    typeof x.status === "string" &&
    "total" in x &&
    typeof x.total === "number"
  );
}
