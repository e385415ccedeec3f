import { Client, type WorkflowHandle } from '@temporalio/client';
import { Runtime, type LogLevel } from '@temporalio/worker';
import type { IngestionConfig } from '../../common/config/index.js';
import {
  DEFAULT_TASK_QUEUE,
  type IngestionRunInput,
  type IngestionRunOptions,
} from '../../common/run-input.js';
import { IngestionWorkerLogger, sdkLogging } from '../../worker/worker-logger.js';
import { policyAllowingConfig } from '../../activities/policy/run-policy.js';
import { environmentReference } from '../../common/secret-references.js';
import { createIngestionWorker } from '../../worker/create-worker.js';
import { cancelRunAndCountWrites } from '../cancelled-run.js';
import {
  interruptExitCode,
  watchInterrupts,
  type InterruptSignal,
  type InterruptWatch,
} from '../interrupts.js';
import { startLocalTemporal } from '../local-temporal/index.js';
import { runOutcome, watchRunProgress, type ProgressSnapshot, type RunOutcome } from '../progress/index.js';
import { warnSearchAttributesMissing } from '../search-attribute-fallback.js';
import { connectionArgs, startRun } from './start-ingestion.js';
import { exitCodeFor, renderSummary } from '../summary-table.js';
import {
  connectToCluster,
  temporalTargetFrom,
  type TemporalFlags,
  type TemporalTarget,
} from '../temporal-connection.js';
import { watchWorkers } from '../worker-presence.js';
import { loadRunConfig, type RunConfig } from './run-config.js';
import { CliExit, EXIT_BAD_CONFIG, EXIT_RUN_FAILED } from './shared.js';

export interface IngestCommandOptions extends TemporalFlags {
  config: string;
  dryRun?: boolean;
  sampleSize?: number;
  streamConcurrency?: number;
  batchSize?: number;
  streamTags?: boolean;
  ownerTagKey?: string;
  taskQueue?: string;
  wait?: boolean;
  json?: boolean;
  /** False with --no-progress. */
  progress?: boolean;
}

/**
 * `om-kinesis ingest -c FILE`: checks the config (exit 2 on any error, nothing started), then
 * runs one ingestion. With a Temporal cluster configured (--address / TEMPORAL_ADDRESS) it
 * starts the workflow there for the cluster's workers; with none, it starts a local Temporal
 * dev server and a worker in this process, like `metadata ingest`.
 */
export async function ingestCommand(options: IngestCommandOptions): Promise<number> {
  const target = temporalTargetFrom(options, process.env);
  if (!target && options.wait === false)
    throw new CliExit(
      EXIT_BAD_CONFIG,
      'om-kinesis: --no-wait needs a Temporal cluster (--address HOST:PORT or TEMPORAL_ADDRESS): a local run lives only as long as this command',
    );
  const run = await loadRunConfig(options.config, target ? 'cluster' : 'local', {
    runOptions: runOptionsFrom(options),
  });
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  return target ? ingestOnCluster(target, run, taskQueue, options) : ingestLocally(run, taskQueue, options);
}

/**
 * On a cluster the run belongs to the cluster: Ctrl-C only stops waiting for it, and says how
 * to follow it.
 */
