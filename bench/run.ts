// `npm run bench -- --streams N --shards S --records R ...`: measures a full ingestion run
// against kinesis-local behind the AWS-quota proxy, a sequential baseline, and a re-run, and
// writes the figures to a JSON file. See docs/performance.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { destroyAwsClients } from '../activities/aws/aws-clients.js';
import { requiredPolicy } from '../activities/policy/run-policy.js';
import type { ActivityDependencies } from '../activities/index.js';
import {
  describeTaskQueueOf,
  INGESTION_WORKFLOW_TYPE,
  ingestionWorkflowId,
  type IngestionRunInput,
} from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { KINESIS_QUOTAS, startFaultProxy, type ApiStats, type FaultProxy } from '../devstack/fault-proxy.js';
import { KinesisFixture } from '../devstack/kinesis-fixture.js';
import { startKinesisLocal } from '../devstack/kinesis-local.js';
import { startOpenMetadataTestServer } from '../devstack/openmetadata-test-server.js';
import { startProcess, stopAllProcesses, type ManagedProcess } from '../client/local-temporal/processes.js';
import { projectRoot } from '../client/local-temporal/temporal-cli.js';
import { startTemporalDevServer } from '../client/local-temporal/temporal-dev-server.js';
import { createIngestionWorker } from '../worker/create-worker.js';
import { cpuSecondsOfTrees, cpuUse } from './cpu-time.js';
import { executionsOf, measureHistories, type HistoryFigures } from './histories.js';
import { runSequentialBaseline, type BaselineResult } from './sequential-baseline.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const REGION = 'us-east-1';
const SECRET_ENV = 'BENCH_AWS_SECRET_ACCESS_KEY';
const SECRET = 'bench-secret';

interface BenchArgs {
  streams: number;
  shards: number;
  records: number;
  latencyKinesis: number;
  latencyOm: number;
  quotas: boolean;
  workers: number;
  workerProcesses: boolean;
  sample: boolean;
  baseline: boolean;
  baselineLimit: number;
  rerun: boolean;
  /** Describe steps per second across the workers (the describe task queue's limit); 0: none. */
  describeRate: number | undefined;
  /** NODE_OPTIONS of the worker processes (e.g. a heap limit). */
  workerNodeOptions: string | undefined;
  /** Partitions of each task queue on the dev server (Temporal's default: 4). */
  partitions: number | undefined;
  out: string;
  /** Run options passed to the workflow as given (streamConcurrency, batchSize, batchConcurrency). */
  runOptions: Record<string, number>;
}

const USAGE = `Usage: npm run bench -- [options]

  --streams N              streams to ingest (default 100)
  --shards N               shards per stream (default 1)
  --records N              records per shard (default 10)
  --latency-kinesis MS     added to every Kinesis call (default 20)
  --latency-om MS          added to every OpenMetadata call (default 10)
  --no-quotas              no AWS quotas at the proxy (and no pacing by the workers)
  --workers N              workers, each in a process of its own when more than 1 (default 1)
  --worker-processes       run even a single worker in a process of its own
  --worker-node-options S  NODE_OPTIONS of worker processes
  --no-sample              no sample data
  --no-baseline            skip the sequential baseline
  --baseline-limit N       streams of the baseline (default: all)
  --no-rerun               skip the re-run (every topic unchanged)
  --describe-rate N        DescribeStreamSummary calls per second, all workers together
  --partitions N           task queue partitions of the dev server
  --stream-concurrency N, --batch-concurrency N, --batch-size N   run options
  --out FILE               where the JSON figures go (default bench-results/bench-*.json)
  --help                   this text`;

/** Thrown for a command line the benchmark cannot run: the message and the usage are printed. */
class BenchUsageError extends Error {}

function parseBenchArgs(argv: string[]): BenchArgs | 'help' {
  let parsed;
  try {
    parsed = parseBenchOptions(argv);
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) return 'help';
  return benchArgsOf(values);
}

function parseBenchOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', default: false },
      streams: { type: 'string', default: '100' },
      shards: { type: 'string', default: '1' },
      records: { type: 'string', default: '10' },
      'latency-kinesis': { type: 'string', default: '20' },
      'latency-om': { type: 'string', default: '10' },
      'no-quotas': { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
      'worker-processes': { type: 'boolean', default: false },
      sample: { type: 'boolean', default: true },
      'no-sample': { type: 'boolean', default: false },
      baseline: { type: 'boolean', default: true },
      'no-baseline': { type: 'boolean', default: false },
      'baseline-limit': { type: 'string' },
      'no-rerun': { type: 'boolean', default: false },
      'describe-rate': { type: 'string' },
      'worker-node-options': { type: 'string' },
      partitions: { type: 'string' },
      out: { type: 'string' },
      'stream-concurrency': { type: 'string' },
      'batch-concurrency': { type: 'string' },
      'batch-size': { type: 'string' },
    },
    strict: true,
  });
}

function benchArgsOf(values: ReturnType<typeof parseBenchOptions>['values']): BenchArgs {
  const int = (name: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new BenchUsageError(`--${name} must be a whole number, got ${value}`);
    return n;
  };
  const streams = int('streams', values.streams);
  const workers = int('workers', values.workers);
  if (workers < 1) throw new BenchUsageError('--workers must be at least 1');
  return {
    streams,
    shards: Math.max(1, int('shards', values.shards)),
    records: int('records', values.records),
    latencyKinesis: int('latency-kinesis', values['latency-kinesis']),
    latencyOm: int('latency-om', values['latency-om']),
    quotas: !values['no-quotas'],
    workers,
    workerProcesses: workers > 1 || values['worker-processes'],
    sample: !values['no-sample'],
    baseline: !values['no-baseline'],
    baselineLimit: values['baseline-limit'] ? int('baseline-limit', values['baseline-limit']) : streams,
    rerun: !values['no-rerun'],
    describeRate:
      values['describe-rate'] === undefined ? undefined : int('describe-rate', values['describe-rate']),
    workerNodeOptions: values['worker-node-options'],
    partitions: values.partitions === undefined ? undefined : int('partitions', values.partitions),
    runOptions: Object.fromEntries(
      (
        [
          ['streamConcurrency', 'stream-concurrency'],
          ['batchConcurrency', 'batch-concurrency'],
          ['batchSize', 'batch-size'],
        ] as const
      )
        .filter(([, flag]) => values[flag] !== undefined)
        .map(([key, flag]) => [key, int(flag, values[flag])]),
    ),
    out:
      values.out ??
      path.join(
        'bench-results',
        `bench-${streams}x${values.shards}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
      ),
  };
}

/** Resolves once `count` workers poll the task queue's workflow tasks and its describe steps. */
async function waitForPollers(connection: Connection, taskQueue: string, count: number): Promise<void> {
  const { TaskQueueType } = proto.temporal.api.enums.v1;
  const deadline = Date.now() + 120_000;
  const pollers = async (name: string, taskQueueType: proto.temporal.api.enums.v1.TaskQueueType) =>
    new Set(
      (
        await connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name },
          taskQueueType,
        })
      ).pollers?.map((p) => p.identity),
    ).size;
  while (
    (await pollers(taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)) < count ||
    (await pollers(describeTaskQueueOf(taskQueue), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) < count
  ) {
    if (Date.now() > deadline)
      throw new Error(`${count} workers did not start polling ${taskQueue} within 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Peak RSS (VmHWM) of a process, in MB. */
function peakRssMb(pid: number | 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : NaN;
}

function diffStats(
  after: Record<string, ApiStats>,
  before: Record<string, ApiStats>,
): Record<string, ApiStats> {
  const out: Record<string, ApiStats> = {};
  for (const [api, s] of Object.entries(after)) {
    const b = before[api];
    out[api] = {
      requests: s.requests - (b?.requests ?? 0),
      forwarded: s.forwarded - (b?.forwarded ?? 0),
      throttled: s.throttled - (b?.throttled ?? 0),
      faults: s.faults - (b?.faults ?? 0),
      peakPerSecond: s.peakPerSecond,
    };
  }
  return out;
}

/** The slowest account-wide API at its quota: the least time the forwarded calls can take. */
function quotaFloor(stats: Record<string, ApiStats>): {
  seconds: number;
  api: string;
  calls: number;
  perSecond: number;
} {
  let floor = { seconds: 0, api: 'none', calls: 0, perSecond: 0 };
  for (const quota of KINESIS_QUOTAS) {
    if (quota.per !== 'account') continue;
    const calls = stats[quota.api]?.forwarded ?? 0;
    const seconds = calls / quota.perSecond;
    if (seconds > floor.seconds) floor = { seconds, api: quota.api, calls, perSecond: quota.perSecond };
  }
  return floor;
}

function configFor(
  serviceName: string,
  accessKeyId: string,
  kinesisEndpoint: string,
  omUrl: string,
  sample: boolean,
) {
  return {
    source: {
      type: 'kinesis',
      serviceName,
      serviceConnection: {
        config: {
          type: 'Kinesis',
          awsConfig: {
            awsAccessKeyId: accessKeyId,
            awsSecretAccessKey: `\${${SECRET_ENV}}`,
            awsRegion: REGION,
            endPointURL: kinesisEndpoint,
          },
        },
      },
      sourceConfig: { config: { type: 'MessagingMetadata', generateSampleData: sample } },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: {
      loggerLevel: 'INFO',
      openMetadataServerConfig: { hostPort: omUrl, authProvider: 'no-auth' },
    },
  };
}

const log = (message: string): void =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const logDir = path.join(projectRoot(), 'bench-results', 'logs');
  mkdirSync(logDir, { recursive: true });
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });

  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    destroyAwsClients();
    await stopAllProcesses();
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    log('starting Temporal dev server, kinesis-local, OpenMetadata test server');
    const [temporal, kinesis, om] = await Promise.all([
      startTemporalDevServer({
        logDir,
        ...(args.partitions
          ? {
              dynamicConfig: {
                'matching.numTaskqueueReadPartitions': args.partitions,
                'matching.numTaskqueueWritePartitions': args.partitions,
              },
            }
          : {}),
        searchAttributes: { OmKinesisService: 'Keyword', OmKinesisConnector: 'Keyword' },
      }),
      startKinesisLocal({ logDir }),
      startOpenMetadataTestServer(),
    ]);
    cleanups.push(
      () => temporal.stop(),
      () => kinesis.stop(),
      () => om.close(),
    );

    const accessKeyId = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
    const fixture = new KinesisFixture({
      endpoint: kinesis.endpoint,
      region: REGION,
      accessKeyId,
      secretAccessKey: SECRET,
    });
    const names = Array.from({ length: args.streams }, (_, i) => `bench-${String(i).padStart(6, '0')}`);
    const setupBegin = Date.now();
    await fixture.createStreams(names, args.shards, { concurrency: 64 });
    if (args.records > 0) {
      const records = Array.from({ length: args.records }, (_, i) =>
        JSON.stringify({ id: i, at: i * 1000, kind: 'bench' }),
      );
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          for (let i = next++; i < names.length; i = next++) await fixture.putRecords(names[i]!, records);
        }),
      );
    }
    fixture.client.destroy();
    const setupMs = Date.now() - setupBegin;
    log(`created ${args.streams} streams x ${args.shards} shards x ${args.records} records in ${setupMs} ms`);

    const kinesisProxy: FaultProxy = await startFaultProxy({
      target: kinesis.endpoint,
      latencyMs: args.latencyKinesis,
      ...(args.quotas ? { quotas: KINESIS_QUOTAS } : {}),
    });
    const omProxy = await startFaultProxy({ target: om.url, latencyMs: args.latencyOm });
    // The proxy forwards paths as they come: the API prefix stays in the URL the connector is given.
    const omProxyUrl = `${omProxy.endpoint}${new URL(om.url).pathname}`;
    cleanups.push(
      () => kinesisProxy.close(),
      () => omProxy.close(),
    );

    const taskQueue = `bench-${Date.now().toString(36)}`;
    // Without quotas there is nothing to pace at: the run then shows the product's own limits.
    const allowed = {
      allowEnv: [SECRET_ENV],
      allowOpenMetadata: [new URL(omProxyUrl).origin],
      allowAwsEndpoints: [kinesisProxy.endpoint],
    };
    const deps: ActivityDependencies = {
      env: { [SECRET_ENV]: SECRET },
      policy: requiredPolicy(allowed),
      ...(args.quotas ? {} : { aws: { rateLimits: false } }),
    };
    const workerPids: Array<number | 'self'> = [];
    const workerProcs: ManagedProcess[] = [];
    if (args.workerProcesses) {
      for (let i = 0; i < args.workers; i++) {
        const proc = await startProcess({
          name: `bench-worker-${i + 1}`,
          // Started as operators start it, through the executable and its shebang's Node flags.
          command: path.join(projectRoot(), 'bin', 'om-kinesis.js'),
          args: [
            'worker',
            '--address',
            temporal.address,
            '--task-queue',
            taskQueue,
            '--log-level',
            'WARN',
            ...(args.quotas ? [] : ['--no-quota-pacing']),
            ...(args.describeRate ? ['--describe-rate', String(args.describeRate)] : []),
            ...['--allow-env', SECRET_ENV],
            ...['--allow-openmetadata', allowed.allowOpenMetadata[0] ?? ''],
            ...['--allow-aws-endpoint', kinesisProxy.endpoint],
          ],
          env: {
            [SECRET_ENV]: SECRET,
            ...(args.workerNodeOptions ? { NODE_OPTIONS: args.workerNodeOptions } : {}),
          },
          logDir,
        });
        workerProcs.push(proc);
        workerPids.push(proc.pid);
        cleanups.push(() => proc.stop());
      }
    } else {
      const nativeConnection = await NativeConnection.connect({ address: temporal.address });
      const worker = await createIngestionWorker({
        connection: nativeConnection,
        taskQueue,
        activities: deps,
        ...(args.describeRate !== undefined ? { describeCallsPerSecond: args.describeRate } : {}),
      });
      const running = worker.run();
      workerPids.push('self');
      cleanups.push(async () => {
        worker.shutdown();
        await running;
        await nativeConnection.close();
      });
    }
    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection });
    // Worker processes bundle the workflow code as they start (seconds): the run is timed from
    // when every worker polls both of its task queues, as the in-process worker does.
    await waitForPollers(connection, taskQueue, args.workerProcesses ? args.workers : 1);

    const serviceName = `bench_${Date.now().toString(36)}`;
    const input: IngestionRunInput = {
      config: configFor(serviceName, accessKeyId, kinesisProxy.endpoint, omProxyUrl, args.sample),
      options: { ...args.runOptions },
    };
    const rssSamples = new Map<string, number>();
    const sampler = setInterval(() => {
      for (const pid of workerPids) {
        try {
          rssSamples.set(String(pid), Math.max(rssSamples.get(String(pid)) ?? 0, peakRssMb(pid)));
        } catch {
          // The process is gone.
        }
      }
    }, 500);
    cleanups.push(() => Promise.resolve(clearInterval(sampler)));

    // Whose CPU the run used: the benchmark process holds the proxies and the OpenMetadata test
    // server (and the worker when it runs in-process).
    const cpuRoots: Record<string, number> = {
      benchmark: process.pid,
      'kinesis-local': kinesis.pid,
      temporal: temporal.pid,
      ...Object.fromEntries(workerProcs.map((proc, i) => [`worker-${i + 1}`, proc.pid])),
    };
    const runOnce = async (label: string) => {
      const cpuBefore = cpuSecondsOfTrees(cpuRoots);
      const kBefore = kinesisProxy.stats();
      const omBefore = om.requests.length;
      const begin = Date.now();
      log(`${label}: starting`);
      const handle = await client.workflow.start(INGESTION_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: ingestionWorkflowId(serviceName),
        args: [input],
      });
      const summary = (await handle.result().catch((error: unknown) => {
        throw new Error(`${label} failed: ${String((error as { cause?: unknown }).cause ?? error)}`, {
          cause: error,
        });
      })) as IngestionSummary;
      const wallMs = Date.now() - begin;
      const cpu = cpuUse(cpuBefore, cpuSecondsOfTrees(cpuRoots), wallMs);
      const kinesisCalls = diffStats(kinesisProxy.stats(), kBefore);
      const omRequests = om.requests.slice(omBefore);
      const omWrites = omRequests.filter((r) => r.method !== 'GET');
      const omReads = omRequests.length - omWrites.length;
      const topicWrites = omWrites.filter((r) => r.path.includes('/topics')).length;
      log(
        `${label}: done in ${wallMs} ms (created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, failed ${summary.failed})`,
      );
      return { wallMs, summary, kinesisCalls, omReads, omWrites: omWrites.length, topicWrites, handle, cpu };
    };

    const first = await runOnce('run');
    const topicsPresent = om.topics().filter((t) => t.service.name === serviceName && !t.deleted).length;
    if (topicsPresent !== args.streams) {
      throw new Error(`OpenMetadata holds ${topicsPresent} topics of the run's ${args.streams} streams`);
    }
    const floor = quotaFloor(first.kinesisCalls);
    const throttled = Object.values(first.kinesisCalls).reduce((n, s) => n + s.throttled, 0);
    const peakRss = Object.fromEntries(
      workerPids.map((pid) => [String(pid), rssSamples.get(String(pid)) ?? peakRssMb(pid)]),
    );
    log('reading histories');
    const executions = await executionsOf(client, taskQueue, ingestionWorkflowId(serviceName));
    const histories: HistoryFigures = await measureHistories(client, executions);

    let rerun: Awaited<ReturnType<typeof runOnce>> | undefined;
    if (args.rerun) rerun = await runOnce('re-run');

    let baseline: (BaselineResult & { msPerStream: number; extrapolatedWallMs: number }) | undefined;
    if (args.baseline) {
      const baselineService = `${serviceName}_seq`;
      const baselineInput: IngestionRunInput = {
        config: configFor(baselineService, accessKeyId, kinesisProxy.endpoint, omProxyUrl, args.sample),
        options: { ...args.runOptions },
      };
      log(`sequential baseline over ${Math.min(args.baselineLimit, args.streams)} streams`);
      const result = await runSequentialBaseline(deps, baselineInput, args.baselineLimit);
      const msPerStream = result.streams > 0 ? result.wallMs / result.streams : 0;
      baseline = { ...result, msPerStream, extrapolatedWallMs: Math.round(msPerStream * args.streams) };
    }

    const summary = first.summary;
    const figures = {
      at: new Date().toISOString(),
      args,
      setupMs,
      run: {
        wallMs: first.wallMs,
        streamsPerSecond: +(args.streams / (first.wallMs / 1000)).toFixed(2),
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        skipped: summary.skipped,
        failed: summary.failed,
        sourceErrors: summary.sourceErrors,
        sinkErrors: summary.sinkErrors,
        sampleMessages: summary.sampleMessages,
        warningCount: summary.warningCount,
        quotaFloor: floor,
        wallOverFloor: floor.seconds > 0 ? +(first.wallMs / 1000 / floor.seconds).toFixed(3) : null,
        throttledByProxy: throttled,
        kinesisCalls: first.kinesisCalls,
        openMetadataReads: first.omReads,
        openMetadataWrites: first.omWrites,
        topicsInOpenMetadata: topicsPresent,
        openMetadataTopicWrites: first.topicWrites,
        workerPeakRssMb: peakRss,
        workerPeakRssNote: args.workerProcesses
          ? 'VmHWM of each worker process'
          : 'VmHWM of the benchmark process, which also holds the in-process OpenMetadata test server, the proxies and the baseline',
        histories,
        cpu: first.cpu,
      },
      rerun: rerun && {
        wallMs: rerun.wallMs,
        openMetadataReads: rerun.omReads,
        openMetadataWrites: rerun.omWrites,
        openMetadataTopicWrites: rerun.topicWrites,
        unchanged: rerun.summary.unchanged,
        failed: rerun.summary.failed,
        throttledByProxy: Object.values(rerun.kinesisCalls).reduce((n, s) => n + s.throttled, 0),
      },
      baseline: baseline && {
        ...baseline,
        speedUp: +(baseline.extrapolatedWallMs / first.wallMs).toFixed(2),
      },
    };
    mkdirSync(path.dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(figures, null, 2)}\n`);
    printFigures(figures);
    console.log(`figures written to ${args.out}`);
  } finally {
    await cleanup();
  }
}

function printFigures(f: {
  args: BenchArgs;
  run: {
    wallMs: number;
    streamsPerSecond: number;
    quotaFloor: { seconds: number; api: string; calls: number; perSecond: number };
    wallOverFloor: number | null;
    throttledByProxy: number;
    failed: number;
    openMetadataReads: number;
    openMetadataWrites: number;
    openMetadataTopicWrites: number;
    topicsInOpenMetadata: number;
    workerPeakRssMb: Record<string, number>;
    histories: HistoryFigures;
    cpu: ReturnType<typeof cpuUse>;
  };
  rerun?:
    | {
        wallMs: number;
        openMetadataReads: number;
        openMetadataTopicWrites: number;
        openMetadataWrites: number;
      }
    | undefined;
  baseline?: { streams: number; wallMs: number; extrapolatedWallMs: number; speedUp: number } | undefined;
}): void {
  const r = f.run;
  const h = r.histories;
  const rows: Array<[string, string]> = [
    ['streams x shards x records', `${f.args.streams} x ${f.args.shards} x ${f.args.records}`],
    [
      'quotas / latency kinesis / om',
      `${f.args.quotas ? 'on' : 'off'} / ${f.args.latencyKinesis} ms / ${f.args.latencyOm} ms`,
    ],
    ['workers', `${f.args.workers}${f.args.workerProcesses ? ' (processes)' : ' (in-process)'}`],
    ['wall time', `${(r.wallMs / 1000).toFixed(1)} s`],
    [
      'quota floor',
      `${r.quotaFloor.seconds.toFixed(1)} s (${r.quotaFloor.calls} ${r.quotaFloor.api} / ${r.quotaFloor.perSecond} per s)`,
    ],
    [
      'wall / floor',
      // Without quotas the floor is what the calls would take at them, not a bound of this run.
      r.wallOverFloor === null
        ? 'n/a'
        : `${r.wallOverFloor.toFixed(2)}${f.args.quotas ? '' : ' (quotas off)'}`,
    ],
    ['streams / s', r.streamsPerSecond.toFixed(1)],
    ['failed streams', String(r.failed)],
    ['topics in OpenMetadata', `${r.topicsInOpenMetadata} of ${f.args.streams}`],
    ['throttle errors (proxy)', String(r.throttledByProxy)],
    [
      'worker peak RSS',
      Object.values(r.workerPeakRssMb)
        .map((mb) => `${mb} MB`)
        .join(', '),
    ],
    [
      'largest history',
      h.largest
        ? `${h.largest.events} events, ${(h.largest.bytes / 1024).toFixed(0)} KiB (${h.largest.workflowId})`
        : 'n/a',
    ],
    ['executions / activity executions', `${h.executions} / ${h.activityExecutions}`],
    ['activity run time (sum)', `${(h.activityRunMs / 1000).toFixed(1)} s`],
    [
      'activity schedule-to-start (sum / max)',
      `${(h.activityScheduleToStartMs / 1000).toFixed(1)} s / ${h.maxScheduleToStartMs} ms`,
    ],
    [
      'steps: count, mean wait / run',
      Object.entries(h.steps)
        .filter(([, step]) => step.count > 1)
        .map(([type, step]) => `${type} ${step.count}, ${step.meanScheduleToStartMs} / ${step.meanRunMs} ms`)
        .join('; '),
    ],
    [
      'schema inference per stream (mean / max)',
      h.inference
        ? `${h.inference.meanMs} ms / ${h.inference.maxMs} ms over ${h.inference.streams} streams (${h.inference.totalMs} ms in all)`
        : 'n/a (no sample data)',
    ],
    ['workflow tasks (count / sum)', `${h.workflowTasks} / ${(h.workflowTaskMs / 1000).toFixed(1)} s`],
    [
      'timeline: before / describes / after',
      h.timeline
        ? `${(h.timeline.beforeDescribeMs / 1000).toFixed(1)} s / ${(h.timeline.describeMs / 1000).toFixed(1)} s at ${h.timeline.describesPerSecond} per s / ${(h.timeline.afterDescribeMs / 1000).toFixed(1)} s`
        : 'n/a',
    ],
    [
      'CPU seconds (busy share of all cores)',
      `${Object.entries(r.cpu.seconds)
        .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
        .join(', ')} of ${r.cpu.capacitySeconds.toFixed(0)} (${Math.round(r.cpu.busyShare * 100)}%)`,
    ],
    [
      'OpenMetadata reads / writes (topic writes)',
      `${r.openMetadataReads} / ${r.openMetadataWrites} (${r.openMetadataTopicWrites})`,
    ],
  ];
  if (f.rerun) {
    rows.push(['re-run wall time', `${(f.rerun.wallMs / 1000).toFixed(1)} s`]);
    rows.push([
      're-run OpenMetadata reads / writes (topic writes)',
      `${f.rerun.openMetadataReads} / ${f.rerun.openMetadataWrites} (${f.rerun.openMetadataTopicWrites})`,
    ]);
  }
  if (f.baseline) {
    rows.push([
      'sequential baseline',
      `${(f.baseline.wallMs / 1000).toFixed(1)} s for ${f.baseline.streams} streams; ${(f.baseline.extrapolatedWallMs / 1000).toFixed(1)} s for all`,
    ]);
    rows.push(['speed-up over baseline', `${f.baseline.speedUp}x`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof BenchUsageError) {
      console.error(`bench: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
