import { NativeConnection } from '@temporalio/worker';
import { secretsKeyringFrom } from '../../common/sealed-secrets.js';
import { DEFAULT_TASK_QUEUE, describeTaskQueueOf } from '../../common/run-input.js';
import { IngestionWorkerLogger } from '../../worker/worker-logger.js';
import { createIngestionWorker } from '../../worker/create-worker.js';
import {
  connectionOptionsFor,
  requiredTemporalTarget,
  unreachable,
  type TemporalFlags,
} from '../temporal-connection.js';
import { describeRunPolicy, runPolicyFrom, type WorkerPolicyFlags } from './worker-policy-flags.js';

import {
  deploymentVersionFor,
  describeOperations,
  installWorkerRuntime,
  type WorkerOperationsOptions,
} from './worker-operations.js';

export interface WorkerCommandOptions extends TemporalFlags, WorkerPolicyFlags, WorkerOperationsOptions {
  taskQueue?: string;
  maxConcurrentActivities?: number;
  /** DescribeStreamSummary calls per second, all workers together (default: AWS's quota). */
  describeRate?: number;
  /** false: Kinesis calls are not paced at AWS's quotas (commander's --no-quota-pacing). */
  quotaPacing?: boolean;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/**
 * `om-kinesis worker`: polls the task queue of a Temporal cluster until SIGINT/SIGTERM, then
 * finishes its in-flight work (up to the shutdown grace time) and exits. Run as many as you
 * like on as many machines: they share the work of every run, and the AWS account's quotas
 * (see worker/create-worker.ts).
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<void> {
  const target = requiredTemporalTarget(options, 'om-kinesis worker');
  // Before connecting: a worker whose allowances are wrong must not start taking runs.
  const policy = await runPolicyFrom(options, process.env);
  const deployment = deploymentVersionFor(options);
  const level = options.logLevel ?? 'INFO';
  installWorkerRuntime(options, new IngestionWorkerLogger(level), level);
  const keyring = secretsKeyringFrom(process.env);
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const connection = await NativeConnection.connect(connectionOptionsFor(target)).catch(
    async (error: unknown) => {
      throw await unreachable(target, error);
    },
  );
  try {
    const worker = await createIngestionWorker({
      connection,
      namespace: target.namespace,
      taskQueue,
      activities: {
        env: process.env,
        keyring,
        policy,
        ...(options.quotaPacing === false ? { aws: { rateLimits: false } } : {}),
      },
      ...(options.describeRate ? { describeCallsPerSecond: options.describeRate } : {}),
      ...(options.maxConcurrentActivities
        ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities }
        : {}),
      ...(deployment ? { deployment } : {}),
    });
    console.error(
      `om-kinesis worker polling task queues ${taskQueue} and ${describeTaskQueueOf(taskQueue)} on ${target.address} (namespace ${target.namespace})${describeOperations(options, deployment)}; Ctrl-C to stop`,
    );
    console.error(describeRunPolicy(policy));
    await worker.run();
  } finally {
    await connection.close();
  }
}
