/**
 * Cron trigger (every five minutes): runs each periodic job; jobs are small modules
 * and only enqueue work, so a slow job never holds the trigger. One failing job does
 * not stop the others.
 */
import { enqueueDueCrawls } from "./knowledge/crawl-job.ts";
import { runLearningsDaily } from "./learnings/job.ts";
import { runRekey } from "./rights/rekey.ts";
import { runRetention } from "./rights/retention.ts";
import { runRewrap } from "./rights/rewrap.ts";

/** A periodic job: `now` is the trigger's scheduled time in ms. */
export type ScheduledJob = (env: Env, now: number) => Promise<unknown>;

/** Add new periodic jobs here. */
export const SCHEDULED_JOBS: Record<string, ScheduledJob> = {
  crawl: enqueueDueCrawls,
  retention: runRetention,
  learnings: runLearningsDaily,
  rekey: runRekey,
  rewrap: runRewrap,
};

export async function handleScheduled(
  controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  const results = await Promise.allSettled(
    Object.values(SCHEDULED_JOBS).map((job) => job(env, controller.scheduledTime)),
  );
  Object.keys(SCHEDULED_JOBS).forEach((name, i) => {
    const r = results[i];
    if (r?.status === "rejected")
      console.error("scheduled job failed", name, r.reason instanceof Error ? r.reason.message : String(r.reason));
  });
}
