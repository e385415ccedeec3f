// A run waits, silently and for as long as it takes, for a worker to poll its task queue. The
// CLI says so while it waits: DescribeTaskQueue lists the pollers the server saw lately.
import type { Client } from '@temporalio/client';
import { withCallScope } from './temporal-connection.js';

/** How often the pollers are read while waiting on a run. */
const CHECK_EVERY_MS = 5_000;
/**
 * A poller seen longer ago than this is gone: a live worker's long poll returns (empty) within
 * about a minute and polls again at once, and the server keeps pollers in the list for minutes.
 */
const POLLER_GONE_AFTER_MS = 120_000;

// temporal.api.enums.v1: TaskQueueKind NORMAL, TaskQueueType WORKFLOW.
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;

/** The pollers of the task queue's workflow tasks seen within the last two minutes. */
export async function livePollers(client: Client, namespace: string, taskQueue: string): Promise<number> {
  const { pollers } = await withCallScope(client, () =>
    client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
    }),
  );
  const now = Date.now();
  return (pollers ?? []).filter((poller) => {
    const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
    return seconds === 0 || now - seconds * 1000 < POLLER_GONE_AFTER_MS;
  }).length;
}

/** What the CLI says when no worker polls a run's task queue. */
export function noWorkerMessage(taskQueue: string, workerCommand: string): string {
  return `no worker polls task queue ${taskQueue}: the run waits until one does. Start one with: ${workerCommand}`;
}

/**
 * Reads the pollers of `taskQueue` now and every few seconds until stopped; says once when
 * there is none (with `workerCommand`, the command that starts one), and once when one comes.
 * A failed read is not a finding: it says nothing.
 */
export function watchWorkers(
  client: Client,
  options: { namespace: string; taskQueue: string; workerCommand: string },
  say: (message: string) => void,
): { stop(): void } {
  let stopped = false;
  let missing = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async (): Promise<void> => {
    try {
      const pollers = await livePollers(client, options.namespace, options.taskQueue);
      if (stopped) return;
      if (pollers === 0 && !missing) say(noWorkerMessage(options.taskQueue, options.workerCommand));
      if (pollers > 0 && missing) say(`a worker polls task queue ${options.taskQueue} now`);
      missing = pollers === 0;
    } catch {
      // Best effort: the run's own outcome is what the command reports.
    }
    if (!stopped) timer = setTimeout(() => void check(), CHECK_EVERY_MS);
  };
  void check();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
