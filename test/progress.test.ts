import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { destroyAwsClients } from '../activities/aws/aws-clients.js';
import {
  createProgressDisplay,
  phaseBefore,
  readRunProgress,
  renderProgressLine,
  type ProgressSnapshot,
} from '../client/progress/index.js';
import { INGESTION_WORKFLOW_TYPE, ingestionWorkflowId, type IngestionRunInput } from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { createIngestionWorker, type IngestionWorker } from '../worker/create-worker.js';
import { batchProgressQuery } from '../workflows/queries.js';
import { runOmKinesis, type CommandResult } from './support/cli-runner.js';
import { getTemporal } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  testConfigDocument,
  uniqueName,
  withTestStackPolicy,
} from './support/ingestion-harness.js';

const STREAMS = Array.from({ length: 60 }, (_, i) => `progress-${String(i).padStart(2, '0')}`);
const SECRET_ENV = { TEST_AWS_SECRET_ACCESS_KEY: 'test-secret' };
/**
 * Activities per second the worker of this file runs: a run of 60 streams (~130 activities)
 * then lasts several seconds on any machine, long enough to watch it from a child process.
 */
const ACTIVITIES_PER_SECOND = 20;

const runCli = (args: string[], env: Record<string, string> = {}) =>
  runOmKinesis(args, env, { timeoutMs: 60_000 });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('run progress', function () {
  this.timeout(60_000);

  let address: string;
  let omUrl: string;
  let kinesis: { accessKeyId: string; endpoint: string };
  let client: Client;
  let connection: Connection | undefined;
  let nativeConnection: NativeConnection | undefined;
  let worker: IngestionWorker | undefined;
  let running: Promise<void> | undefined;
  let taskQueue: string;

  before(async function () {
    const [temporal, om, isolated] = await Promise.all([getTemporal(), getOpenMetadata(), isolatedKinesis()]);
    address = temporal.address;
    omUrl = om.url;
    kinesis = { accessKeyId: isolated.accessKeyId, endpoint: isolated.endpoint };
    try {
      await isolated.fixture.createStreams(STREAMS, 1, { concurrency: 16 });
    } finally {
      isolated.fixture.close();
    }
    taskQueue = uniqueName('progress-tq');
    nativeConnection = await NativeConnection.connect({ address });
    worker = await createIngestionWorker({
      connection: nativeConnection,
      taskQueue,
      activities: withTestStackPolicy({ env: SECRET_ENV }),
      tuning: { maxActivitiesPerSecond: ACTIVITIES_PER_SECOND },
    });
    running = worker.run();
    connection = await Connection.connect({ address });
    client = new Client({ connection });
  });

  after(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await nativeConnection?.close();
    await connection?.close();
    destroyAwsClients();
  });

  function startRun(serviceName: string, config: Record<string, unknown>, options = {}) {
    const input: IngestionRunInput = { config, options };
    return client.workflow.start(INGESTION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: ingestionWorkflowId(serviceName),
      args: [input],
    });
  }

  describe('during a run of 60 streams in batches of 20, one stream at a time', () => {
    const serviceName = uniqueName('progress');
    const snapshots: ProgressSnapshot[] = [];
    const readErrors: string[] = [];
    let summary: IngestionSummary;
    let finalRead: ProgressSnapshot;
    let once: CommandResult;
    let follow: CommandResult;
    let durationMs: number;

    before(async function () {
      this.timeout(60_000);
      // One stream fails (OpenMetadata rejects writing its topic), so that failures show up midway.
      const om = await getOpenMetadata();
      om.setFaultInjector(({ method, path, body }) =>
        method === 'PUT' &&
        path === '/api/v1/topics' &&
        (body as { name?: string }).name?.includes('progress-07')
          ? { status: 400, message: 'simulated rejection' }
          : undefined,
      );
      try {
        await watchRun();
      } finally {
        om.setFaultInjector(undefined);
      }
    });

    async function watchRun(): Promise<void> {
      const begin = Date.now();
      const handle = await startRun(
        serviceName,
        testConfigDocument({
          serviceName,
          accessKeyId: kinesis.accessKeyId,
          kinesisEndpoint: kinesis.endpoint,
          openMetadataUrl: omUrl,
          generateSampleData: false,
        }),
        { streamConcurrency: 1, batchSize: 20 },
      );
      let ended = false;
      const result = handle.result().finally(() => {
        ended = true;
      }) as Promise<IngestionSummary>;
      // Both CLI processes start at once; the run lasts long enough for both to find it in progress.
      const statusOnce = runCli(['status', serviceName, '--once', '--address', address]);
      const statusFollow = runCli(['status', serviceName, '--address', address]);
      while (!ended) {
        try {
          snapshots.push(await readRunProgress(client, handle.workflowId));
        } catch (error) {
          readErrors.push(error instanceof Error ? error.message : String(error));
        }
        await sleep(100);
      }
      summary = await result;
      durationMs = Date.now() - begin;
      finalRead = await readRunProgress(client, handle.workflowId);
      [once, follow] = await Promise.all([statusOnce, statusFollow]);
    }

    it('reads the progress many times while the run goes on, without errors', () => {
      expect(readErrors).to.deep.equal([]);
      expect(snapshots.length, `${snapshots.length} reads in ${durationMs} ms`).to.be.greaterThan(10);
      expect(summary).to.include({ created: 59, failed: 1, sinkErrors: 1 });
    });

    it('done never decreases, stays within the total, and equals the sum of the counts', () => {
      let previous: ProgressSnapshot | undefined;
      for (const s of snapshots) {
        const { created, updated, unchanged, skipped, failed } = s.counts;
        expect(created + updated + unchanged + skipped + failed).to.equal(s.done);
        expect(s.done).to.be.at.most(s.total);
        if (s.totalKnown) expect(s.total).to.equal(60);
        if (previous) {
          expect(s.done, 'done never decreases').to.be.at.least(previous.done);
          expect(phaseBefore(s.phase, previous.phase), `${previous.phase} -> ${s.phase}`).to.equal(false);
          expect(s.total).to.be.at.least(previous.total);
        }
        previous = s;
      }
    });

    it('shows the run midway: some streams done, some not, counted inside running batches', () => {
      const midway = snapshots.filter((s) => s.done > 0 && s.done < s.total);
      expect(midway.length, 'snapshots with 0 < done < total').to.be.greaterThan(0);
      const fromBatches = snapshots.filter((s) => s.batches.some((b) => b.answered && b.done > 0));
      expect(fromBatches.length, 'snapshots counting streams of a batch still running').to.be.greaterThan(0);
      const phases = [...new Set(snapshots.map((s) => s.phase))];
      expect(phases).to.include.members(['listing', 'streams']);
      expect(
        snapshots.some((s) => !s.totalKnown && s.total > 0),
        'a total known only as a lower bound',
      ).to.equal(true);
      const listing = snapshots.find((s) => s.phase === 'streams');
      expect(listing?.steps.map((step) => `${step.step}:${step.state}`)).to.deep.equal([
        'checks:done',
        'listing:done',
        'streams:running',
        'sweep:pending',
      ]);
    });

    it('a batch that has ended still answers its query with its final counts (what the reads rely on)', async () => {
      const batchIds = [...new Set(snapshots.flatMap((s) => s.batches.map((b) => b.workflowId)))];
      expect(batchIds).to.have.length(3);
      const answers = await Promise.all(
        batchIds.map((id) => client.workflow.getHandle(id).query(batchProgressQuery)),
      );
      expect(answers.map((a) => [a.total, a.created + a.failed, a.failed])).to.deep.equal([
        [20, 20, 1],
        [20, 20, 0],
        [20, 20, 0],
      ]);
    });

    it('shows failures so far: counted while their batch runs, listed once it has ended', () => {
      const running = snapshots.filter((s) => s.phase !== 'done');
      const counted = running.find((s) => s.counts.failed === 1);
      expect(counted, 'a snapshot counting the failure before the run ended').to.not.equal(undefined);
      const listed = running.find((s) => s.failures.length === 1);
      expect(listed?.failures[0]).to.include({ stream: 'progress-07', step: 'upsertTopic' });
      expect(listed?.failuresByStep).to.deep.equal({ upsertTopic: 1 });
    });

    it("the last read equals the summary's counts", () => {
      expect(finalRead.phase).to.equal('done');
      expect(finalRead.totalKnown).to.equal(true);
      expect(finalRead.batches).to.deep.equal([]);
      expect(finalRead.done).to.equal(60);
      expect(finalRead.total).to.equal(60);
      expect(finalRead.streamsSeen).to.equal(summary.streamsSeen);
      expect(finalRead.counts).to.deep.equal({
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        skipped: summary.skipped,
        failed: summary.failed,
      });
      expect(finalRead.failures).to.deep.equal(summary.failures);
    });

    it('`status SERVICE --once` prints where the run stands and exits 0', () => {
      expect(once.code, once.stderr).to.equal(0);
      expect(once.stdout).to.include(
        `Run ${ingestionWorkflowId(serviceName)} (service ${serviceName}): in progress`,
      );
      expect(once.stdout).to.match(/Streams: \d+\/(at least )?\d+ done/);
      expect(once.stdout).to.match(
        /Topics so far: \d+ created, 0 updated, 0 unchanged, 0 skipped, [01] failed/,
      );
      expect(once.stdout).to.match(/\| streams +\| (pending|running) +\|/);
      expect(once.stdout).to.not.include('Workflow Summary');
    });

    it('`status SERVICE` follows the run with progress lines on stderr, then prints the summary (exit as `ingest`)', () => {
      // A write to OpenMetadata failed: exit 1, as `ingest` with the default raiseOnError.
      expect(follow.code, follow.stderr).to.equal(1);
      expect(follow.stderr).to.include(`Following ${ingestionWorkflowId(serviceName)}`);
      const lines = follow.stderr.split('\n').filter((line) => line.startsWith(`progress ${serviceName} [`));
      expect(lines.length, follow.stderr).to.be.greaterThan(1);
      expect(lines.at(-1)).to.include(
        'finished; 60/60 streams done (59 created, 0 updated, 0 unchanged, 0 skipped, 1 failed)',
      );
      expect(follow.stderr).to.not.include('\r').and.not.include('\u001b[');
      expect(follow.stdout).to.match(
        new RegExp(
          `^Last run of service ${serviceName} \\(workflow id om-kinesis-${serviceName}\\): completed at `,
        ),
      );
      expect(follow.stdout).to.include(`Workflow Summary: service ${serviceName}`);
      expect(follow.stdout).to.include(
        'Topics: 59 created, 0 updated, 0 unchanged, 0 skipped, 0 soft-deleted, 1 failed',
      );
      expect(follow.stdout).to.include('simulated rejection');
      expect(follow.stdout).to.not.match(/^progress /m);
    });

    it('`status SERVICE` once the run has ended prints how it ended and its summary', async () => {
      const ended = await runCli(['status', serviceName, '--address', address]);
      expect(ended.code, ended.stderr).to.equal(1);
      const closedAt = new RegExp(`^Last run of service ${serviceName} \\(.*\\): completed at (\\S+)\n`).exec(
        ended.stdout,
      )?.[1];
      expect(closedAt, ended.stdout).to.be.a('string');
      expect(Math.abs(Date.parse(closedAt ?? '') - Date.parse(summary.finishedAt))).to.be.below(5_000);
      expect(ended.stdout).to.include('Topics: 59 created, 0 updated');
      expect(ended.stderr).to.not.match(/^progress /m);
    });
  });

  it('`status SERVICE` for a failed run prints the failure (exit 1); for an unknown service says so (exit 1)', async () => {
    const serviceName = uniqueName('progress_failed');
    const handle = await startRun(
      serviceName,
      testConfigDocument({
        serviceName,
        accessKeyId: kinesis.accessKeyId,
        secretAccessKey: '${TEST_NOT_SET_ON_THE_WORKER}',
        kinesisEndpoint: kinesis.endpoint,
        openMetadataUrl: omUrl,
      }),
    );
    await handle.result().catch(() => undefined);
    const unknown = uniqueName('never_ran');
    const [failed, failedJson, never] = await Promise.all([
      runCli(['status', serviceName, '--address', address]),
      runCli(['status', serviceName, '--address', address, '--json']),
      runCli(['status', unknown, '--address', address]),
    ]);
    expect(failed.code, failed.stderr).to.equal(1);
    expect(failed.stdout).to.match(
      new RegExp(
        `^Last run of service ${serviceName} \\(workflow id om-kinesis-${serviceName}\\): failed at \\S+: prepare: .*TEST_NOT_SET_ON_THE_WORKER`,
      ),
    );
    expect(failedJson.code, failedJson.stderr).to.equal(1);
    const outcome = JSON.parse(failedJson.stdout) as { workflowId: string; status: string; message: string };
    expect(outcome).to.include({ workflowId: ingestionWorkflowId(serviceName), status: 'failed' });
    expect(outcome.message).to.match(/^prepare: .*TEST_NOT_SET_ON_THE_WORKER/);
    expect(never.code).to.equal(1);
    expect(never.stdout).to.equal('');
    expect(never.stderr).to.include(`service ${unknown} has no run on ${address}`);
    expect(never.stderr).to.not.match(/\n\s+at /, 'no stack trace');
  });

  it('`ingest` against a cluster prints progress lines on stderr and the summary on stdout; --json turns them off', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-progress-'));
    const configFile = (serviceName: string): string => {
      const file = path.join(scratch, `${serviceName}.yaml`);
      writeFileSync(
        file,
        `source:
  type: kinesis
  serviceName: ${serviceName}
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsAccessKeyId: "${kinesis.accessKeyId}"
        awsSecretAccessKey: \${TEST_AWS_SECRET_ACCESS_KEY}
        awsRegion: us-east-1
        endPointURL: ${kinesis.endpoint}
  sourceConfig:
    config:
      type: MessagingMetadata
      generateSampleData: false
      topicFilterPattern:
        includes: ["^progress-0[0-5]$"]
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  openMetadataServerConfig:
    hostPort: ${omUrl}
    authProvider: no-auth
`,
      );
      return file;
    };
    const ingest = (serviceName: string, ...extra: string[]) =>
      runCli(
        ['ingest', '-c', configFile(serviceName), '--address', address, '--task-queue', taskQueue].concat(
          ['--batch-size', '2', '--stream-concurrency', '1'],
          extra,
        ),
        SECRET_ENV,
      );
    const [serviceName, jsonService] = [uniqueName('progress_cli'), uniqueName('progress_json')];
    const [result, json] = await Promise.all([ingest(serviceName), ingest(jsonService, '--json')]);

    expect(result.code, result.stderr).to.equal(0);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith(`progress ${serviceName} [`));
    expect(lines.length, result.stderr).to.be.greaterThan(1);
    expect(lines.at(-1)).to.include('finished; 6/6 streams done (6 created, 0 updated');
    expect(result.stderr).to.not.include('\r').and.not.include('\u001b[');
    expect(result.stdout).to.include(`Workflow Summary: service ${serviceName}`);
    expect(result.stdout).to.include('Streams seen: 60   filtered: 54');
    expect(result.stdout).to.not.match(/^progress /m);

    expect(json.code, json.stderr).to.equal(0);
    expect(json.stderr).to.not.match(/^progress /m);
    expect((JSON.parse(json.stdout) as IngestionSummary).created).to.equal(6);
  });

  it('the display: plain lines on phase changes and at most every interval; a bar on a terminal', async () => {
    const base: ProgressSnapshot = {
      workflowId: 'om-kinesis-svc',
      serviceName: 'svc',
      phase: 'listing',
      done: 3,
      total: 20,
      totalKnown: false,
      counts: { created: 2, updated: 1, unchanged: 0, skipped: 0, failed: 0 },
      streamsSeen: 25,
      filtered: 5,
      batches: [{ workflowId: 'om-kinesis-svc/run/batch-0', done: 3, total: 20, answered: true }],
      steps: [],
      failures: [],
      failuresByStep: {},
      startedAt: new Date().toISOString(),
      elapsedMs: 1_200,
    };
    expect(renderProgressLine(base)).to.equal(
      'progress svc [1.2 s]: listing and ingesting streams; 3/at least 20 streams done (2 created, 1 updated, 0 unchanged, 0 skipped, 0 failed); 1 batch running',
    );

    const plain = new PassThrough();
    let text = '';
    plain.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const lines = createProgressDisplay({
      stream: plain as unknown as NodeJS.WriteStream,
      tty: false,
      lineIntervalMs: 200,
    });
    lines.show(base);
    lines.show({ ...base, done: 4 }); // same phase, within the interval: not printed
    lines.show({ ...base, done: 5, phase: 'streams', totalKnown: true }); // phase change: printed
    await sleep(250);
    lines.show({ ...base, done: 6, phase: 'streams', totalKnown: true }); // interval over: printed
    lines.stop();
    lines.show({ ...base, done: 7, phase: 'done' }); // after stop: nothing
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => /; (\d+)\//.exec(line)?.[1]),
    ).to.deep.equal(['3', '5', '6']);

    // A stream that says it is a terminal, as process.stderr does on one.
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 160 });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const bar = createProgressDisplay({ stream: terminal as unknown as NodeJS.WriteStream, tty: true });
    bar.show(base);
    bar.show({ ...base, done: 20, total: 20, totalKnown: true, phase: 'done' });
    bar.stop();
    expect(drawn).to.include('] 3/≥20 streams | listing, ingesting | 2 created, 1 updated | 1.2 s');
    expect(drawn).to.include('] 20/20 streams | finished | 2 created, 1 updated');
  });
});
