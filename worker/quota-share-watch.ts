// Keeps a worker's share of the per-account AWS quotas at 1/N, N being the workers that poll the
// describe task queue now. Temporal's task-queue rate limit already caps the describe steps of
// all workers together; this share spreads the calls evenly between them, so that the bursts
// the task queue lets through (when its workers take several tasks at once) do not add up to
// more than AWS allows in any one second.
import type { NativeConnection } from '@temporalio/worker';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import type { QuotaShare } from '../activities/aws/rate-limits.js';

const { temporal } = proto;

/** An idle worker polls again at least every minute (long polls): one unseen for longer is gone. */
const POLLER_GONE_AFTER_MS = 90_000;
/** How soon the others slow down for a worker that joins. */
export const DEFAULT_SHARE_REFRESH_MS = 10_000;
/** Workers started together see each other within a second or so (their first polls). */
const FIRST_REFRESHES_MS = [1_000, 3_000];

export interface QuotaShareWatchOptions {
  connection: NativeConnection;
  namespace: string;
  /** The describe task queue: every worker of the task queue polls it. */
  taskQueue: string;
  /** This worker's identity, counted whether or not its first poll has arrived yet. */
  identity: string;
  share: QuotaShare;
  refreshMs?: number;
}

export class QuotaShareWatch {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private refreshes = 0;

  constructor(private readonly options: QuotaShareWatchOptions) {}

  get share(): QuotaShare {
    return this.options.share;
  }

  start(): void {
    this.stopped = false;
    this.refreshes = 0;
    void this.refreshThenWait();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The workers polling the task queue now, this one included. */
  async countWorkers(): Promise<number> {
    const { connection, namespace, taskQueue, identity } = this.options;
    const response = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    const now = Date.now();
    const identities = new Set([identity]);
    for (const poller of response.pollers ?? []) {
      const seenMs = optionalTsToMs(poller.lastAccessTime) ?? 0;
      if (poller.identity && now - seenMs < POLLER_GONE_AFTER_MS) identities.add(poller.identity);
    }
    return identities.size;
  }

  private async refreshThenWait(): Promise<void> {
    try {
      this.options.share.set(1 / (await this.countWorkers()));
    } catch {
      // Temporal unreachable for now: keep the last share; the task-queue limit still holds.
    }
    if (!this.stopped) {
      const delay =
        FIRST_REFRESHES_MS[this.refreshes++] ?? this.options.refreshMs ?? DEFAULT_SHARE_REFRESH_MS;
      this.timer = setTimeout(() => void this.refreshThenWait(), delay);
      this.timer.unref();
    }
  }
}
