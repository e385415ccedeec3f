import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import type { KinesisFixture } from '../devstack/kinesis-fixture.js';
import { runHistories } from './support/history.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';
import type { OpenMetadataTestServer } from './support/global-stack.js';

const SECRET = 'e2e-secret-value-4f1c93';
const HOUR_MS = 3_600_000;

describe('kinesisMetadataIngestion, end to end on the real stack', function () {
  this.timeout(240_000);

  let worker: RunningWorker;
  let om: OpenMetadataTestServer;
  let kinesis: { fixture: KinesisFixture; accessKeyId: string; endpoint: string };
  let config: Record<string, unknown>;
  const serviceName = uniqueName('kinesis_e2e');
  const bulk = Array.from({ length: 101 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
  const textRecords = ['plain text', '{"order":1,"total":9.5}', 'aGVsbG8=', 'ünïcödé ✓'];
  const splitBefore = ['before-split-1', 'before-split-2'];
  const splitAfter = ['after-split-1'];

  before(async () => {
    [om, kinesis] = await Promise.all([getOpenMetadata(), isolatedKinesis()]);
    // Shard pages of 2 make `orders.v1` (3 shards) need two ListShards pages.
    worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: SECRET }, pageSizes: { shards: 2 } });
    const { fixture } = kinesis;
    await fixture.createStreams(bulk, 1, { concurrency: 16 });
    await fixture.createStreams(['binary.records', 'split-me', 'empty-stream', '_tmp_scratch', 'retired'], 1);
    await fixture.createStreams(['orders.v1'], 3);
    await fixture.putRecords('orders.v1', textRecords);
    await fixture.putRecords('binary.records', [
      new Uint8Array([0, 1, 2, 255]),
      new Uint8Array([0xc3, 0x28]),
      'ok',
    ]);
    await fixture.putRecords('split-me', splitBefore);
    await fixture.splitShard('split-me');
    await fixture.putRecords('split-me', splitAfter);
    config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: om.url,
      filter: { excludes: ['_tmp.*'] },
      generateSampleData: true,
    });
  });

  after(async () => {
    await worker?.stop();
    kinesis?.fixture.close();
  });

  it('first run: creates the service and one topic per kept stream, with exact payloads and samples', async () => {
    const { summary, handle } = await runIngestion(worker, config);

    expect(summary).to.include({
      serviceName,
      streamsSeen: 107,
      filtered: 1,
      created: 106,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      deleted: 0,
      successPercent: 100,
    });
    expect(summary.failures).to.deep.equal([]);
    expect(summary.sampleMessages).to.equal(textRecords.length + 3 + splitBefore.length + splitAfter.length);

    const serviceWrites = om.requests.filter(
      (r) =>
        r.method !== 'GET' &&
        r.path.startsWith('/api/v1/services/messagingServices') &&
        (r.body as { name?: string }).name === serviceName,
    );
    // storeServiceConnection defaults to true: the connection as configured, the secret resolved
    // on the worker, as OpenMetadata's own clients store it.
    expect(serviceWrites.map((r) => [r.method, r.path, r.body])).to.deep.equal([
      [
        'POST',
        '/api/v1/services/messagingServices',
        {
          name: serviceName,
          serviceType: 'Kinesis',
          connection: {
            config: {
              type: 'Kinesis',
              awsConfig: {
                awsAccessKeyId: kinesis.accessKeyId,
                awsSecretAccessKey: SECRET,
                awsRegion: 'us-east-1',
                endPointURL: kinesis.endpoint,
              },
            },
          },
        },
      ],
    ]);

    const described = await kinesis.fixture.client.send(
      new DescribeStreamSummaryCommand({ StreamName: 'orders.v1' }),
    );
    const orders = om.topicByFqn(`${serviceName}."orders.v1"`);
    expect(orders, 'topic orders.v1 with a quoted FQN').to.not.equal(undefined);
    expect(orders).to.deep.include({
      name: 'orders.v1',
      partitions: 3,
      retentionTime: 24 * HOUR_MS,
      maximumMessageSize: 1_000_000,
      sourceUrl:
        'https://us-east-1.console.aws.amazon.com/kinesis/home?region=us-east-1#/streams/details/orders.v1/monitoring',
      topicConfig: {
        streamArn: described.StreamDescriptionSummary?.StreamARN,
        streamMode: 'PROVISIONED',
        encryptionType: 'NONE',
        openShardCount: 3,
        consumerCount: described.StreamDescriptionSummary?.ConsumerCount ?? 0,
        streamCreationTimestamp: described.StreamDescriptionSummary?.StreamCreationTimestamp?.toISOString(),
        // The digest of the stored sample, read back with the topic in the next run's pages.
        sampleDataMd5: createHash('md5').update(JSON.stringify(orders?.sampleData?.messages)).digest('hex'),
      },
    });
    expect(orders?.sourceHash).to.match(/^[0-9a-f]{32}$/);
    expect([...(orders?.sampleData?.messages ?? [])].sort()).to.deep.equal([...textRecords].sort());

    const split = om.topicByFqn(`${serviceName}.split-me`);
    expect(split?.partitions, 'only open shards are partitions').to.equal(2);
    expect(split?.sampleData?.messages, 'the closed parent is read first').to.deep.equal([
      ...splitBefore,
      ...splitAfter,
    ]);

    const binary = om.topicByFqn(`${serviceName}."binary.records"`);
    expect(binary?.sampleData?.messages).to.deep.equal([
      '<binary record, 4 bytes> base64:AAEC/w==',
      '<binary record, 2 bytes> base64:wyg=',
      'ok',
    ]);
    expect(
      om.topicByFqn(`${serviceName}.empty-stream`)?.sampleData,
      'no sample data for an empty stream',
    ).to.equal(undefined);
    expect(om.topicByFqn(`${serviceName}._tmp_scratch`), 'filtered stream').to.equal(undefined);
    const topics = om.topics().filter((t) => t.service.name === serviceName);
    expect(topics).to.have.length(106);
    const sampleReads = om.requests.filter(
      (r) => r.method === 'GET' && topics.some((t) => r.path === `/api/v1/topics/${t.id}/sampleData`),
    );
    expect(sampleReads, 'a topic the run created has no sample data to read back').to.deep.equal([]);

    const histories = await runHistories(worker.client, handle.workflowId);
    expect(histories.map((h) => h.workflowId)).to.deep.equal([
      handle.workflowId,
      `${handle.workflowId}/${handle.firstExecutionRunId}/batch-0`,
    ]);
    const allHistory = histories.map((h) => h.text).join('\n');
    expect(allHistory, 'a filtered stream costs no per-stream activity').to.not.include('_tmp_scratch');
    expect(allHistory, 'the AWS secret never reaches history').to.not.include(SECRET);
    expect(allHistory).to.include('describe stream orders.v1');
    for (const history of histories) expect(history.events, history.workflowId).to.be.below(10_240);
    expect(
      om.requests.filter((r) => JSON.stringify(r).includes(SECRET)),
      'only the service connection holds the secret',
    ).to.deep.equal(serviceWrites);
  });

  it('second run with a stream gone: writes nothing but the soft delete of its topic, and reads a few pages', async () => {
    await kinesis.fixture.deleteStream('retired');
    const versionBefore = om.topicByFqn(`${serviceName}."orders.v1"`)?.version;
    om.clearRequests();

    const { summary } = await runIngestion(worker, config);

    expect(summary).to.include({
      streamsSeen: 106,
      filtered: 1,
      created: 0,
      updated: 0,
      unchanged: 105,
      deleted: 1,
      failed: 0,
    });
    const writes = om.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '{id}')}`)).to.deep.equal([
      'DELETE /api/v1/topics/{id}',
    ]);
    expect(om.topicByFqn(`${serviceName}."orders.v1"`)?.version, 'no version bump').to.equal(versionBefore);
    const reads = om.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(
      reads.filter((path) => path.includes('/topics/name/') || path.endsWith('/sampleData')),
      'no read of a topic or its sample data one by one',
    ).to.deep.equal([]);
    // version, service (check and step), 2 pages of the run's index of 106 topics, 1 of the sweep
    expect(reads, 'reads').to.have.length(6);
    const retired = om.topics().find((t) => t.name === 'retired' && t.service.name === serviceName);
    expect(retired?.deleted).to.equal(true);
  });

  it('third run: a resharded stream is updated in place and a returning stream is restored', async () => {
    await kinesis.fixture.splitShard('orders.v1');
    await kinesis.fixture.createStreams(['retired'], 1);
    const before = om.topicByFqn(`${serviceName}."orders.v1"`);

    const { summary } = await runIngestion(worker, config);

    expect(summary).to.include({
      streamsSeen: 107,
      created: 0,
      updated: 2,
      unchanged: 104,
      deleted: 0,
      failed: 0,
    });
    const after = om.topicByFqn(`${serviceName}."orders.v1"`);
    expect(after?.id).to.equal(before?.id);
    expect(after?.partitions).to.equal(4);
    expect(after?.topicConfig).to.include({ openShardCount: 4 });
    expect(om.topics().find((t) => t.name === 'retired' && t.service.name === serviceName)?.deleted).to.equal(
      false,
    );
  });

  it('a stream that fails this run is reported with its step, and its topic is not swept', async () => {
    await kinesis.fixture.splitShard('orders.v1');
    om.setFaultInjector(({ method, path, body }) =>
      method === 'PUT' && path === '/api/v1/topics' && (body as { name?: string }).name === 'orders.v1'
        ? { status: 400, message: 'simulated rejection' }
        : undefined,
    );
    try {
      const { summary } = await runIngestion(worker, config);

      expect(summary).to.include({ failed: 1, deleted: 0, unchanged: 105, successPercent: 99.06 });
      expect(summary.failures).to.deep.equal([
        {
          stream: 'orders.v1',
          step: 'upsertTopic',
          type: 'OpenMetadataRequestRejected',
          message: 'OpenMetadata rejected PUT topics (400): simulated rejection',
        },
      ]);
      expect(om.topicByFqn(`${serviceName}."orders.v1"`)?.deleted).to.equal(false);
    } finally {
      om.setFaultInjector(undefined);
    }
  });
});
