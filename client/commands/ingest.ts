import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import {
  ApplicationFailure,
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
} from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { IngestionConfig } from '../../common/config/index.js';
import {
  DEFAULT_TASK_QUEUE,
  INGESTION_WORKFLOW_TYPE,
  ingestionWorkflowId,
  type IngestionRunInput,
  type IngestionRunOptions,
} from '../../common/run-input.js';
import { newEphemeralSecretsKey, SECRETS_KEY_ENV, secretsKeyFrom } from '../../common/sealed-secrets.js';
import type { IngestionSummary } from '../../common/summary.js';
import { createIngestionWorker } from '../../worker/create-worker.js';
import { startLocalTemporal } from '../local-temporal.js';
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
  taskQueue?: string;
  wait?: boolean;
  json?: boolean;
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
      return await reportResult(handle, config, options.json);
    } finally {
      await connection.close();
    }
  }

  Runtime.install({ logger: new DefaultLogger(config.loggerLevel === 'DEBUG' ? 'DEBUG' : 'WARN') });
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
      return reportResult(handle, config, options.json);
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

async function reportResult(
  handle: WorkflowHandle,
  config: IngestionConfig,
  json: boolean | undefined,
): Promise<number> {
  try {
    const summary = (await handle.result()) as IngestionSummary;
    console.log(json ? JSON.stringify(summary, null, 2) : renderSummary(summary));
    return exitCodeFor(summary, config.raiseOnError);
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause;
    const message = cause instanceof ApplicationFailure ? cause.message : (cause?.message ?? error.message);
    const partial =
      cause instanceof ApplicationFailure ? (cause.details?.[0] as IngestionSummary | undefined) : undefined;
    if (partial && !json) console.log(renderSummary(partial));
    throw new CliExit(EXIT_RUN_FAILED, `The run failed: ${message}`);
  }
}
