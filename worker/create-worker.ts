import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities/index.js';
import { DEFAULT_TASK_QUEUE } from '../common/run-input.js';
import { workflowBundle } from './workflow-bundle.js';

export interface IngestionWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  activities: ActivityDependencies;
  /** Activities this worker runs at once; AWS quotas, not CPU, bound a crawl. */
  maxConcurrentActivityTaskExecutions?: number;
  /** Extra Worker options (e.g. a rate limit shared by every worker of the task queue). */
  tuning?: Partial<
    Pick<WorkerOptions, 'maxTaskQueueActivitiesPerSecond' | 'maxActivitiesPerSecond' | 'shutdownGraceTime'>
  >;
}

/** A worker that runs ingestion workflows and their activities. */
export async function createIngestionWorker(options: IngestionWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: createActivities(options.activities),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 100,
    ...options.tuning,
  });
}
