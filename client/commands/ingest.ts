import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { IngestionConfig } from '../../common/config/index.js';
import {
  DEFAULT_TASK_QUEUE,
  INGESTION_WORKFLOW_TYPE,
  ingestionWorkflowId,
  type IngestionRunInput,
  type IngestionRunOptions,
} from '../../common/run-input.js';
import { newEphemeralSecretsKey, SECRETS_KEY_ENV, secretsKeyFrom } from '../../common/sealed-secrets.js';
import { IngestionWorkerLogger } from '../../worker/worker-logger.js';
import { createIngestionWorker } from '../../worker/create-worker.js';
import { startLocalTemporal } from '../local-temporal/index.js';
import { runOutcome, watchRunProgress } from '../progress.js';
import { buildRunInput } from '../run-input.js';
import { exitCodeFor, renderSummary } from '../summary-table.js';
import { connectionOptionsFor, temporalTargetFrom, type TemporalFlags } from '../temporal-connection.js';
import { CliExit, configErrorExit, EXIT_RUN_FAILED, printWarnings, readConfigText } from './shared.js';

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

const serviceKey = defineSearchAttributeKey('OmKinesisService', SearchAttributeType.KEYWORD);
const connectorKey = defineSearchAttributeKey('OmKinesisConnector', SearchAttributeType.KEYWORD);

/**
 * `om-kinesis ingest -c FILE`: validates the YAML (exit 2 on any error, nothing started), then
 * runs one ingestion. With a Temporal cluster configured (--address / TEMPORAL_ADDRESS) it
 * starts the workflow there for the cluster's workers; with none, it starts a local Temporal
 * dev server and a worker in this process, like `metadata ingest`.
 */
export async function ingestCommand(options: IngestCommandOptions): Promise<number> {
  const text = await readConfigText(options.config);
  const target = temporalTargetFrom(options, process.env);
  const passphrase = process.env[SECRETS_KEY_ENV];
  // Locally the worker is this process: an ephemeral key seals secrets for it alone.
  const sealingKey = passphrase ? secretsKeyFrom(passphrase) : target ? undefined : newEphemeralSecretsKey();
  const built = buildRunInput(text, {
    env: process.env,
    fileName: options.config,
    runOptions: runOptionsFrom(options),
    ...(sealingKey ? { sealingKey } : {}),
  });
  printWarnings(built.warnings);
  if (!built.input || !built.config) throw configErrorExit(options.config, built.errors);
  const { input, config } = built;
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;

  if (target) {
    const connection = await Connection.connect(connectionOptionsFor(target));
    try {
      const client = new Client({ connection, namespace: target.namespace });
      const handle = await startRun(client, config, input, taskQueue);
      console.error(
        `Started ${handle.workflowId} (run ${handle.firstExecutionRunId}) on task queue ${taskQueue} at ${target.address}`,
      );
      if (options.wait === false) return 0;
      return await reportResult(client, handle, config, options);
    } finally {
      await connection.close();
    }
  }

  Runtime.install({
    logger: new IngestionWorkerLogger(config.loggerLevel === 'DEBUG' ? 'DEBUG' : 'WARN'),
  });
  console.error(
    'No Temporal cluster configured (--address / TEMPORAL_ADDRESS): starting a local Temporal dev server and worker...',
  );
  const local = await startLocalTemporal();
  try {
    const worker = await createIngestionWorker({
      connection: local.nativeConnection,
      namespace: local.namespace,
      taskQueue,
      activities: { env: process.env, ...(sealingKey ? { sealingKey } : {}) },
    });
    const client = new Client({ connection: local.connection, namespace: local.namespace });
    return await worker.runUntil(async () => {
      const handle = await startRun(client, config, input, taskQueue);
      return reportResult(client, handle, config, options);
    });
  } finally {
    await local.stop();
  }
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
 * Starts the run under the service's fixed workflow id: a second start while one runs is
 * refused (conflict policy FAIL), so one service never has two runs writing at once.
 */
async function startRun(
  client: Client,
  config: IngestionConfig,
  input: IngestionRunInput,
  taskQueue: string,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const workflowId = ingestionWorkflowId(config.serviceName);
  const base = {
    workflowId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL' as const,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
    staticSummary: `Kinesis -> OpenMetadata ingestion of service ${config.serviceName}${input.options?.dryRun ? ' (dry run)' : ''}`,
  };
  try {
    try {
      return await client.workflow.start(INGESTION_WORKFLOW_TYPE, {
        ...base,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: serviceKey, value: config.serviceName },
          { key: connectorKey, value: 'kinesis' },
        ]),
      });
    } catch (error) {
      if (!isUnknownSearchAttribute(error)) throw error;
      console.error(
        'warning: the search attributes OmKinesisService / OmKinesisConnector are not registered on this namespace, so runs cannot be filtered by service; register them with: temporal operator search-attribute create --name OmKinesisService --type Keyword && temporal operator search-attribute create --name OmKinesisConnector --type Keyword',
      );
      return await client.workflow.start(INGESTION_WORKFLOW_TYPE, base);
    }
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliExit(
        EXIT_RUN_FAILED,
        `a run for service ${config.serviceName} is already in progress (workflow id ${workflowId}); no second run was started. Follow it with: temporal workflow describe --workflow-id ${workflowId}`,
      );
    }
    throw error;
  }
}

function isUnknownSearchAttribute(error: unknown): boolean {
  return (
    error instanceof Error &&
    /search attribute/i.test(error.message) &&
    /not (defined|registered|found)|unknown|invalid/i.test(error.message)
  );
}

/**
 * Waits for the run's summary, showing live progress on stderr meanwhile (unless --json or
 * --no-progress), then prints the summary on stdout.
 */
async function reportResult(
  client: Client,
  handle: WorkflowHandle,
  config: IngestionConfig,
  options: IngestCommandOptions,
): Promise<number> {
  const result = runOutcome(handle);
  const outcome =
    options.json || options.progress === false
      ? await result
      : await watchRunProgress(client, handle.workflowId, result);
  if (outcome.status === 'completed') {
    console.log(options.json ? JSON.stringify(outcome.summary, null, 2) : renderSummary(outcome.summary));
    return exitCodeFor(outcome.summary, config.raiseOnError);
  }
  if (outcome.partial && !options.json) console.log(renderSummary(outcome.partial));
  throw new CliExit(EXIT_RUN_FAILED, `The run failed: ${outcome.message}`);
}
