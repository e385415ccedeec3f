// Runs the product's real worker and workflows against the test stack: one worker per test
// file on its own task queue, configs built per test, one isolated Kinesis account per test.
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { ActivityDependencies } from '../../activities/index.js';
import { destroyAwsClients } from '../../activities/aws/aws-clients.js';
import {
  INGESTION_WORKFLOW_TYPE,
  ingestionWorkflowId,
  type IngestionRunInput,
  type IngestionRunOptions,
} from '../../common/run-input.js';
import type { IngestionSummary } from '../../common/summary.js';
import { KinesisFixture } from '../../devstack/kinesis-fixture.js';
import { createIngestionWorker, type IngestionWorker } from '../../worker/create-worker.js';
import { getKinesisLocal, getOpenMetadata, getTemporal } from './global-stack.js';
import type { RunPolicy } from '../../activities/policy/run-policy.js';
import { testStackPolicy } from './test-policy.js';
import './quiet-runtime.js';

export const TEST_REGION = 'us-east-1';
/** The discard port on loopback: nothing listens there, so a call fails at once. */
const CLOSED_PORT = 'http://127.0.0.1:9';

// The SDK's Node 20 end-of-support notice is for maintainers (see bin/om-kinesis.js), not test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A 12-digit access key id: kinesis-local keeps each such "account" apart from the others. */
export function newKinesisAccount(): string {
  return String(randomInt(100_000_000_000, 999_999_999_999));
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomInt(1_000_000).toString(36)}`;
}

export interface RunningWorker {
  taskQueue: string;
  worker: IngestionWorker;
  client: Client;
  stop(): Promise<void>;
}

/**
 * Starts a worker of the product on a fresh task queue of the test Temporal server, or of the
 * server at `extra.address` (a test that needs a server of its own, e.g. one with the Web UI).
 * Kinesis calls are not paced at AWS's quotas (kinesis-local has none) unless `extra.paced`:
 * the tests of pacing and quotas turn it on.
 */
export async function startTestWorker(
  activities: Omit<ActivityDependencies, 'policy'> & { policy?: RunPolicy },
  extra: {
    taskQueue?: string;
    address?: string;
    paced?: boolean;
    identity?: string;
    describeCallsPerSecond?: number;
  } = {},
): Promise<RunningWorker> {
  const address = extra.address ?? (await getTemporal()).address;
  const taskQueue = extra.taskQueue ?? uniqueName('tq');
  const nativeConnection = await NativeConnection.connect({ address });
  let worker: IngestionWorker;
  try {
    worker = await createIngestionWorker({
      connection: nativeConnection,
      taskQueue,
      // Glue lookups go to a closed loopback port unless a test gives one (moto): never to AWS.
      activities: withTestStackPolicy({
        ...activities,
        aws: { ...(extra.paced ? {} : { rateLimits: false }), glueEndpoint: CLOSED_PORT, ...activities.aws },
      }),
      ...(extra.identity ? { identity: extra.identity } : {}),
      ...(extra.describeCallsPerSecond ? { describeCallsPerSecond: extra.describeCallsPerSecond } : {}),
    });
  } catch (error) {
    await nativeConnection.close();
    throw error;
  }
  const running = worker.run();
  const connection = await Connection.connect({ address });
  return {
    taskQueue,
    worker,
    client: new Client({ connection }),
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      destroyAwsClients();
    },
  };
}

/** Dependencies with the test stack's policy unless they carry one (see test-policy.ts). */
export function withTestStackPolicy(
  activities: Omit<ActivityDependencies, 'policy'> & { policy?: RunPolicy },
): ActivityDependencies {
  return { ...activities, policy: activities.policy ?? testStackPolicy(activities.env) };
}

export interface TestConfigOptions {
  serviceName: string;
  accessKeyId: string;
  /** Written into the config as-is: pass `${VAR}` to test resolution on the worker. */
  secretAccessKey?: string;
  kinesisEndpoint: string;
  openMetadataUrl: string;
  jwtToken?: string;
  filter?: { includes?: string[]; excludes?: string[] };
  generateSampleData?: boolean;
  markDeletedTopics?: boolean;
  assumeRoleArn?: string;
}

/** The ingestion YAML of a test, as the JSON document the workflow takes. */
export function testConfigDocument(options: TestConfigOptions): Record<string, unknown> {
  const sourceConfig: Record<string, unknown> = { type: 'MessagingMetadata' };
  if (options.filter) sourceConfig.topicFilterPattern = options.filter;
  if (options.generateSampleData !== undefined) sourceConfig.generateSampleData = options.generateSampleData;
  if (options.markDeletedTopics !== undefined) sourceConfig.markDeletedTopics = options.markDeletedTopics;
  return {
    source: {
      type: 'kinesis',
      serviceName: options.serviceName,
      serviceConnection: {
        config: {
          type: 'Kinesis',
          awsConfig: {
            awsAccessKeyId: options.accessKeyId,
            awsSecretAccessKey: options.secretAccessKey ?? '${TEST_AWS_SECRET_ACCESS_KEY}',
            awsRegion: TEST_REGION,
            endPointURL: options.kinesisEndpoint,
            ...(options.assumeRoleArn ? { assumeRoleArn: options.assumeRoleArn } : {}),
          },
        },
      },
      sourceConfig: { config: sourceConfig },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: {
      loggerLevel: 'INFO',
      openMetadataServerConfig: {
        hostPort: options.openMetadataUrl,
        authProvider: options.jwtToken ? 'openmetadata' : 'no-auth',
        ...(options.jwtToken ? { securityConfig: { jwtToken: options.jwtToken } } : {}),
      },
    },
  };
}

/** Writes the config of a test as the YAML a user gives `om-kinesis ingest -c`; returns its path. */
export function writeTestConfig(dir: string, options: TestConfigOptions): string {
  const file = path.join(dir, `${options.serviceName}.yaml`);
  writeFileSync(file, stringifyYaml(testConfigDocument(options)));
  return file;
}

/**
 * Starts a run and waits for its summary. By default under the service's own workflow id, as
 * the CLI starts runs (any other id runs it again as a child under that id).
 */
export async function runIngestion(
  worker: RunningWorker,
  config: Record<string, unknown>,
  options: IngestionRunOptions = {},
  workflowId = ingestionWorkflowId(serviceNameOf(config)),
): Promise<{ summary: IngestionSummary; handle: WorkflowHandleWithFirstExecutionRunId }> {
  const input: IngestionRunInput = { config, options };
  const handle = await worker.client.workflow.start(INGESTION_WORKFLOW_TYPE, {
    taskQueue: worker.taskQueue,
    workflowId,
    args: [input],
  });
  return { summary: (await handle.result()) as IngestionSummary, handle };
}

function serviceNameOf(config: Record<string, unknown>): string {
  const source = config.source as { serviceName?: unknown } | undefined;
  return typeof source?.serviceName === 'string' ? source.serviceName : uniqueName('ingest');
}

/** A Kinesis account of its own on the shared kinesis-local, and the stack's endpoints. */
export async function isolatedKinesis(): Promise<{
  fixture: KinesisFixture;
  accessKeyId: string;
  endpoint: string;
}> {
  const kinesis = await getKinesisLocal();
  const accessKeyId = newKinesisAccount();
  const fixture = new KinesisFixture({
    endpoint: kinesis.endpoint,
    region: TEST_REGION,
    accessKeyId,
    secretAccessKey: 'test-secret',
  });
  return { fixture, accessKeyId, endpoint: kinesis.endpoint };
}

export { getOpenMetadata };
