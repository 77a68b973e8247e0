/**
 * InboxIntake: the journal of record for one channel inbox (`idFromName(inboxId)`).
 *
 * - accept(): the webhook handler (or the email handler) hands over the verified, parsed
 *   events; they are journaled in this object's SQLite, deduplicated on the provider id,
 *   and the reply leaves only once the write is durable. No D1 round trip sits between a
 *   provider and its 200 (measured: a D1 journal write capped intake near 80 req/s on
 *   2 cores, see BENCHMARKS.md).
 * - drain (after a gather window that grows with load, 25 ms to 1 s, and on the alarm):
 *   events are processed in journal order (contact, conversation, one ConversationRoom.ingestMany per
 *   conversation per slice, delivery statuses); failures retry with backoff for an hour;
 *   the alarm is the backstop if the object goes away mid-way.
 * - the journal is copied to D1 `inbound_events` in bulk (one batch per ≤100 events),
 *   coalesced over a short window, for admins and reports.
 *
 * The object is a thin shell: the journal is `./store.ts`, what is journaled and its D1
 * copy `./journal.ts`, processing `./process.ts` (see this folder's README).
 */
import { DurableObject } from "cloudflare:workers";
import { newId } from "../../workers/lib/ids.ts";
import { loadInbox, type OpenInbox } from "../../workers/webhooks/inbox.ts";
import { JOURNAL_MIRROR_BATCH, mirrorJournal } from "./journal.ts";
import { processPayloads } from "./process.ts";
import { Coalescer, loadGather } from "../../workers/lib/coalesce.ts";
import {
  alarmAfterPass,
  BACKSTOP_MS,
  IntakeStore,
  type Backlog,
  type IntakeEvent,
  type JournalStats,
} from "./store.ts";
import { roomOf } from "../../workers/services/data-location.ts";

/**
 * A drain waits after the first accept of a burst, so one pass takes many events instead
 * of one: the pass's own bookkeeping (journal reads and writes, the alarm, the D1 copy)
 * and each room call are then shared. The wait is 25 ms plus 2 ms per event the previous
 * pass handled, at most 1 s (`loadGather`): a quiet inbox processes a message within
 * ~30 ms; under a burst near what the thread can process, passes grow to hundreds of
 * events, a conversation gets its messages in one room call, and the acks keep the
 * thread. Measured in BENCHMARKS.md (webhook ingest).
 */
const DRAIN_GATHER_MIN_MS = 25;
const DRAIN_GATHER_PER_EVENT_MS = 2;
const DRAIN_GATHER_MAX_MS = 1_000;
/** Events per processing slice (the journal is read in slices so a backlog never holds memory). */
const DRAIN_BATCH = 250;
/**
 * D1 copy of the journal: gathered over this window, then written in batches. Longer than
 * the drain's widest gather window, so under a burst an event is usually copied once, as
 * processed, instead of once as received and again as processed (each copy is a D1 write
 * of the whole payload).
 */
const JOURNAL_MIRROR_DELAY_MS = 2_000;
/** An event still waiting for processing after this long is copied to D1 as received (a visible backlog). */
const COPY_WAITING_AFTER_MS = 10_000;
/** Forgetting old events scans the journal: at most this often per activation. */
const PRUNE_EVERY_MS = 60 * 60_000;
/** The opened inbox (row + decrypted secrets) is reused for this long. */
const INBOX_TTL_MS = 5_000;

