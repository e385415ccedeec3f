// `npm run record-histories`: runs every shape of workflow execution against local servers and
// writes their histories to test/histories/, which test/replay.test.ts replays against the
// current workflow code. Re-record after a deliberate change of the workflows' commands (new
// or reordered activities, children, timers, search attributes), once the change is on main
// and runs started before it have drained or are pinned to their build (docs/operations.md,
// "Upgrading workers").
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startTemporalDevServer } from '../../client/local-temporal/temporal-dev-server.js';
import { createServiceSchedule } from '../../client/schedules/index.js';
import {
  INGESTION_WORKFLOW_TYPE,
  ingestionWorkflowId,
  type IngestionRunInput,
  type IngestionRunOptions,
} from '../../common/run-input.js';
import { SEARCH_ATTRIBUTES } from '../../common/search-attributes.js';
import { mochaGlobalTeardown, TEST_LOG_DIR } from './global-stack.js';
import {
  executionsOfRun,
  HISTORIES_DIR,
  HISTORIES_INDEX,
  writeHistoryFile,
  type HistoriesIndex,
  type WorkflowShape,
} from './history-files.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './ingestion-harness.js';

/** Continue-as-new is suggested from this many events on, so that a short listing shows it. */
const SUGGEST_CONTINUE_AS_NEW_AFTER_EVENTS = 40;
const SECRET_ENV = 'RECORDING_AWS_SECRET_ACCESS_KEY';

async function recordHistories(): Promise<void> {
  const temporal = await startTemporalDevServer({
    logDir: TEST_LOG_DIR,
    searchAttributes: SEARCH_ATTRIBUTES,
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AS_NEW_AFTER_EVENTS },
  });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const [om, kinesis] = await Promise.all([getOpenMetadata(), isolatedKinesis()]);
  const workers: RunningWorker[] = [];
  const worker = async (extra: { describeCallsPerSecond?: number } = {}) => {
    const started = await startTestWorker(
      { env: { [SECRET_ENV]: 'not-a-real-secret' } },
      { address: temporal.address, ...extra },
    );
    workers.push(started);
    return started;
  };
  try {
    await kinesis.fixture.createStreams(['orders.v1', 'clickstream', 'payments.raw', 'audit-log'], 1);
    await kinesis.fixture.putRecords('orders.v1', ['{"id":1}', '{"id":2}']);
    const input = (
      serviceName: string,
      options: IngestionRunOptions = {},
      pipeline?: string,
    ): IngestionRunInput => ({
      config: {
        ...testConfigDocument({
          serviceName,
          accessKeyId: kinesis.accessKeyId,
          secretAccessKey: `\${${SECRET_ENV}}`,
          kinesisEndpoint: kinesis.endpoint,
          openMetadataUrl: om.url,
          generateSampleData: true,
        }),
        ...(pipeline ? { ingestionPipelineFQN: `${serviceName}.${pipeline}` } : {}),
      },
      options,
    });
    const main = await worker();
    const index: HistoriesIndex = { histories: [] };
    rmSync(HISTORIES_DIR, { recursive: true, force: true });

    /** Writes the histories of the run that started as `workflowId` / `runId`. */
    const record = async (shape: WorkflowShape, workflowId: string, runId: string): Promise<void> => {
      const executions = await executionsOfRun(client, workflowId, runId);
      mkdirSync(path.join(HISTORIES_DIR, shape), { recursive: true });
      executions.forEach((execution, n) => {
        const file = path.join(shape, `${n + 1}.json`);
        writeHistoryFile(path.join(HISTORIES_DIR, file), execution.history);
        index.histories.push({ shape, workflowId: execution.workflowId, file });
      });
      console.error(`recorded ${shape}: ${executions.length} histories`);
    };

    /** Starts a run of `serviceName` on `on`; `whileRunning` acts on it before its end. */
    const run = async (
      shape: WorkflowShape,
      serviceName: string,
      options: IngestionRunOptions & {
        on?: RunningWorker;
        workflowId?: string;
        invalid?: boolean;
        pipeline?: string;
      } = {},
      whileRunning?: (workflowId: string, firstRunId: string) => Promise<void>,
    ): Promise<void> => {
      const {
        on = main,
        workflowId = ingestionWorkflowId(serviceName),
        invalid,
        pipeline,
        ...runOptions
      } = options;
      const args = invalid
        ? [{ config: { source: { type: 'kinesis' } } }]
        : [input(serviceName, runOptions, pipeline)];
      const handle = await client.workflow.start(INGESTION_WORKFLOW_TYPE, {
        taskQueue: on.taskQueue,
        workflowId,
        args,
      });
      await whileRunning?.(workflowId, handle.firstExecutionRunId);
      await handle.result().catch(() => undefined);
      await record(shape, workflowId, handle.firstExecutionRunId);
    };

    const service = (prefix: string) => uniqueName(prefix).replaceAll('-', '_');
    await run('first-run', service('first'));
    await run('continued-as-new', service('continued'), { batchSize: 1, batchConcurrency: 1 });
    await run('dry-run', service('dry'), { dryRun: true });
    await run('failed-run', service('invalid'), { invalid: true });
    await run('reported', service('reported'), { pipeline: 'om_kinesis_metadata' });
    // Describe steps at one every 100 s keep the batch waiting until it is terminated.
    const slow = await worker({ describeCallsPerSecond: 0.01 });
    await run('failed-batch', service('failed_batch'), { on: slow }, async (workflowId, runId) => {
      const batch = client.workflow.getHandle(`${workflowId}/${runId}/batch-0`);
      await until(async () => (await batch.describe()).status.name === 'RUNNING');
      await batch.terminate('recording a batch that failed as a whole');
    });

    const scheduled = service('scheduled');
    const schedule = await createServiceSchedule(
      client,
      {
        serviceName: scheduled,
        input: input(scheduled),
        taskQueue: main.taskQueue,
        timing: { everyMs: 86_400_000 },
      },
      () => undefined,
    );
    const handle = client.schedule.getHandle(schedule.scheduleId);
    await handle.trigger();
    const action = await until(async () => (await handle.describe()).info.recentActions[0]?.action.workflow);
    await client.workflow.getHandle(action.workflowId).result();
    await record('scheduled', action.workflowId, action.firstExecutionRunId);
    await handle.delete();

    writeFileSync(HISTORIES_INDEX, `${JSON.stringify(index, null, 2)}\n`);
    console.error(`wrote ${index.histories.length} histories to ${HISTORIES_DIR}`);
  } finally {
    for (const started of workers) await started.stop();
    await connection.close();
    await temporal.stop();
    kinesis.fixture.close();
    await mochaGlobalTeardown();
  }
}

/** Polls `probe` until it answers something truthy (30 s at most). */
async function until<T>(probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await probe().catch(() => undefined);
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('support', 'record-histories.js'))) {
  recordHistories().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