async function ingestOnCluster(
  target: TemporalTarget,
  { config, input }: RunConfig,
  taskQueue: string,
  options: IngestCommandOptions,
): Promise<number> {
  const connection = await connectToCluster(target);
  // Until the run has started, Ctrl-C ends the command at once (Node's default): nothing to detach from.
  let interrupts: InterruptWatch | undefined;
  const calls = new AbortController();
  try {
    return await connection.withAbortSignal(calls.signal, async () => {
      const client = new Client({ connection, namespace: target.namespace });
      // Not waiting, the run's summary is not seen here: the missing attributes are told now.
      const onSearchAttributesMissing =
        options.wait === false ? () => warnSearchAttributesMissing(target.namespace) : undefined;
      const handle = await startRun(client, config, input, taskQueue, target, onSearchAttributesMissing);
      console.error(
        `Started ${handle.workflowId} (run ${handle.firstExecutionRunId}) on task queue ${taskQueue} at ${target.address}`,
      );
      if (options.wait === false) {
        if (options.json) {
          const started = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, taskQueue };
          console.log(JSON.stringify({ status: 'started', ...started }, null, 2));
        }
        return 0;
      }
      interrupts = watchInterrupts();
      const workers = {
        namespace: target.namespace,
        taskQueue,
        workerCommand: `om-kinesis worker ${connectionArgs(target)}${taskQueue === DEFAULT_TASK_QUEUE ? '' : ` --task-queue ${taskQueue}`}`,
      };
      const ended = await waitForRun(client, handle, options, interrupts, workers);
      if ('signal' in ended) {
        console.error(
          `interrupted: the run continues on the cluster (workflow id ${handle.workflowId}); nothing was cancelled. Follow it with: om-kinesis status ${config.serviceName} ${connectionArgs(target)}`,
        );
        return interruptExitCode(ended.signal);
      }
      return report(ended, config, options);
    });
  } finally {
    interrupts?.dispose();
    calls.abort();
    await connection.close();
  }
}

/**
 * The local run lives as long as this process: the first Ctrl-C cancels it and waits for the
 * cancellation to finish, then the worker and the dev server stop; a second Ctrl-C exits at once.
 */
async function ingestLocally(
  { config, input, sealingKey }: RunConfig,
  taskQueue: string,
  options: IngestCommandOptions,
): Promise<number> {
  const interrupts = watchInterrupts();
  let runStarted = false;
  // Until the run starts there is nothing to cancel: Ctrl-C exits at once (the dev server,
  // if started, is killed on the way out).
  void interrupts.received.then((signal) => {
    if (runStarted) return;
    console.error('interrupted: no run was started');
    process.exit(interruptExitCode(signal));
  });
  const level = sdkLogLevel(config.loggerLevel);
  // The CLI reports failed attempts (progress) and the run's failure itself, in fewer words;
  // an activity that completes after Ctrl-C cancelled its run is expected, not news.
  const reportedByTheCli = (message: string) =>
    level !== 'DEBUG' &&
    (message === 'Activity failed' ||
      message === 'Workflow failed' ||
      message.startsWith('Activity not found on completion'));
  Runtime.install({
    ...sdkLogging(new IngestionWorkerLogger(level, reportedByTheCli), level),
    // The signals are this command's: the worker must outlive the first Ctrl-C, which cancels the run.
    shutdownSignals: [],
  });
  console.error(
    'No Temporal cluster configured (--address / TEMPORAL_ADDRESS): starting a local Temporal dev server and worker...',
  );
  const local = await startLocalTemporal((line) => console.error(line));
  console.error(`Temporal CLI: ${local.source}`);
  try {
    const worker = await createIngestionWorker({
      connection: local.nativeConnection,
      namespace: local.namespace,
      taskQueue,
      activities: {
        env: process.env,
        keyring: { ...(sealingKey ? { current: sealingKey } : {}), previous: [] },
        // This process runs the user's own config: it allows what that config names.
        policy: policyAllowingConfig(config, referencedVariables(input)),
      },
    });
    const client = new Client({ connection: local.connection, namespace: local.namespace });
    return await worker.runUntil(async () => {
      const handle = await startRun(client, config, input, taskQueue);
      runStarted = true;
      const batches = new Set<string>();
      const ended = await waitForRun(client, handle, options, interrupts, undefined, (snapshot) => {
        for (const batch of snapshot.batches) batches.add(batch.workflowId);
      });
      if (!('signal' in ended)) return report(ended, config, options);
      const written = await cancelRunAndCountWrites(client, handle, batches);
      console.error(
        input.options?.dryRun
          ? 'interrupted: dry run cancelled, nothing was written'
          : `interrupted: run cancelled, ${written === undefined ? 'an unknown number of' : written} topics written so far`,
      );
      return interruptExitCode(ended.signal);
    });
  } finally {
    await local.stop();
    interrupts.dispose();
  }
}

