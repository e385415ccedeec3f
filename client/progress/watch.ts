// Following a run until it ends, and saying so when no worker polls its task queue.
import { type Client } from '@temporalio/client';
import { errorText } from '../error-text.js';
import { withCallScope } from '../temporal-connection.js';
import { watchWorkers } from '../worker-presence.js';
import { delay, type ProgressSnapshot, readRunProgress } from './snapshot.js';
import { type ProgressDisplayOptions, createProgressDisplay } from './display.js';

export interface WatchOptions extends ProgressDisplayOptions {
  /** Time between two reads. Default 500 ms on a terminal, 1 s otherwise. */
  pollMs?: number;
  /** The run is a dry run: its counts are shown as what it would write. */
  dryRun?: boolean;
  /** Say when no worker polls the run's task queue (on a cluster: see worker-presence.ts). */
  workers?: { namespace: string; taskQueue: string; workerCommand: string };
  /** Called with every snapshot read. */
  onSnapshot?: (snapshot: ProgressSnapshot) => void;
  /** Aborted: stop reading and showing at once (the caller stopped waiting for the run). */
  signal?: AbortSignal;
}

/** The longest wait for the last read once the run has ended. */
const FINAL_READ_MS = 3_000;

/**
 * Shows the progress of run `workflowId` while `until` is pending (typically the run's result),
 * then settles as `until` does. Progress is best effort: a read that fails is noted, never
 * fatal, and the reads stop as soon as `until` settles.
 */
export async function watchRunProgress<T>(
  client: Client,
  workflowId: string,
  until: Promise<T>,
  options: WatchOptions = {},
): Promise<T> {
  const display = createProgressDisplay(options);
  const tty = options.tty ?? Boolean((options.stream ?? process.stderr).isTTY);
  const pollMs = options.pollMs ?? (tty ? 500 : 1_000);
  let ended = false;
  const aborted = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const end = Promise.race([
    until.then(
      () => undefined,
      () => undefined,
    ),
    aborted,
  ]);
  void end.then(() => {
    ended = true;
  });
  const retries = new Set<string>();
  const read = async (): Promise<void> => {
    try {
      const snapshot = await readRunProgress(client, workflowId);
      if (options.dryRun) snapshot.dryRun = true;
      options.onSnapshot?.(snapshot);
      display.show(snapshot);
      for (const retry of await retryingSteps(client, workflowId)) {
        // One line per attempt: what is retried, why, and when the next attempt comes.
        if (retries.has(retry.key)) continue;
        retries.add(retry.key);
        display.note(retry.message);
      }
    } catch (error) {
      display.note(`not available (${errorText(error)})`);
    }
  };
  const workers = options.workers
    ? watchWorkers(client, options.workers, (line) => display.note(line))
    : undefined;
  const loop = (async () => {
    while (!ended) {
      await read();
      if (!ended) await Promise.race([end, delay(pollMs)]);
    }
  })();
  try {
    await end;
    if (!options.signal?.aborted) {
      // A read in flight when the run ended, then one last read: the display ends on the run's final counts.
      await Promise.race([loop, delay(FINAL_READ_MS)]);
      await Promise.race([read(), delay(FINAL_READ_MS)]);
    }
  } finally {
    workers?.stop();
    display.stop();
  }
  return until;
}

/**
 * The steps of the run that failed and wait for their next attempt, from the run's pending
 * activities: e.g. `checkOpenMetadata: OpenMetadata could not be reached ...; retrying
 * (attempt 3, next in 8 s)`. `key` tells one attempt from the next.
 */
export async function retryingSteps(
  client: Client,
  workflowId: string,
): Promise<Array<{ key: string; message: string }>> {
  const { raw } = await withCallScope(client, () => client.workflow.getHandle(workflowId).describe());
  const retrying = [];
  for (const activity of raw.pendingActivities ?? []) {
    const attempt = activity.attempt ?? 1;
    const failure = activity.lastFailure?.message;
    if (attempt < 2 || !failure) continue;
    const nextAt = Number(activity.nextAttemptScheduleTime?.seconds ?? 0) * 1000;
    const next = nextAt > Date.now() ? `, next in ${Math.ceil((nextAt - Date.now()) / 1000)} s` : '';
    const step = activity.activityType?.name ?? 'a step';
    retrying.push({
      key: `${activity.activityId}/${attempt}`,
      message: `${step}: ${failure.replace(/\s+/g, ' ').trim()}; retrying (attempt ${attempt}${next})`,
    });
  }
  return retrying;
}
