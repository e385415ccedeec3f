import { expect } from 'chai';
import { KINESIS_QUOTAS, startFaultProxy, type FaultProxy } from '../devstack/fault-proxy.js';
import { createKinesisClient } from '../devstack/kinesis-fixture.js';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { ingestionWorkflowId } from '../common/run-input.js';
import { identitiesThatRan } from './support/history.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  TEST_REGION,
  uniqueName,
} from './support/ingestion-harness.js';

describe('fault proxy', function () {
  this.timeout(60_000);

  it('answers over-quota calls as AWS does, and counts what it let through per second', async () => {
    const kinesis = await isolatedKinesis();
    await kinesis.fixture.createStreams(['q1'], 1);
    const proxy = await startFaultProxy({ target: kinesis.endpoint, quotas: KINESIS_QUOTAS });
    const client = createKinesisClient({
      endpoint: proxy.endpoint,
      region: TEST_REGION,
      accessKeyId: kinesis.accessKeyId,
      secretAccessKey: 'x',
      maxAttempts: 1,
    });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, () => client.send(new DescribeStreamSummaryCommand({ StreamName: 'q1' }))),
      );
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(results.length - rejected.length).to.equal(20);
      expect(rejected).to.have.length(10);
      const error = rejected[0]?.reason as { name: string; $metadata: { httpStatusCode: number } };
      expect(error.name).to.equal('LimitExceededException');
      expect(error.$metadata.httpStatusCode).to.equal(400);
      expect(proxy.stats().DescribeStreamSummary).to.deep.include({
        requests: 30,
        forwarded: 20,
        throttled: 10,
        peakPerSecond: 20,
      });
    } finally {
      client.destroy();
      kinesis.fixture.close();
      await proxy.close();
    }
  });

  it('injects the same faults for the same seed', async () => {
    const om = await getOpenMetadata();
    const pattern = async (seed: number) => {
      const proxy = await startFaultProxy({
        target: om.url.replace(/\/api$/, ''),
        seed,
        faults: [{ match: () => true, probability: 0.5, action: { kind: 'status', status: 503 } }],
      });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++)
          statuses.push((await fetch(`${proxy.endpoint}/api/v1/system/version`)).status);
        return statuses;
      } finally {
        await proxy.close();
      }
    };
    const first = await pattern(42);
    expect(first).to.include(503).and.include(200);
    expect(await pattern(42)).to.deep.equal(first);
    expect(await pattern(7)).to.not.deep.equal(first);
  });
});

