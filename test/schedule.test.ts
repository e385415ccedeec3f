// `om-kinesis schedule ...` run as the user runs it (a child process) against the test stack's
// Temporal dev server; scheduled runs are executed by the product's worker and write to the
// OpenMetadata test server. Every schedule a test makes is deleted in `after`, whatever happens.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import type { IngestionRunInput } from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { formatDuration, parseDuration, specText } from '../client/commands/schedule/index.js';
import { SEARCH_ATTRIBUTES } from '../common/search-attributes.js';
import { resolveTemporalCli } from '../client/local-temporal/temporal-cli.js';
import { OM_KINESIS_BIN, runCommand, type CommandResult } from './support/cli-runner.js';
import { getTemporal } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
  type TestConfigOptions,
} from './support/ingestion-harness.js';

type CliResult = CommandResult;

const SECRET_ENV = { SCHEDULE_TEST_AWS_SECRET: 'resolved-by-the-worker' };
const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-schedule-test-'));
const serviceKey = defineSearchAttributeKey('OmKinesisService', SearchAttributeType.KEYWORD);

const execute = (file: string, args: string[], env: NodeJS.ProcessEnv) => runCommand(file, args, env, 30_000);

describe('om-kinesis schedule', function () {
  this.timeout(60_000);

  let address: string;
  let connection: Connection;
  let client: Client;
  let worker: RunningWorker;
  const scheduleIds = new Set<string>();

  before(async () => {
    const temporal = await getTemporal();
    address = temporal.address;
    connection = await Connection.connect({ address });
    client = new Client({ connection });
    worker = await startTestWorker({ env: SECRET_ENV });
  });

  after(async () => {
    // Runs a schedule started on a queue no worker polls would stay open: end them, then delete.
    for (const scheduleId of scheduleIds) {
      const handle = client.schedule.getHandle(scheduleId);
      const description = await handle.describe().catch(() => undefined);
      if (!description) continue;
      for (const running of description.info.runningActions) {
        await client.workflow
          .getHandle(running.workflow.workflowId)
          .terminate('schedule test over')
          .catch(() => undefined);
      }
      await handle.delete().catch(() => undefined);
    }
    await worker?.stop();
    await connection?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Runs the CLI against the test cluster (TEMPORAL_ADDRESS), with the config's secret variable. */
  function om(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
    return execute(process.execPath, [OM_KINESIS_BIN, ...args], {
      ...process.env,
      ...SECRET_ENV,
      TEMPORAL_ADDRESS: address,
      ...env,
    });
  }

  /** A config for a new service (its schedule is cleaned up after the tests). */
  function newService(
    prefix: string,
    overrides: Partial<TestConfigOptions> = {},
  ): { serviceName: string; scheduleId: string; configFile: string } {
    const serviceName = uniqueName(prefix);
    const scheduleId = `om-kinesis-${serviceName}`;
    scheduleIds.add(scheduleId);
    return { serviceName, scheduleId, configFile: writeConfig(serviceName, overrides) };
  }

  function writeConfig(serviceName: string, overrides: Partial<TestConfigOptions> = {}): string {
    const file = path.join(scratch, `${serviceName}-${Math.random().toString(36).slice(2)}.yaml`);
    const document = testConfigDocument({
      serviceName,
      accessKeyId: '123456789012',
      secretAccessKey: '${SCHEDULE_TEST_AWS_SECRET}',
      kinesisEndpoint: 'http://127.0.0.1:1',
      openMetadataUrl: 'http://127.0.0.1:2/api',
      ...overrides,
    });
    // JSON is YAML: the CLI reads it as the YAML a user writes.
    writeFileSync(file, JSON.stringify(document, null, 2));
    return file;
  }

  function actionInput(description: ScheduleDescription): IngestionRunInput {
    return description.action.args?.[0] as IngestionRunInput;
  }

  it('create: the schedule of the service, with run input, policies and search attributes; a second create is refused, --update updates', async () => {
    const { serviceName, scheduleId, configFile } = newService('sched_create');
    const created = await om([
      'schedule',
      'create',
      '-c',
      configFile,
      '--every',
      '6h',
      '--jitter',
      '1m',
      '--note',
      'nightly catalogue',
      '--task-queue',
      'idle',
    ]);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.include(`Created schedule ${scheduleId} for service ${serviceName}`);
    expect(created.stdout).to.include('Times:       every 6h, jitter 1m');

    const description = await client.schedule.getHandle(scheduleId).describe();
    expect(description.spec.intervals?.map((interval) => interval.every)).to.deep.equal([6 * 3600_000]);
    expect(description.policies).to.deep.equal({
      overlap: 'SKIP',
      catchupWindow: 3600_000,
      pauseOnFailure: false,
    });
    expect(description.state).to.include({ paused: false, note: 'nightly catalogue' });
    expect(description.memo).to.deep.include({ omKinesisService: serviceName });
    expect(description.action).to.include({
      workflowType: 'kinesisMetadataIngestion',
      workflowId: `om-kinesis-${serviceName}-scheduled`,
      taskQueue: 'idle',
      staticSummary: `Scheduled Kinesis -> OpenMetadata ingestion of service ${serviceName}`,
    });
    const searchAttributes = description.action.typedSearchAttributes;
    expect(searchAttributes).to.be.instanceOf(TypedSearchAttributes);
    expect((searchAttributes as TypedSearchAttributes).get(serviceKey)).to.equal(serviceName);
    // The input `ingest` builds: the secret stays a reference that the workers resolve.
    expect(actionInput(description).config).to.have.nested.property(
      'source.serviceConnection.config.awsConfig.awsSecretAccessKey',
      '${SCHEDULE_TEST_AWS_SECRET}',
    );
    expect(JSON.stringify(description.action)).to.not.include('resolved-by-the-worker');

    const [described, duplicate] = await Promise.all([
      om(['schedule', 'describe', serviceName]),
      om(['schedule', 'create', '-c', configFile, '--cron', '0 3 * * *']),
    ]);
    expect(described.code, described.stderr).to.equal(0);
    expect(described.stdout).to.include(`Schedule ${scheduleId} of service ${serviceName}`);
    expect(described.stdout).to.include('Times:       every 6h, jitter 1m');
    expect(described.stdout).to.include('State:       active (note: nightly catalogue)');
    expect(described.stdout).to.include('Policies:    overlap SKIP, catch-up window 1h');
    expect(described.stdout).to.match(/Next runs: {3}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in /);
    expect(described.stdout).to.include('Last runs: none yet');
    expect(duplicate.code).to.equal(1);
    expect(duplicate.stderr).to.include(`service ${serviceName} already has a schedule (${scheduleId})`);
    expect(duplicate.stderr).to.include('nothing was changed');
    const unchanged = await client.schedule.getHandle(scheduleId).describe();
    expect(unchanged.spec).to.deep.equal(description.spec);
    expect(unchanged.info.lastUpdatedAt).to.equal(description.info.lastUpdatedAt);

    const updated = await om([
      'schedule',
      'create',
      '-c',
      configFile,
      '--cron',
      '0 3 * * MON-FRI',
      '--time-zone',
      'Europe/Paris',
      '--update',
      '--task-queue',
      'idle',
    ]);
    expect(updated.code, updated.stderr).to.equal(0);
    expect(updated.stdout).to.include(`Updated schedule ${scheduleId}`);
    expect(updated.stdout).to.include('Times:       cron "0 3 * * MON-FRI", time zone Europe/Paris');
    expect(updated.stdout).to.include('State:       active (note: nightly catalogue)');
    const afterUpdate = await client.schedule.getHandle(scheduleId).describe();
    expect(afterUpdate.spec.intervals).to.deep.equal([]);
    expect(afterUpdate.spec.timezone).to.equal('Europe/Paris');
    let count = 0;
    for await (const schedule of client.schedule.list()) if (schedule.scheduleId === scheduleId) count++;
    expect(count).to.equal(1);
  });

  it('update -c: a config change reaches the action input, times and task queue are kept; no schedule: error', async () => {
    const { serviceName, scheduleId, configFile } = newService('sched_update');
    const created = await om([
      'schedule',
      'create',
      '-c',
      configFile,
      '--every',
      '2h',
      '--task-queue',
      'idle',
    ]);
    expect(created.code, created.stderr).to.equal(0);
    const filtered = writeConfig(serviceName, { filter: { includes: ['^orders\\.'] } });
    const { configFile: unscheduled, serviceName: other } = newService('sched_none');

    const [updated, missing] = await Promise.all([
      om(['schedule', 'update', '-c', filtered]),
      om(['schedule', 'update', '-c', unscheduled]),
    ]);
    expect(updated.code, updated.stderr).to.equal(0);
    expect(updated.stdout).to.include(`Updated schedule ${scheduleId}`);
    expect(updated.stdout).to.include('Times:       every 2h');
    const description = await client.schedule.getHandle(scheduleId).describe();
    expect(actionInput(description).config).to.have.deep.nested.property(
      'source.sourceConfig.config.topicFilterPattern',
      { includes: ['^orders\\.'] },
    );
    expect(description.spec.intervals?.map((interval) => interval.every)).to.deep.equal([2 * 3600_000]);
    expect(description.action.taskQueue).to.equal('idle');
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include(
      `service ${other} has no schedule (schedule id om-kinesis-${other} not found) in namespace default`,
    );
  });

  it('pause / unpause show in describe and list; trigger skips while a run of the schedule is in progress', async () => {
    const { serviceName, scheduleId, configFile } = newService('sched_pause');
    // No worker polls this queue, so a triggered run stays in progress.
    const created = await om([
      'schedule',
      'create',
      '-c',
      configFile,
      '--every',
      '1d',
      '--task-queue',
      'idle',
    ]);
    expect(created.code, created.stderr).to.equal(0);

    const paused = await om(['schedule', 'pause', serviceName, '--note', 'maintenance window']);
    expect(paused.code, paused.stderr).to.equal(0);
    const [described, listed] = await Promise.all([
      om(['schedule', 'describe', serviceName]),
      om(['schedule', 'list']),
    ]);
    expect(described.stdout).to.include('State:       paused (note: maintenance window)');
    expect(described.stdout).to.include('Next runs:   none while paused');
    expect(listed.stdout).to.match(new RegExp(`\\| ${serviceName} +\\| every 1d +\\| paused +\\| - +\\|`));

    const unpaused = await om(['schedule', 'unpause', serviceName]);
    expect(unpaused.code, unpaused.stderr).to.equal(0);
    expect((await client.schedule.getHandle(scheduleId).describe()).state.paused).to.equal(false);

    const first = await om(['schedule', 'trigger', serviceName]);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.include(`Started om-kinesis-${serviceName}-scheduled-`);
    const second = await om(['schedule', 'trigger', serviceName]);
    expect(second.code).to.equal(1);
    expect(second.stderr).to.include('No run started: a run of the schedule');
    const running = await om(['schedule', 'describe', serviceName]);
    expect(running.stdout).to.match(/State: {7}active/);
    expect(running.stdout).to.include('1 taken, 1 skipped');
    expect(running.stdout).to.match(/\| RUNNING \| in progress \|/);
  });

  it('trigger: none while a run of the service started outside the schedule is in progress', async () => {
    const { serviceName, configFile } = newService('sched_busy');
    const created = await om([
      'schedule',
      'create',
      '-c',
      configFile,
      '--every',
      '1d',
      '--task-queue',
      'idle',
    ]);
    expect(created.code, created.stderr).to.equal(0);
    // An ingest on a queue no worker polls: its run stays in progress under the service's id.
    const started = await om(['ingest', '-c', configFile, '--task-queue', 'idle', '--no-wait']);
    expect(started.code, started.stderr).to.equal(0);
    const handle = client.workflow.getHandle(`om-kinesis-${serviceName}`);
    try {
      const triggered = await om(['schedule', 'trigger', serviceName]);
      expect(triggered.code).to.equal(1);
      expect(triggered.stderr).to.include(
        `No run started: a run of service ${serviceName} is in progress (workflow id om-kinesis-${serviceName}), started outside the schedule`,
      );
      expect(triggered.stderr).to.include(`om-kinesis status ${serviceName}`);
      const info = (await client.schedule.getHandle(`om-kinesis-${serviceName}`).describe()).info;
      expect(info.numActionsTaken + info.numActionsSkippedOverlap, 'nothing asked of the schedule').to.equal(
        0,
      );
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });

  it('trigger: the scheduled run ingests, and describe shows it completed with its counts', async () => {
    const openMetadata = await getOpenMetadata();
    const { fixture, accessKeyId, endpoint } = await isolatedKinesis();
    await fixture.createStreams(['sched.orders', 'sched.payments'], 1);
    fixture.close();
    const { serviceName, configFile } = newService('sched_run', {
      accessKeyId,
      kinesisEndpoint: endpoint,
      openMetadataUrl: openMetadata.url,
      generateSampleData: false,
    });
    const created = await om([
      'schedule',
      'create',
      '-c',
      configFile,
      '--cron',
      '0 0 1 1 *',
      '--task-queue',
      worker.taskQueue,
    ]);
    expect(created.code, created.stderr).to.equal(0);

    const triggered = await om(['schedule', 'trigger', serviceName]);
    expect(triggered.code, triggered.stderr).to.equal(0);
    const workflowId = /Started (\S+) for service/.exec(triggered.stdout)?.[1];
    expect(workflowId, triggered.stdout).to.match(new RegExp(`^om-kinesis-${serviceName}-scheduled-`));
    const summary = (await client.workflow.getHandle(workflowId as string).result()) as IngestionSummary;
    expect(summary).to.include({ serviceName, created: 2, failed: 0 });
    expect(openMetadata.topicByFqn(`${serviceName}."sched.orders"`)).to.not.equal(undefined);
    expect(openMetadata.topicByFqn(`${serviceName}."sched.payments"`)).to.not.equal(undefined);

    const described = await om(['schedule', 'describe', serviceName]);
    expect(described.code, described.stderr).to.equal(0);
    expect(described.stdout).to.match(
      new RegExp(`\\| ${workflowId} +\\| COMPLETED \\| 2 created, 0 updated, 0 unchanged, 0 failed \\|`),
    );
    expect(described.stdout + triggered.stdout).to.not.include('resolved-by-the-worker');
  });

  it('delete: the schedule is gone, and describe or delete then say the service has none', async () => {
    const { serviceName, scheduleId, configFile } = newService('sched_delete');
    const created = await om([
      'schedule',
      'create',
      '-c',
      configFile,
      '--every',
      '1d',
      '--task-queue',
      'idle',
    ]);
    expect(created.code, created.stderr).to.equal(0);

    const deleted = await om(['schedule', 'delete', serviceName]);
    expect(deleted.code, deleted.stderr).to.equal(0);
    expect(deleted.stdout).to.include(`Deleted the schedule of service ${serviceName}`);
    const gone = await client.schedule
      .getHandle(scheduleId)
      .describe()
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(gone).to.be.instanceOf(ScheduleNotFoundError);
    const afterwards = await Promise.all([
      om(['schedule', 'describe', serviceName]),
      om(['schedule', 'delete', serviceName]),
    ]);
    for (const result of afterwards) {
      expect(result.code).to.equal(1);
      expect(result.stderr).to.include(
        `service ${serviceName} has no schedule (schedule id ${scheduleId} not found) in namespace default`,
      );
    }
  });

  it('a bad config, a literal secret or no cluster: exit 2 with the reason, no schedule created', async () => {
    const { serviceName, scheduleId } = newService('sched_bad');
    const broken = path.join(scratch, 'broken.yaml');
    writeFileSync(
      broken,
      `source:
  type: kinesis
  serviceName: ${serviceName}
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsRegon: us-east-1
  sourceConfig:
    config:
      generateSampleData: "yes"
sink:
  type: metadata-rest
workflowConfig:
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    authProvider: no-auth
`,
    );
    const literal = writeConfig(serviceName, { secretAccessKey: 'plain-secret' });
    const [invalid, plaintext, nowhere] = await Promise.all([
      om(['schedule', 'create', '-c', broken, '--every', '1h']),
      om(['schedule', 'create', '-c', literal, '--every', '1h'], { OM_KINESIS_SECRETS_KEY: undefined }),
      om(['schedule', 'create', '-c', writeConfig(serviceName), '--every', '1h'], {
        TEMPORAL_ADDRESS: undefined,
      }),
    ]);

    expect(invalid.code).to.equal(2);
    expect(invalid.stderr).to.include('the config is invalid (3 errors); no schedule was created or changed');
    expect(invalid.stderr).to.include('source.serviceConnection.config.awsConfig.awsRegion: Required');
    expect(invalid.stderr).to.include('source.sourceConfig.config.generateSampleData');
    expect(plaintext.code).to.equal(2);
    expect(plaintext.stderr).to.include(
      'source.serviceConnection.config.awsConfig.awsSecretAccessKey: a literal secret would be stored in Temporal history',
    );
    expect(nowhere.code).to.equal(2);
    expect(nowhere.stderr).to.include('schedules live on a Temporal cluster: pass --address HOST:PORT');
    for (const result of [invalid, plaintext, nowhere]) expect(result.stderr).to.not.match(/\n\s+at /);

    const error = await client.schedule
      .getHandle(scheduleId)
      .describe()
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).to.be.instanceOf(ScheduleNotFoundError);
  });

  it('a namespace without the search attributes: the schedule is made without them, with a warning', async () => {
    const namespace = uniqueName('no-search-attributes');
    const registered = await execute(
      resolveTemporalCli().path,
      ['operator', 'namespace', 'create', '--namespace', namespace, '--address', address],
      process.env,
    );
    expect(registered.code, registered.stderr).to.equal(0);
    const { serviceName, scheduleId, configFile } = newService('sched_no_sa');
    const handle = new Client({ connection, namespace }).schedule.getHandle(scheduleId);
    try {
      const created = await om([
        'schedule',
        'create',
        '-c',
        configFile,
        '--every',
        '1d',
        '--namespace',
        namespace,
        '--task-queue',
        'idle',
      ]);
      expect(created.code, created.stderr).to.equal(0);
      expect(created.stderr).to.include(
        `warning: the namespace ${namespace} lacks the search attributes ${Object.entries(SEARCH_ATTRIBUTES)
          .map(([name, type]) => `${name} (${type})`)
          .join(
            ', ',
          )}, so runs cannot be filtered or shown by them in the Web UI or \`temporal workflow list\`; the schedule goes on without them. Register them once with: temporal operator search-attribute create --namespace ${namespace} --name OmKinesisService --type Keyword`,
      );
      expect(created.stdout).to.include(
        `Created schedule ${scheduleId} for service ${serviceName} in namespace ${namespace}`,
      );
      const description = await handle.describe();
      expect(description.memo).to.deep.include({ omKinesisService: serviceName });
      const searchAttributes = description.action.typedSearchAttributes;
      expect(
        searchAttributes instanceof TypedSearchAttributes ? searchAttributes.getAll() : [],
      ).to.deep.equal([]);
      expect(description.typedSearchAttributes.getAll()).to.deep.equal([]);
    } finally {
      await handle.delete().catch(() => undefined);
    }
  });

  it("the operations guide's `temporal schedule create` makes a schedule om-kinesis manages, whose run ingests", async () => {
    const openMetadata = await getOpenMetadata();
    const { fixture, accessKeyId, endpoint } = await isolatedKinesis();
    await fixture.createStreams(['via.temporal.schedule'], 1);
    fixture.close();
    const { serviceName, scheduleId, configFile } = newService('sched_cli', {
      accessKeyId,
      kinesisEndpoint: endpoint,
      openMetadataUrl: openMetadata.url,
      generateSampleData: false,
    });
    const printed = await om(['input', '-c', configFile]);
    expect(printed.code, printed.stderr).to.equal(0);
    const runFile = path.join(scratch, `${serviceName}-run.json`);
    writeFileSync(runFile, printed.stdout);

    // The command of docs/operations.md, with this test's names.
    const temporal = resolveTemporalCli().path;
    const env = { ...process.env, TEMPORAL_ADDRESS: address };
    const created = await execute(
      temporal,
      [
        'schedule',
        'create',
        '--schedule-id',
        scheduleId,
        '--interval',
        '1d',
        '--catchup-window',
        '1h',
        '--overlap-policy',
        'Skip',
        '--workflow-id',
        `om-kinesis-${serviceName}-scheduled`,
        '--task-queue',
        worker.taskQueue,
        '--type',
        'kinesisMetadataIngestion',
        '--input-file',
        runFile,
        '--static-summary',
        `Scheduled Kinesis -> OpenMetadata ingestion of service ${serviceName}`,
        '--search-attribute',
        `OmKinesisService="${serviceName}"`,
        '--search-attribute',
        'OmKinesisConnector="kinesis"',
        '--schedule-search-attribute',
        `OmKinesisService="${serviceName}"`,
        '--schedule-search-attribute',
        'OmKinesisConnector="kinesis"',
        '--schedule-memo',
        `omKinesisService="${serviceName}"`,
        '--schedule-memo',
        'omKinesisConnector="kinesis"',
      ],
      env,
    );
    expect(created.code, created.stderr).to.equal(0);
    const triggered = await execute(
      temporal,
      ['schedule', 'trigger', '--schedule-id', scheduleId, '--overlap-policy', 'Skip'],
      env,
    );
    expect(triggered.code, triggered.stderr).to.equal(0);

    let runWorkflowId: string | undefined;
    for (let i = 0; i < 50 && !runWorkflowId; i++) {
      const description = await client.schedule.getHandle(scheduleId).describe();
      runWorkflowId = description.info.recentActions[0]?.action.workflow.workflowId;
      if (!runWorkflowId) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(runWorkflowId).to.be.a('string');
    const summary = (await client.workflow.getHandle(runWorkflowId as string).result()) as IngestionSummary;
    expect(summary).to.include({ serviceName, created: 1, failed: 0 });
    expect(openMetadata.topicByFqn(`${serviceName}."via.temporal.schedule"`)).to.not.equal(undefined);

    // om-kinesis recognises it as the service's schedule.
    const [described, listed] = await Promise.all([
      om(['schedule', 'describe', serviceName, '--json']),
      om(['schedule', 'list', '--json']),
    ]);
    expect(described.code, described.stderr).to.equal(0);
    const entry = (JSON.parse(listed.stdout) as Array<Record<string, unknown>>).find(
      (row) => row.serviceName === serviceName,
    );
    expect(entry).to.include({ scheduleId, times: 'every 1d', paused: false });
    const details = JSON.parse(described.stdout) as {
      times: string;
      policies: { overlap: string; catchupWindow: number };
      recentRuns: Array<{ status: string; summary?: IngestionSummary }>;
    };
    expect(details.times).to.equal('every 1d');
    expect(details.policies).to.include({ overlap: 'SKIP', catchupWindow: 3600_000 });
    expect(details.recentRuns[0]?.status).to.equal('COMPLETED');
    expect(details.recentRuns[0]?.summary).to.include({ created: 1, failed: 0 });
  });
});

describe('schedule times as the CLI reads and prints them', () => {
  it('durations: a whole number and a unit (s, m, h, d), possibly combined; nothing else', () => {
    expect(parseDuration('90s')).to.equal(90_000);
    expect(parseDuration('30m')).to.equal(1_800_000);
    expect(parseDuration('1h30m')).to.equal(5_400_000);
    expect(parseDuration('1d')).to.equal(86_400_000);
    for (const text of ['30', '1.5h', 'h', '1 h', '1w', '-1h', '1hour', ''])
      expect(parseDuration(text), text).to.equal(undefined);
    expect(formatDuration(5_400_000)).to.equal('1h30m');
    expect(formatDuration(90_061_000)).to.equal('1d1h1m1s');
    expect(formatDuration(0)).to.equal('0s');
  });

  it('a calendar the server made of a cron expression is printed back as that cron expression', () => {
    const all = <T>(start: T, end: T) => [{ start, end, step: 1 }];
    const calendar = {
      second: all(0, 0),
      minute: [{ start: 0, end: 59, step: 15 }],
      hour: [{ start: 9, end: 17, step: 1 }],
      dayOfMonth: [
        { start: 1, end: 1, step: 1 },
        { start: 15, end: 15, step: 1 },
      ],
      month: all('JANUARY' as const, 'DECEMBER' as const),
      year: [],
      dayOfWeek: all('MONDAY' as const, 'FRIDAY' as const),
      comment: '',
    };
    expect(specText({ calendars: [calendar], jitter: 300_000, timezone: 'Europe/Paris' })).to.equal(
      'cron "*/15 9-17 1,15 * MON-FRI", jitter 5m, time zone Europe/Paris',
    );
    expect(specText({ intervals: [{ every: 21_600_000, offset: 0 }] })).to.equal('every 6h');
  });
});