/** The SDK's log level for a local run: its warnings and errors, or everything at DEBUG. */
function sdkLogLevel(loggerLevel: IngestionConfig['loggerLevel']): LogLevel {
  if (loggerLevel === 'DEBUG') return 'DEBUG';
  return loggerLevel === 'ERROR' ? 'ERROR' : 'WARN';
}

function runOptionsFrom(options: IngestCommandOptions): IngestionRunOptions {
  const runOptions: IngestionRunOptions = {};
  if (options.dryRun) runOptions.dryRun = true;
  if (options.sampleSize !== undefined) runOptions.sampleSize = options.sampleSize;
  if (options.streamConcurrency !== undefined) runOptions.streamConcurrency = options.streamConcurrency;
  if (options.batchSize !== undefined) runOptions.batchSize = options.batchSize;
  if (options.streamTags) runOptions.streamTags = true;
  if (options.ownerTagKey !== undefined) runOptions.ownerTagKey = options.ownerTagKey;
  return runOptions;
}

/**
 * Waits for the run's outcome, showing live progress on stderr meanwhile (unless --json or
 * --no-progress), or for the first Ctrl-C, whichever comes first.
 */
async function waitForRun(
  client: Client,
  handle: WorkflowHandle,
  options: IngestCommandOptions,
  interrupts: InterruptWatch,
  workers?: { namespace: string; taskQueue: string; workerCommand: string },
  onSnapshot?: (snapshot: ProgressSnapshot) => void,
): Promise<RunOutcome | { signal: InterruptSignal }> {
  const result = runOutcome(handle);
  const watching = new AbortController();
  const quiet = options.json || options.progress === false;
  const outcome = quiet
    ? result
    : watchRunProgress(client, handle.workflowId, result, {
        signal: watching.signal,
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(workers ? { workers } : {}),
        ...(onSnapshot ? { onSnapshot } : {}),
      });
  // Without the progress display, the run's task queue is still watched for a worker.
  const watch = quiet && workers ? watchWorkers(client, workers, (line) => console.error(line)) : undefined;
  // Whichever loses the race is settled later, or never: not an unhandled rejection.
  outcome.catch(() => undefined);
  try {
    return await Promise.race([outcome, interrupts.received.then((signal) => ({ signal }))]);
  } finally {
    watching.abort();
    watch?.stop();
  }
}

/** Prints the summary on stdout; the exit code as `metadata ingest` has it. */
function report(outcome: RunOutcome, config: IngestionConfig, options: IngestCommandOptions): number {
  if (outcome.status === 'completed') {
    console.log(options.json ? JSON.stringify(outcome.summary, null, 2) : renderSummary(outcome.summary));
    return exitCodeFor(outcome.summary, config.raiseOnError);
  }
  // With --json, stdout always holds one JSON document: a failed run's is its outcome.
  if (options.json) {
    const failed = {
      status: outcome.status,
      message: outcome.message,
      partialSummary: outcome.partial ?? null,
    };
    console.log(JSON.stringify(failed, null, 2));
  } else if (outcome.partial) console.log(renderSummary(outcome.partial));
  throw new CliExit(EXIT_RUN_FAILED, `The run failed: ${outcome.message}`);
}

/** The environment variables the secrets of a run input refer to (`${NAME}` values). */
function referencedVariables(input: IngestionRunInput): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const name = environmentReference(value);
      if (name !== undefined) names.add(name);
    } else if (value && typeof value === 'object') {
      for (const item of Object.values(value)) visit(item);
    }
  };
  visit(input.config);
  return [...names];
}
