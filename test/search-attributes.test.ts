// Every run is found by its service however it started: the workflow sets its own search
// attributes. Runs are started the ways users start them (the Temporal CLI's `workflow start`
// and `schedule create`), on a dev server started plainly (no search attributes: the run
// completes and says once how to register them) and on one with the attributes registered.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { resolveTemporalCli } from '../client/local-temporal/temporal-cli.js';
import {
  startTemporalDevServer,
  type TemporalDevServer,
} from '../client/local-temporal/temporal-dev-server.js';
import { ingestionWorkflowId } from '../common/run-input.js';
import { SEARCH_ATTRIBUTES } from '../common/search-attributes.js';
import type { IngestionSummary } from '../common/summary.js';
import { eventually } from './support/eventually.js';
import { runCommand, runOmKinesis } from './support/cli-runner.js';
import { getTemporal, TEST_LOG_DIR } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

const SECRET_ENV = { SEARCH_ATTRIBUTES_TEST_SECRET: 'resolved-by-the-worker-3f1c' };
const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-search-attributes-'));
const temporalCli = () => resolveTemporalCli().path;

interface ListedRun {
  execution: { workflowId: string; runId: string };
  status: string;
  searchAttributes?: { indexedFields?: Record<string, { data?: string; metadata?: unknown }> };
}

/** Runs the Temporal CLI against `address`; resolves with its output once it has exited 0. */
async function temporal(address: string, args: string[]): Promise<string> {
  const result = await runCommand(temporalCli(), [...args, '--address', address], process.env, 30_000);
  expect(result.code, `temporal ${args.join(' ')}: ${result.stderr}`).to.equal(0);
  return result.stdout;
}

/**
 * `temporal workflow list --query QUERY` as JSON rows with the search attributes decoded, once
 * it lists `count` runs that have all ended (visibility follows a run by a moment).
 */
async function listEndedRuns(address: string, query: string, count: number) {
  return eventually(async () => {
    const output = await temporal(address, ['workflow', 'list', '--query', query, '--output', 'json']);
    const rows = (JSON.parse(output || '[]') as ListedRun[]).map((row) => ({
      workflowId: row.execution.workflowId,
      status: row.status,
      attributes: Object.fromEntries(
        Object.entries(row.searchAttributes?.indexedFields ?? {}).map(([name, payload]) => [
          name,
          JSON.parse(Buffer.from(payload.data ?? '', 'base64').toString('utf8')) as unknown,
        ]),
      ),
    }));
    if (rows.length !== count || rows.some((row) => row.status === 'WORKFLOW_EXECUTION_STATUS_RUNNING'))
      throw new Error(`${query} lists ${JSON.stringify(rows)}, not ${count} runs that have ended`);
    return rows;
  });
}

/** Starts the run the way the docs show: `om-kinesis input` then `temporal workflow start`. */
async function startWithTemporalCli(
  address: string,
  taskQueue: string,
  config: Record<string, unknown>,
  workflowId: string,
  extra: string[] = [],
): Promise<void> {
  const configFile = path.join(scratch, `${workflowId}.yaml`);
  writeFileSync(configFile, JSON.stringify(config));
  const input = await runOmKinesis(['input', '-c', configFile, ...extra]);
  expect(input.code, input.stderr).to.equal(0);
  const inputFile = path.join(scratch, `${workflowId}.json`);
  writeFileSync(inputFile, input.stdout);
  await temporal(address, [
    'workflow',
    'start',
    '--type',
    'kinesisMetadataIngestion',
    '--task-queue',
    taskQueue,
    '--workflow-id',
    workflowId,
    '--input-file',
    inputFile,
  ]);
}

