// `om-kinesis worker --metrics-bind`: a worker process, as operators run it, serves the SDK's
// and the product's metrics in Prometheus's text format. The test scrapes it while a run goes
// (Kinesis behind a proxy that throttles every other DescribeStreamSummary) and checks that
// the product's counters moved by what the run did.
import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { getFreePort } from '../client/local-temporal/free-port.js';
import { INGESTION_WORKFLOW_TYPE, ingestionWorkflowId } from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { startFaultProxy, type FaultProxy } from '../devstack/fault-proxy.js';
import { runOmKinesis } from './support/cli-runner.js';
import { getTemporal } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  testConfigDocument,
  uniqueName,
} from './support/ingestion-harness.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key as string] = value as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('worker metrics (--metrics-bind)', function () {
  this.timeout(120_000);
  const STREAMS = ['m.orders', 'm.clicks', 'm.payments', 'm.audit', 'm.users', 'm.events'];
  let proxy: FaultProxy;
  let worker: WorkerProcess;
  let connection: Connection;
  let metricsUrl: string;
  let serviceName: string;
  let handle: WorkflowHandle;

  before(async () => {
    const [temporal, om, kinesis] = await Promise.all([getTemporal(), getOpenMetadata(), isolatedKinesis()]);
    await kinesis.fixture.createStreams(STREAMS, 1);
    for (const stream of STREAMS) await kinesis.fixture.putRecords(stream, ['{"n":1}', '{"n":2}']);
    kinesis.fixture.close();
    proxy = await startFaultProxy({
      target: kinesis.endpoint,
      faults: [
        {
          match: (request) => request.api === 'DescribeStreamSummary',
          every: 2,
          action: {
            kind: 'status',
            status: 400,
            body: JSON.stringify({ __type: 'LimitExceededException', message: 'Rate exceeded' }),
            contentType: 'application/x-amz-json-1.1',
          },
        },
      ],
    });
    const bind = `127.0.0.1:${await getFreePort('127.0.0.1')}`;
    metricsUrl = `http://${bind}/metrics`;
    const taskQueue = uniqueName('tq');
    worker = startWorkerProcess(temporal.address, taskQueue, {
      // Two describes a second: the pacer makes calls wait their turn.
      args: ['--metrics-bind', bind, '--describe-rate', '2', '--log-level', 'ERROR'],
      env: { TEST_AWS_SECRET_ACCESS_KEY: 'metrics-secret' },
    });
    await worker.printed(`metrics at ${metricsUrl}`);
    connection = await Connection.connect({ address: temporal.address });
    serviceName = uniqueName('metrics');
    handle = await new Client({ connection }).workflow.start(INGESTION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: ingestionWorkflowId(serviceName),
      args: [
        {
          config: testConfigDocument({
            serviceName,
            accessKeyId: kinesis.accessKeyId,
            kinesisEndpoint: proxy.endpoint,
            openMetadataUrl: om.url,
            generateSampleData: true,
          }),
          options: { sampleSize: 2 },
        },
      ],
    });
  });

  after(async () => {
    await worker?.stop();
    await proxy?.close();
    await connection?.close();
  });

  it("serves the SDK's metrics and the product's, whose counters move with the run", async () => {
    const scrape = async () => parseMetrics(await (await fetch(metricsUrl)).text());

    // While the run goes: the streams counter moves before the run has ended.
    const done = handle.result().then((summary) => summary as IngestionSummary);
    let duringRun: number | undefined;
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished && duringRun === undefined) {
      const streams = total(await scrape(), 'om_kinesis_streams_total', { service: serviceName });
      if (streams > 0 && !finished) duringRun = streams;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const summary = await done;
    expect(summary.created, JSON.stringify(summary)).to.equal(STREAMS.length);
    expect(duringRun, 'streams counted while the run was in progress').to.be.within(1, STREAMS.length);

    const samples = await scrape();
    const of = (name: string, labels: Record<string, string> = {}) => total(samples, name, labels);
    expect(of('om_kinesis_streams_total', { service: serviceName, outcome: 'created' })).to.equal(
      STREAMS.length,
    );
    expect(of('om_kinesis_sample_messages_total', { service: serviceName })).to.equal(summary.sampleMessages);
    expect(summary.sampleMessages).to.equal(2 * STREAMS.length);
    expect(
      of('om_kinesis_runs_total', { service: serviceName, outcome: 'completed', scheduled: 'false' }),
    ).to.equal(1);
    const ingestedAt = of('om_kinesis_last_completed_run_timestamp_seconds', { service: serviceName });
    expect(ingestedAt).to.be.closeTo(Date.now() / 1000, 60);
    const writes = (write: string) =>
      of('om_kinesis_openmetadata_writes_total', { service: serviceName, write, outcome: 'ok' });
    expect(writes('messaging_service')).to.equal(1);
    expect(writes('topic')).to.equal(STREAMS.length);
    expect(writes('sample_data')).to.equal(STREAMS.length);
    // Every other describe was throttled, and retried by the AWS SDK.
    const throttled = proxy.stats().DescribeStreamSummary?.faults ?? 0;
    expect(throttled).to.be.at.least(STREAMS.length / 2);
    expect(of('om_kinesis_aws_throttles_total', { operation: 'DescribeStreamSummary' })).to.equal(throttled);
    // Each describe attempt waited its turn at 2 per second: the waits add up to seconds.
    const describes = proxy.stats().DescribeStreamSummary?.requests ?? 0;
    expect(of('om_kinesis_pacer_wait_seconds_count', { operation: 'DescribeStreamSummary' })).to.equal(
      describes,
    );
    expect(of('om_kinesis_pacer_wait_seconds_sum', { operation: 'DescribeStreamSummary' })).to.be.above(1);

    // The SDK's own: task slots, pollers, latencies (in seconds), completed workflows.
    expect(of('temporal_worker_task_slots_available', { worker_type: 'ActivityWorker' })).to.be.above(0);
    expect(of('temporal_num_pollers', { poller_type: 'activity_task' })).to.be.above(0);
    expect(of('temporal_activity_execution_latency_count', { activity_type: 'describeStream' })).to.equal(
      STREAMS.length,
    );
    expect(of('temporal_workflow_completed_total', { workflow_type: 'kinesisMetadataIngestion' })).to.equal(
      1,
    );
  });
});

describe('om-kinesis worker --metrics-bind on a port that is taken', () => {
  it('ends at once, naming the address and the flag', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const bind = `127.0.0.1:${(taken.address() as AddressInfo).port}`;
    try {
      const result = await runOmKinesis(['worker', '--address', '127.0.0.1:1', '--metrics-bind', bind]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(
        new RegExp(
          `^om-kinesis worker: cannot serve metrics on ${bind} \\(--metrics-bind\\): .*Address already in use`,
        ),
      );
    } finally {
      taken.close();
    }
  });
});