describe('ingestion under injected faults', function () {
  this.timeout(240_000);
  let proxies: FaultProxy[] = [];
  afterEach(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    proxies = [];
  });

  async function fixture(streams: number) {
    const kinesis = await isolatedKinesis();
    const names = Array.from({ length: streams }, (_, i) => `faulty.${String(i).padStart(3, '0')}`);
    await kinesis.fixture.createStreams(names, 1, { concurrency: 16 });
    for (const name of names)
      await kinesis.fixture.putRecords(name, [`${name} record 1`, `${name} record 2`]);
    kinesis.fixture.close();
    return { kinesis, names };
  }

  it('OpenMetadata failing 20% of requests (503, 504, 429, resets): everything arrives exactly once', async () => {
    const om = await getOpenMetadata();
    const { kinesis, names } = await fixture(30);
    const statuses = [503, 504, 429];
    let next = 0;
    const proxy = await startFaultProxy({
      target: om.url.replace(/\/api$/, ''),
      seed: 2026,
      faults: [
        {
          match: (r) => r.path.startsWith('/api/v1/'),
          probability: 0.2,
          action: () =>
            next++ % 4 === 3
              ? { kind: 'reset' }
              : {
                  kind: 'status',
                  status: statuses[next % 3] ?? 503,
                  body: '{"code":503,"message":"unavailable"}',
                },
        },
      ],
    });
    proxies.push(proxy);
    const worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: 'x' } });
    try {
      const serviceName = uniqueName('om_faults');
      const config = testConfigDocument({
        serviceName,
        accessKeyId: kinesis.accessKeyId,
        kinesisEndpoint: kinesis.endpoint,
        openMetadataUrl: `${proxy.endpoint}/api`,
        generateSampleData: true,
      });
      const { summary } = await runIngestion(worker, config);

      expect(summary).to.include({ created: 30, failed: 0, sinkErrors: 0, sampleMessages: 60 });
      const topics = om.topics().filter((t) => t.service.name === serviceName);
      expect(topics.map((t) => t.name).sort()).to.deep.equal(names);
      for (const topic of topics) {
        // Created with its sample's digest in one write: one version, however often a PUT was retried.
        expect(topic.version, `${topic.name}: versions`).to.equal(0.1);
        expect(topic.sampleData?.messages).to.deep.equal([
          `${topic.name} record 1`,
          `${topic.name} record 2`,
        ]);
      }
      const injected = Object.values(proxy.stats()).reduce((sum, s) => sum + s.faults, 0);
      expect(injected, 'faults were injected').to.be.greaterThan(10);
    } finally {
      await worker.stop();
    }
  });

  it('Kinesis throttled at the AWS quotas for the whole run, unpaced: completes with no user-visible error', async () => {
    const om = await getOpenMetadata();
    const { kinesis, names } = await fixture(60);
    const proxy = await startFaultProxy({ target: kinesis.endpoint, quotas: KINESIS_QUOTAS, latencyMs: 5 });
    proxies.push(proxy);
    // Unpaced, as when another tool shares the account's quotas: the SDK's retries must absorb it.
    const worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: 'x' } });
    try {
      const serviceName = uniqueName('throttled');
      const config = testConfigDocument({
        serviceName,
        accessKeyId: kinesis.accessKeyId,
        kinesisEndpoint: proxy.endpoint,
        openMetadataUrl: om.url,
        generateSampleData: true,
      });
      // Far more streams in flight than DescribeStreamSummary's 20 calls/s allow.
      const { summary } = await runIngestion(worker, config, { streamConcurrency: 60, batchSize: 60 });

      expect(summary).to.include({ created: 60, failed: 0, warningCount: 0, sampleMessages: 120 });
      expect(om.topics().filter((t) => t.service.name === serviceName)).to.have.length(names.length);
      const throttled = Object.values(proxy.stats()).reduce((n, s) => n + s.throttled, 0);
      expect(throttled, 'calls the proxy throttled').to.be.greaterThan(0);
    } finally {
      await worker.stop();
    }
  });

  it("two workers at the AWS quotas: together they stay within DescribeStreamSummary's", async () => {
    const om = await getOpenMetadata();
    const { kinesis } = await fixture(80);
    const proxy = await startFaultProxy({ target: kinesis.endpoint, quotas: KINESIS_QUOTAS, latencyMs: 5 });
    proxies.push(proxy);
    // As two worker processes would: each on its own AWS clients, pacing at the share it
    // reads from the describe task queue's pollers, under the queue's own rate limit.
    const activities = { env: { TEST_AWS_SECRET_ACCESS_KEY: 'x' } };
    const first = await startTestWorker(activities, { paced: true, identity: 'worker-a' });
    const second = await startTestWorker(activities, {
      paced: true,
      identity: 'worker-b',
      taskQueue: first.taskQueue,
    });
    try {
      const serviceName = uniqueName('two_workers');
      const config = testConfigDocument({
        serviceName,
        accessKeyId: kinesis.accessKeyId,
        kinesisEndpoint: proxy.endpoint,
        openMetadataUrl: om.url,
        generateSampleData: false,
      });
      const { summary } = await runIngestion(first, config, { streamConcurrency: 40, batchSize: 40 });

      expect(summary).to.include({ created: 80, failed: 0, warningCount: 0 });
      const describe = proxy.stats().DescribeStreamSummary;
      expect(describe?.forwarded).to.equal(80);
      // Without a limit that both share, two workers pacing at the whole quota each would be
      // throttled on dozens of these 80 calls (as the unpaced run above is). The proxy
      // counts arrivals per strict one-second window in this busy process, where a call held
      // back ~50 ms by the event loop lands in the next second's count: a few such calls
      // (retried by the SDK) are the jitter the pacing margin does not always absorb here: at
      // most 5% of the calls.
      console.log(`      DescribeStreamSummary calls throttled by the proxy: ${describe?.throttled} of 80`);
      expect(describe?.throttled, 'DescribeStreamSummary calls throttled').to.be.at.most(4);
      const describedBy = await identitiesThatRan(
        first.client,
        ingestionWorkflowId(serviceName),
        'describeStream',
      );
      for (const worker of [first, second])
        expect(worker.worker.quotaShare?.value, 'each paces at half the quota').to.equal(0.5);
      expect([...describedBy].sort(), 'workers that ran describe steps').to.deep.equal([
        'worker-a',
        'worker-b',
      ]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
