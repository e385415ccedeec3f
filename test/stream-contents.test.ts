import { expect } from 'chai';
import { KINESIS_QUOTAS, startFaultProxy, type FaultProxy } from '../devstack/fault-proxy.js';
import type { KinesisFixture } from '../devstack/kinesis-fixture.js';
import { awsLabsAggregatedRecords, kplAggregatedRecord } from '../devstack/record-encoders.js';
import type { OpenMetadataTestServer } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

const ORDERS = [
  {
    id: 1,
    total: 9.5,
    placedAt: '2026-11-29T10:00:00Z',
    customer: { name: 'Ada' },
    lines: [{ sku: 'a', qty: 1 }],
  },
  { id: 2, total: 12, placedAt: '2026-11-29T10:05:00Z', customer: { name: 'Bo', vip: true }, lines: [] },
  { id: 3, total: 1.25, placedAt: '2026-11-29T10:06:00Z', customer: { name: 'Cy' }, coupon: 'X1', lines: [] },
];
const KPL_USERS = ['{"event":"a","n":1}', '{"event":"b","n":2}', '{"event":"c","n":3}'];
const LIBRARY_USERS = Array.from({ length: 10 }, (_, i) => JSON.stringify({ event: 'lib', n: 10 + i }));

/**
 * What a stream carries, end to end on kinesis-local (behind a proxy that enforces AWS's
 * quotas and counts the calls) and the OpenMetadata API test server: message schemas inferred
 * from JSON, KPL records unpacked, the record size limit, enhanced fan-out consumers, tags and
 * the owner they name, and a dry run that shows the schema it would write.
 */