/** A journaled payload back as JSON (ours, but a damaged row must fail its event, not the drain). */
function parseStored(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class InboxIntake extends DurableObject<Env> {
  #storeOpen: IntakeStore | null = null;
  /** Events the last drain pass handled: sets the next pass's gather window. */
  #lastPass = 0;
  readonly #drainJob = new Coalescer(
    () => this.drain(),
    () => loadGather(this.#lastPass, DRAIN_GATHER_MIN_MS, DRAIN_GATHER_PER_EVENT_MS, DRAIN_GATHER_MAX_MS),
  );
  readonly #mirrorJob = new Coalescer(() => this.mirror(), JOURNAL_MIRROR_DELAY_MS);
  #inbox: { at: number; open: OpenInbox } | null = null;
  /** The next D1 copy also takes events still waiting for processing (settle). */
  #copyWaiting = false;
  #alarmAt: number | null = null;
  #prunedAt = 0;

  /** The journal, opened (and migrated) on first use, synchronously: nothing interleaves with a migration. */
  get #store(): IntakeStore {
    this.#storeOpen ??= new IntakeStore(this.ctx.storage.sql);
    return this.#storeOpen;
  }

  /**
   * Journals the events of one delivery. Returns the new event ids and how many were
   * seen before. Processing starts after the reply (never before the write is durable).
   */
  async accept(
    workspaceId: string,
    inboxId: string,
    events: IntakeEvent[],
  ): Promise<{ accepted: string[]; duplicates: number }> {
    this.#store.bind(workspaceId, inboxId);
    const accepted = this.#store.append(events, () => newId("evt"), Date.now());
    if (accepted.length > 0) {
      await this.armBackstop(Date.now() + BACKSTOP_MS);
      this.#drainJob.kick((p) => this.ctx.waitUntil(p));
    }
    return { accepted, duplicates: events.length - accepted.length };
  }

  /** Whether this provider id was journaled already (email: checked before its parts go to R2). */
  async seen(kind: "message" | "status", channelMessageId: string): Promise<boolean> {
    return this.#store.has(kind, channelMessageId);
  }

  /** Outstanding work: waiting, failed (retrying), not yet in D1, oldest waiting (admin API). */
  async backlog(): Promise<Backlog> {
    return this.#store.backlog();
  }

  /** Erasure (issue 20): drops the contact's events from the journal; returns how many. */
  async eraseMatching(channelMessageIds: string[], needles: string[]): Promise<number> {
    return this.#store.eraseMatching(channelMessageIds, needles);
  }

  /** Whether the journal still holds the text anywhere (erasure checks in tests and operations). */
  async contains(needle: string): Promise<boolean> {
    return this.#store.contains(needle);
  }

  /** Journal counts by status (operations, tests). */
  async stats(): Promise<JournalStats> {
    return this.#store.stats();
  }

  /**
   * Processes everything due now and brings D1 up to date (the journal copy and the
   * messages of every conversation touched). For tests and operations; production
   * traffic never waits for it.
   */
  async settle(): Promise<JournalStats> {
    await this.runNow(this.#drainJob);
    const touched = [...this.#touched];
    this.#touched.clear();
    const target = this.#store.target();
    if (target)
      await Promise.all(touched.map(async (id) => (await roomOf(this.env, target.workspaceId, id)).syncMirror()));
    this.#copyWaiting = true;
    await this.runNow(this.#mirrorJob);
    return this.#store.stats();
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    // A burst already gathering keeps its window (flushing it early would undo the
    // batching); whatever is still due afterwards is processed now.
    await this.#drainJob.idle();
    await this.runNow(this.#drainJob);
    await this.runNow(this.#mirrorJob);
    if (Date.now() - this.#prunedAt > PRUNE_EVERY_MS) {
      this.#prunedAt = Date.now();
      this.#store.prune(this.#prunedAt);
    }
    // The drain re-armed for what is left; a copy that failed just now asked for its own retry.
  }

  /** Starts (or asks for one more pass of) a job, skips its delay and waits for it. */
  private async runNow(job: Coalescer): Promise<void> {
    job.kick((p) => this.ctx.waitUntil(p));
    await job.flush();
  }

  /** Conversations processed since the last settle (bounded: only tests and operators ask). */
  readonly #touched = new Set<string>();

  private async drain(): Promise<void> {
    const target = this.#store.target();
    if (!target) return;
    let handled = 0;
    for (;;) {
      const due = this.#store.due(Date.now(), DRAIN_BATCH);
      if (due.length === 0) break;
      handled += due.length;
      // D1 down while the inbox is looked up: every event of the slice fails and is retried.
      const open = await this.openInbox(target.workspaceId, target.inboxId).catch((err: unknown) =>
        err instanceof Error ? err : new Error("inbox lookup failed"),
      );
      const outcomes =
        open && !(open instanceof Error)
          ? await processPayloads(
              this.env,
              open,
              due.map((ev) => parseStored(ev.payload)),
            )
          : due.map(() => ({
              status: "failed" as const,
              note:
                open instanceof Error
                  ? `inbox lookup failed: ${open.message}`.slice(0, 500)
                  : "inbox missing or disabled",
              conversations: [],
            }));
      this.#store.recordAll(
        due.map((ev, i) => ({
          seq: ev.seq,
          outcome: outcomes[i] ?? { status: "failed", note: "no outcome", conversations: [] },
        })),
        Date.now(),
      );
      if (this.#touched.size < 1_000) for (const o of outcomes) for (const c of o.conversations) this.#touched.add(c);
      this.#mirrorJob.kick((p) => this.ctx.waitUntil(p));
      // A slice that only produced retries for later ends the pass.
      if (due.length < DRAIN_BATCH) break;
    }
    this.#lastPass = handled;
    const now = Date.now();
    await this.armBackstop(alarmAfterPass(this.#store.nextDueAt(now), now), true);
  }

  /** Copies the journal's changes to D1; a failure is retried by the next drain or the alarm. */
  private async mirror(): Promise<void> {
    const target = this.#store.target();
    if (!target) return;
    // Events waiting for processing are copied once they have waited a while (or when asked to settle).
    const receivedBefore = this.#copyWaiting ? undefined : Date.now() - COPY_WAITING_AFTER_MS;
    this.#copyWaiting = false;
    try {
      for (;;) {
        const rows = this.#store.unmirrored(JOURNAL_MIRROR_BATCH, receivedBefore);
        if (rows.length === 0) return;
        await mirrorJournal(this.env.DB, target, rows);
        this.#store.markMirrored(rows);
        if (rows.length < JOURNAL_MIRROR_BATCH) return;
      }
    } catch (err) {
      console.error("intake: D1 journal copy failed; will retry", err instanceof Error ? err.message : "unknown");
      await this.armBackstop(Date.now() + 5_000);
    }
  }

  /**
   * Keeps one alarm, the earliest of what is asked. With `replace` (after a drain or an
   * alarm, when the journal says what is next): `at` is the next retry, or null for "none",
   * which still keeps a backstop while the D1 copy is behind and otherwise clears the alarm.
   * An alarm left from an earlier activation may fire for nothing; it finds nothing due.
   */
  private async armBackstop(at: number | null, replace = false): Promise<void> {
    if (replace) {
      // After a drain: the next retry, or a backstop while D1 is behind, or nothing.
      const wanted = at ?? (this.#store.hasUnmirrored() ? Date.now() + BACKSTOP_MS : null);
      if (wanted === null) {
        if (this.#alarmAt === null) return;
        this.#alarmAt = null;
        await this.ctx.storage.deleteAlarm();
        return;
      }
      // An earlier alarm already covers it (it re-arms for what is left when it fires).
      if (this.#alarmAt !== null && this.#alarmAt <= wanted) return;
      this.#alarmAt = wanted;
      await this.ctx.storage.setAlarm(wanted);
      return;
    }
    if (at === null || (this.#alarmAt !== null && this.#alarmAt <= at)) return;
    this.#alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  private async openInbox(workspaceId: string, inboxId: string): Promise<OpenInbox | null> {
    if (this.#inbox && Date.now() - this.#inbox.at < INBOX_TTL_MS) return this.#inbox.open;
    const open = await loadInbox(this.env, workspaceId, inboxId);
    this.#inbox = open ? { at: Date.now(), open } : null;
    return open;
  }
}
