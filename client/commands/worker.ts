import { NativeConnection } from '@temporalio/worker';
import { SECRETS_KEY_ENV, secretsKeyFrom } from '../../common/sealed-secrets.js';
import { DEFAULT_TASK_QUEUE, describeTaskQueueOf } from '../../common/run-input.js';
import { IngestionWorkerLogger } from '../../worker/worker-logger.js';
import { createIngestionWorker } from '../../worker/create-worker.js';
import { connectionOptionsFor, temporalTargetFrom, type TemporalFlags } from '../temporal-connection.js';
import { CliExit, EXIT_RUN_FAILED } from './shared.js';
import {
  deploymentVersionFor,
  describeOperations,
  installWorkerRuntime,
  type WorkerOperationsOptions,
} from './worker-operations.js';

export interface WorkerCommandOptions extends TemporalFlags, WorkerOperationsOptions {
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
  const target = temporalTargetFrom(options, process.env);
  if (!target) {
    throw new CliExit(
      EXIT_RUN_FAILED,
      'om-kinesis worker needs a Temporal cluster: pass --address HOST:PORT or set TEMPORAL_ADDRESS (and --namespace / TEMPORAL_NAMESPACE)',
    );
  }
  const deployment = deploymentVersionFor(options);
  installWorkerRuntime(options, new IngestionWorkerLogger(options.logLevel ?? 'INFO'));
  const passphrase = process.env[SECRETS_KEY_ENV];
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const connection = await NativeConnection.connect(connectionOptionsFor(target));
  try {
    const worker = await createIngestionWorker({
      connection,
      namespace: target.namespace,
      taskQueue,
      activities: {
        env: process.env,
        ...(passphrase ? { sealingKey: secretsKeyFrom(passphrase) } : {}),
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
    await worker.run();
  } finally {
    await connection.close();
  }
}