describe('what a stream carries: message schema, KPL records, consumers, tags and owners', function () {
  this.timeout(240_000);
  let worker: RunningWorker;
  let om: OpenMetadataTestServer;
  let kinesis: { fixture: KinesisFixture; accessKeyId: string; endpoint: string };
  let proxy: FaultProxy;
  let config: Record<string, unknown>;
  const serviceName = uniqueName('contents');
  const fqn = (stream: string) => `${serviceName}."${stream}"`;
  const options = { streamTags: true, ownerTagKey: 'owner' };
  let alice: { id: string };
  let team: { id: string };
  let bob: { id: string };

  before(async () => {
    [om, kinesis] = await Promise.all([getOpenMetadata(), isolatedKinesis()]);
    worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: 'x' } }, { paced: true });
    const { fixture } = kinesis;
    await fixture.createStreams(
      [
        'orders.json',
        'kpl.events',
        'with.consumers',
        'owned.alice',
        'owned.team',
        'owned.ghost',
        'owner.kept',
        'plain.text',
      ],
      1,
    );
    await fixture.createStreams(['big.records'], 1, { maxRecordSizeInKiB: 10240 });
    await fixture.putRecords(
      'orders.json',
      ORDERS.map((order) => JSON.stringify(order)),
    );
    const badMd5 = kplAggregatedRecord(['{"lost":true}']);
    badMd5[badMd5.length - 1] = (badMd5.at(-1) ?? 0) ^ 0xff;
    await fixture.putRecords(
      'kpl.events',
      [kplAggregatedRecord(KPL_USERS), ...(await awsLabsAggregatedRecords(LIBRARY_USERS)), badMd5],
      'one-shard',
    );
    await fixture.putRecords('plain.text', ['hello', 'world', '{"a":1}']);
    await fixture.registerConsumers('with.consumers', ['billing-app', 'audit-app']);
    await fixture.addTags('owned.alice', { owner: 'alice', env: 'prod' });
    await fixture.addTags('owned.team', { owner: 'data-platform' });
    await fixture.addTags('owned.ghost', { owner: 'ghost' });
    await fixture.addTags('owner.kept', { owner: 'alice' });
    alice = om.addOwner('user', 'alice');
    bob = om.addOwner('user', 'bob');
    team = om.addOwner('team', 'data-platform');
    proxy = await startFaultProxy({ target: kinesis.endpoint, quotas: KINESIS_QUOTAS });
    config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: proxy.endpoint,
      openMetadataUrl: om.url,
      generateSampleData: true,
    });
  });

  after(async () => {
    await worker?.stop();
    await proxy?.close();
    kinesis?.fixture.close();
  });

  it('a dry run shows the message schema it would write, and writes nothing', async () => {
    om.clearRequests();
    const { summary } = await runIngestion(worker, config, { ...options, dryRun: true });
    expect(summary.plannedWrites).to.include(
      'create topic orders.json: JSON schema: coupon STRING, customer RECORD {name STRING, vip BOOLEAN}, id INT, lines ARRAY {qty INT, sku STRING}, placedAt TIMESTAMP, total DOUBLE',
    );
    expect(summary.plannedWrites).to.include('store 14 sample messages for topic kpl.events');
    expect(om.requests.filter((r) => r.method !== 'GET')).to.deep.equal([]);
  });

  it('first run: schemas, unpacked KPL records, the record limit, consumers, tags and owners', async () => {
    // A topic a user made and gave an owner before the connector ever ran: its owner stays.
    const service = await putJson(`${om.url}/v1/services/messagingServices`, {
      name: serviceName,
      serviceType: 'Kinesis',
    });
    await putJson(`${om.url}/v1/topics`, {
      name: 'owner.kept',
      service: service.fullyQualifiedName,
      partitions: 1,
      owner: { id: bob.id, type: 'user' },
    });
    const callsBefore = proxy.stats();

    const { summary } = await runIngestion(worker, config, options);

    expect(summary).to.include({ created: 8, updated: 1, failed: 0 });
    expect(summary.sampleMessages).to.equal(ORDERS.length + KPL_USERS.length + LIBRARY_USERS.length + 1 + 3);
    expect(summary.warnings).to.deep.equal([
      {
        stream: 'owned.ghost',
        step: 'upsertTopic',
        message: `no OpenMetadata user or team is named "ghost" (tag owner of stream owned.ghost): the topic's owner is left unset`,
      },
    ]);

    const orders = om.topicByFqn(fqn('orders.json'));
    expect(orders?.messageSchema?.schemaType).to.equal('JSON');
    const jsonSchema = JSON.parse(String(orders?.messageSchema?.schemaText)) as Record<string, unknown>;
    expect(jsonSchema.required).to.deep.equal(['customer', 'id', 'lines', 'placedAt', 'total']);
    const fields = orders?.messageSchema?.schemaFields as Array<{
      name: string;
      dataType: string;
      fullyQualifiedName: string;
      children?: unknown[];
    }>;
    expect(fields.map((f) => `${f.name} ${f.dataType}`)).to.deep.equal([
      'coupon STRING',
      'customer RECORD',
      'id INT',
      'lines ARRAY',
      'placedAt TIMESTAMP',
      'total DOUBLE',
    ]);
    expect(fields[1]?.children).to.have.length(2);
    expect(fields[0]?.fullyQualifiedName).to.equal(`${fqn('orders.json')}.coupon`);

    const kpl = om.topicByFqn(fqn('kpl.events'))?.sampleData?.messages ?? [];
    expect(kpl.slice(0, -1), 'each user record a message, in order').to.deep.equal([
      ...KPL_USERS,
      ...LIBRARY_USERS,
    ]);
    expect(kpl.at(-1)).to.match(/^<binary record, \d+ bytes> base64:84mawg/);
    expect(om.topicByFqn(fqn('kpl.events'))?.messageSchema?.schemaFields).to.have.length(2);

    expect(om.topicByFqn(fqn('big.records'))?.maximumMessageSize).to.equal(10 * 1024 * 1024);
    expect(om.topicByFqn(fqn('plain.text'))?.messageSchema, 'no schema invented for text').to.equal(
      undefined,
    );

    const withConsumers = om.topicByFqn(fqn('with.consumers'))?.topicConfig ?? {};
    expect(withConsumers.consumerCount).to.equal(2);
    const consumers = withConsumers.enhancedFanOutConsumers as Array<{
      name: string;
      status: string;
      creationTime: string;
    }>;
    expect(consumers.map((c) => c.name)).to.deep.equal(['audit-app', 'billing-app']);
    for (const consumer of consumers) {
      expect(consumer.status).to.be.oneOf(['CREATING', 'ACTIVE']);
      expect(Date.parse(consumer.creationTime)).to.be.above(Date.now() - 600_000);
    }
    expect(om.topicByFqn(fqn('orders.json'))?.topicConfig, 'no consumers, no key').to.not.have.property(
      'enhancedFanOutConsumers',
    );

    expect(om.topicByFqn(fqn('owned.alice'))?.topicConfig?.streamTags).to.deep.equal({
      env: 'prod',
      owner: 'alice',
    });
    expect(om.topicByFqn(fqn('owned.alice'))?.owner).to.include({ id: alice.id, type: 'user' });
    expect(om.topicByFqn(fqn('owned.team'))?.owner).to.include({ id: team.id, type: 'team' });
    expect(om.topicByFqn(fqn('owned.ghost'))?.owner).to.equal(undefined);
    expect(om.topicByFqn(fqn('owner.kept'))?.owner, "a user's owner is never replaced").to.include({
      id: bob.id,
    });

    const calls = diff(proxy.stats(), callsBefore);
    expect(calls.ListStreamConsumers, 'only the stream with consumers costs the call').to.equal(1);
    expect(calls.ListTagsForStream).to.equal(9);
    expect(
      Object.values(proxy.stats()).reduce((n, s) => n + s.throttled, 0),
      'paced within the quotas',
    ).to.equal(0);
  });

  it('an unchanged re-run writes nothing, and without the tag option no tag is read or lost', async () => {
    om.clearRequests();
    const { summary } = await runIngestion(worker, config, options);
    expect(summary).to.include({ unchanged: 9, created: 0, updated: 0 });
    const writes = om.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    // Not even the messaging service: an existing one is never written.
    expect(writes).to.deep.equal([]);

    const callsBefore = proxy.stats();
    om.clearRequests();
    const plain = await runIngestion(worker, config);
    expect(plain.summary).to.include({ unchanged: 9 });
    expect(om.requests.filter((r) => r.method !== 'GET')).to.deep.equal([]);
    expect(diff(proxy.stats(), callsBefore).ListTagsForStream ?? 0).to.equal(0);
    expect(om.topicByFqn(fqn('owned.alice'))?.topicConfig?.streamTags).to.deep.equal({
      env: 'prod',
      owner: 'alice',
    });
  });
});

async function putJson(url: string, body: object): Promise<{ id: string; fullyQualifiedName: string }> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`PUT ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; fullyQualifiedName: string };
}

function diff(after: Record<string, { forwarded: number }>, before: Record<string, { forwarded: number }>) {
  return Object.fromEntries(
    Object.entries(after).map(([api, stats]) => [api, stats.forwarded - (before[api]?.forwarded ?? 0)]),
  ) as Record<string, number>;
}
