import { hostname } from 'node:os';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { Runtime, Worker, type NativeConnection, type State, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities/index.js';
import { AWS_ACCOUNT_QUOTAS, QuotaShare } from '../activities/aws/rate-limits.js';
import { DEFAULT_TASK_QUEUE, describeTaskQueueOf } from '../common/run-input.js';
import { QuotaShareWatch } from './quota-share-watch.js';
import { workflowBundle } from './workflow-bundle.js';

/**
 * Describe steps per second that all workers of a task queue together may start: AWS's
 * DescribeStreamSummary quota. It caps the average; the spacing within each second is the
 * pacers' job (each worker paces at 1/N of the quota, with a margin for jitter).
 */
export const DEFAULT_DESCRIBE_CALLS_PER_SECOND = AWS_ACCOUNT_QUOTAS.DescribeStreamSummary ?? 20;

/**
 * Describe steps one worker holds at once. Enough to keep its pacing busy (a describe is one
 * round trip), and few enough that the queue's tasks are spread over all workers rather than
 * waiting for their paced turn in one: each worker's pace is its 1/N share of the quota.
 */
const DESCRIBE_SLOTS = 10;

export interface IngestionWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  activities: ActivityDependencies;
  /** Activities this worker runs at once; AWS quotas, not CPU, bound a crawl. */
  maxConcurrentActivityTaskExecutions?: number;
  /**
   * Describe steps per second across every worker of the task queue: Temporal enforces it on
   * the describe task queue, and the worker paces its DescribeStreamSummary calls at its share
   * of it. Default: AWS's quota, or 0 (no limit) when `activities.aws.rateLimits` is false.
   */
  describeCallsPerSecond?: number;
  /** Names this worker in the history of the tasks it runs (default: pid@host). */
  identity?: string;
  /**
   * The Worker Deployment version of this worker. Runs are pinned to the version they start
   * on: they finish on its workers, whatever version becomes current meanwhile, so a change of
   * workflow code never meets a run it cannot replay. Unset: an unversioned worker.
   */
  deployment?: WorkerDeploymentVersion;
  /** Extra options of the main worker (e.g. `maxActivitiesPerSecond` to slow it down). */
  tuning?: Partial<
    Pick<WorkerOptions, 'maxTaskQueueActivitiesPerSecond' | 'maxActivitiesPerSecond' | 'shutdownGraceTime'>
  >;
}

/**
 * A worker of the product: one Temporal worker on the task queue (workflows and every
 * activity but describe), and one on the describe task queue. DescribeStreamSummary's quota is
 * per AWS account, shared by all workers, so the describe step has a queue of its own whose
 * rate limit Temporal's matching service applies to every poller at once: any number of
 * workers together stay within the quota on average, where an in-process limit would only
 * pace one. Within each second, the workers' pacers (at 1/N of the quota each, N read from the
 * queue's pollers) keep their calls from bunching up.
 */
export class IngestionWorker {
  private readonly workers: readonly Worker[];

  constructor(
    private readonly main: Worker,
    private readonly describe: Worker,
    private readonly shareWatch?: QuotaShareWatch,
  ) {
    this.workers = [main, describe];
  }

  /** This worker's share of the account's quotas (undefined: a fixed share, or not paced). */
  get quotaShare(): QuotaShare | undefined {
    return this.shareWatch?.share;
  }

  getState(): State {
    return this.main.getState();
  }

  /** Runs both until shutdown; if one stops or fails, the other is shut down too. */
  async run(): Promise<void> {
    const runs = this.workers.map((worker) => worker.run());
    this.shareWatch?.start();
    try {
      await Promise.race(runs);
    } finally {
      this.shareWatch?.stop();
      this.shutdown();
      await Promise.allSettled(runs);
    }
    await Promise.all(runs);
  }

  /** Starts a graceful shutdown of both (in-flight activities finish within the grace time). */
  shutdown(): void {
    for (const worker of this.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  }

  /** Runs the worker while `fn` runs, then shuts it down; fails if the worker stops first. */
  async runUntil<R>(fn: () => Promise<R>): Promise<R> {
    const running = this.run();
    try {
      return await Promise.race([
        fn(),
        running.then(() => {
          throw new Error('the worker stopped before the run ended');
        }),
      ]);
    } finally {
      this.shutdown();
      await running.catch(() => undefined);
    }
  }
}

/** A worker that runs ingestion workflows and their activities. */
export async function createIngestionWorker(options: IngestionWorkerOptions): Promise<IngestionWorker> {
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const namespace = options.namespace ?? 'default';
  const identity = options.identity ?? `${process.pid}@${hostname()}`;
  const describeQueue = describeTaskQueueOf(taskQueue);
  const rateLimits = options.activities.aws?.rateLimits;
  // One setting for the describe rate: Temporal's limit on the describe queue, and the rate the
  // pacers space DescribeStreamSummary at. Without pacing (an emulator), no limit either.
  const describeRate =
    options.describeCallsPerSecond ?? (rateLimits === false ? 0 : DEFAULT_DESCRIBE_CALLS_PER_SECOND);
  let shareWatch: QuotaShareWatch | undefined;
  let deps = options.activities;
  if (rateLimits !== false) {
    // Unless told otherwise, the worker paces at 1/N of the account's quotas, N being the
    // workers it sees on the describe task queue.
    let share = rateLimits?.share;
    if (share === undefined) {
      share = new QuotaShare();
      shareWatch = new QuotaShareWatch({
        connection: options.connection,
        namespace,
        taskQueue: describeQueue,
        identity,
        share,
      });
    }
    const perSecond = {
      ...(describeRate > 0 ? { DescribeStreamSummary: describeRate } : {}),
      ...rateLimits?.perSecond,
    };
    deps = { ...deps, aws: { ...deps.aws, rateLimits: { ...rateLimits, share, perSecond } } };
  }
  // The product's metrics go where the SDK's go (the Runtime's exporter, when one is set up).
  const activities = createActivities({ metrics: Runtime.instance().metricMeter, ...deps });
  // Both workers are in the deployment version, so that a pinned run's describe steps go to
  // workers of its version too.
  const versioning: Pick<WorkerOptions, 'workerDeploymentOptions'> = options.deployment
    ? {
        workerDeploymentOptions: {
          version: options.deployment,
          useWorkerVersioning: true,
          defaultVersioningBehavior: 'PINNED',
        },
      }
    : {};
  const main = await Worker.create({
    connection: options.connection,
    namespace,
    identity,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 100,
    ...versioning,
    ...options.tuning,
  });
  const describe = await Worker.create({
    connection: options.connection,
    namespace,
    identity,
    taskQueue: describeQueue,
    activities: {
      describeStream: (...args: Parameters<typeof activities.describeStream>) =>
        activities.describeStream(...args),
    },
    maxConcurrentActivityTaskExecutions: DESCRIBE_SLOTS,
    ...versioning,
    ...(describeRate > 0 ? { maxTaskQueueActivitiesPerSecond: describeRate } : {}),
  });
  return new IngestionWorker(main, describe, shareWatch);
}