describe('search attributes the run sets itself', function () {
  this.timeout(120_000);

  let streams: Awaited<ReturnType<typeof isolatedKinesis>>;
  let openMetadataUrl: string;

  before(async () => {
    const [om, kinesis] = await Promise.all([getOpenMetadata(), isolatedKinesis()]);
    streams = kinesis;
    openMetadataUrl = om.url;
    await kinesis.fixture.createStreams(['sa.orders', 'sa.payments'], 1);
  });
  after(() => streams?.fixture.close());

  const configFor = (serviceName: string) =>
    testConfigDocument({
      serviceName,
      accessKeyId: streams.accessKeyId,
      secretAccessKey: '${SEARCH_ATTRIBUTES_TEST_SECRET}',
      kinesisEndpoint: streams.endpoint,
      openMetadataUrl,
    });

  describe('on a dev server started with no search attributes', () => {
    let server: TemporalDevServer;
    let worker: RunningWorker;

    before(async () => {
      server = await startTemporalDevServer({ logDir: TEST_LOG_DIR, plain: true });
      worker = await startTestWorker({ env: SECRET_ENV }, { address: server.address });
    });
    after(async () => {
      await worker?.stop();
      await server?.stop();
    });

    it('a `temporal workflow start` run completes, sets none, and says once how to register them', async () => {
      const serviceName = uniqueName('plain').replaceAll('-', '_');
      const workflowId = ingestionWorkflowId(serviceName);
      await startWithTemporalCli(server.address, worker.taskQueue, configFor(serviceName), workflowId);
      const handle = worker.client.workflow.getHandle(workflowId);
      const summary = (await handle.result()) as IngestionSummary;
      expect(summary.created, JSON.stringify(summary)).to.equal(2);

      const advice = summary.warnings.filter((w) => w.message.includes('search attributes'));
      expect(advice, JSON.stringify(summary.warnings)).to.have.length(1);
      const names = Object.keys(SEARCH_ATTRIBUTES);
      expect(advice[0]?.message).to.equal(
        `the namespace default lacks the search attributes OmKinesisService (Keyword), OmKinesisConnector (Keyword), OmKinesisRole (Keyword), OmKinesisDryRun (Bool), OmKinesisCreated (Int), OmKinesisUpdated (Int), OmKinesisFailed (Int), so runs cannot be filtered or shown by them in the Web UI or \`temporal workflow list\`; the run goes on without them. Register them once with: temporal operator search-attribute create --namespace default --name OmKinesisService --type Keyword --name OmKinesisConnector --type Keyword --name OmKinesisRole --type Keyword --name OmKinesisDryRun --type Bool --name OmKinesisCreated --type Int --name OmKinesisUpdated --type Int --name OmKinesisFailed --type Int`,
      );
      const { searchAttributes } = await handle.describe();
      expect(Object.keys(searchAttributes).filter((name) => names.includes(name))).to.deep.equal([]);
      expect(await failedWorkflowTasks(handle), 'no workflow task ever failed').to.equal(0);
    });

    it('the commands of the warning register them, and the next run sets them', async () => {
      const serviceName = uniqueName('plain_then').replaceAll('-', '_');
      const summaryOf = async (workflowId: string) => {
        await startWithTemporalCli(server.address, worker.taskQueue, configFor(serviceName), workflowId);
        return (await worker.client.workflow.getHandle(workflowId).result()) as IngestionSummary;
      };
      const first = await summaryOf(ingestionWorkflowId(serviceName));
      const advice = first.warnings.find((w) => w.message.includes('Register them once with: '))?.message;
      const command = (advice ?? '').split('Register them once with: ')[1] ?? '';
      expect(command).to.match(/^temporal operator search-attribute create /);
      await temporal(server.address, command.split(' ').slice(1));
      // A plain server caches the namespace's attributes for a while: the run may wait for that
      // cache to refresh, but it completes and is then found by its service.
      const second = await summaryOf(ingestionWorkflowId(serviceName));
      expect(second.warnings.filter((w) => w.message.includes('search attributes'))).to.deep.equal([]);
      const rows = await listEndedRuns(server.address, `OmKinesisService="${serviceName}"`, 1);
      expect(rows.map((row) => row.attributes.OmKinesisCreated)).to.deep.equal([0]);
    });
  });

  describe('on a dev server with the attributes registered', () => {
    let address: string;
    let worker: RunningWorker;
    let client: Client;
    let connection: Connection;
    const scheduleIds: string[] = [];

    before(async () => {
      address = (await getTemporal()).address;
      worker = await startTestWorker({ env: SECRET_ENV });
      connection = await Connection.connect({ address });
      client = new Client({ connection });
    });
    after(async () => {
      for (const id of scheduleIds)
        await client.schedule
          .getHandle(id)
          .delete()
          .catch(() => undefined);
      await worker?.stop();
      await connection?.close();
    });

    it('a `temporal workflow start` run is found by OmKinesisService, with its role, dry run flag and counts', async () => {
      const serviceName = uniqueName('cli_run').replaceAll('-', '_');
      const workflowId = ingestionWorkflowId(serviceName);
      await startWithTemporalCli(address, worker.taskQueue, configFor(serviceName), workflowId);
      const summary = (await client.workflow.getHandle(workflowId).result()) as IngestionSummary;
      expect(summary.warnings.filter((w) => w.message.includes('search attributes'))).to.deep.equal([]);
      const [row] = await listEndedRuns(address, `OmKinesisService="${serviceName}"`, 1);
      expect(row?.workflowId).to.equal(workflowId);
      expect(row?.attributes).to.deep.include({
        OmKinesisService: serviceName,
        OmKinesisConnector: 'kinesis',
        OmKinesisRole: 'ingestion',
        OmKinesisDryRun: false,
        OmKinesisCreated: summary.created,
        OmKinesisUpdated: 0,
        OmKinesisFailed: 0,
      });

      // The same workflow id again (the first run has ended), as a dry run.
      await startWithTemporalCli(address, worker.taskQueue, configFor(serviceName), workflowId, [
        '--dry-run',
      ]);
      await client.workflow.getHandle(workflowId).result();
      const query = `OmKinesisService="${serviceName}" AND OmKinesisDryRun=true`;
      const dryRuns = await listEndedRuns(address, query, 1);
      expect(dryRuns[0]?.attributes.OmKinesisUpdated).to.equal(0);
    });

    it('a scheduled run is found by OmKinesisService: the trigger and the ingestion it started, each labelled', async () => {
      const serviceName = uniqueName('scheduled').replaceAll('-', '_');
      const scheduleId = `om-kinesis-${serviceName}`;
      scheduleIds.push(scheduleId);
      const configFile = path.join(scratch, `${serviceName}.yaml`);
      writeFileSync(configFile, JSON.stringify(configFor(serviceName)));
      const input = await runOmKinesis(['input', '-c', configFile]);
      const inputFile = path.join(scratch, `${serviceName}.json`);
      writeFileSync(inputFile, input.stdout);
      // The docs' Temporal CLI recipe, without any search attribute: the runs set their own.
      await temporal(address, [
        'schedule',
        'create',
        '--schedule-id',
        scheduleId,
        '--interval',
        '24h',
        '--overlap-policy',
        'Skip',
        '--workflow-id',
        `${ingestionWorkflowId(serviceName)}-scheduled`,
        '--task-queue',
        worker.taskQueue,
        '--type',
        'kinesisMetadataIngestion',
        '--input-file',
        inputFile,
      ]);
      await client.schedule.getHandle(scheduleId).trigger();
      const ingestion = client.workflow.getHandle(ingestionWorkflowId(serviceName));
      const summary = await eventually(async () => (await ingestion.result()) as IngestionSummary);
      expect(summary.created).to.equal(2);

      const rows = await listEndedRuns(address, `OmKinesisService="${serviceName}"`, 2);
      const trigger = rows.find((row) => row.attributes.OmKinesisRole === 'trigger');
      const run = rows.find((row) => row.attributes.OmKinesisRole === 'ingestion');
      expect(trigger?.workflowId).to.match(new RegExp(`^om-kinesis-${serviceName}-scheduled-`));
      expect(trigger?.attributes.TemporalScheduledById).to.equal(scheduleId);
      expect(trigger?.attributes.OmKinesisCreated, 'the counts are on the ingestion only').to.equal(
        undefined,
      );
      expect(run?.workflowId).to.equal(ingestionWorkflowId(serviceName));
      expect(run?.attributes).to.deep.include({ OmKinesisCreated: 2, OmKinesisFailed: 0 });
      const description = await ingestion.describe();
      expect(await description.staticSummary()).to.equal(
        `Kinesis -> OpenMetadata ingestion of service ${serviceName}, started by the schedule ${scheduleId}`,
      );
      expect(description.memo?.omKinesisTrigger).to.equal(trigger?.workflowId);
    });
  });
});

async function failedWorkflowTasks(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes).length;
}
