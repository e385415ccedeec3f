import { expect } from 'chai';
import { listAllShards, listAllStreamNames, listStreamNamesPage } from '../activities/aws/kinesis-listing.js';
import { createKinesisClient } from '../devstack/kinesis-fixture.js';
import { startListStreamsTokenProxy } from '../devstack/list-streams-token-proxy.js';
import { isolatedKinesis, TEST_REGION } from './support/ingestion-harness.js';

describe('Kinesis listing against kinesis-local', function () {
  this.timeout(60_000);
  const names = ['a.one', 'b-two', 'c_three', 'd.four', 'e-five'];
  let kinesis: Awaited<ReturnType<typeof isolatedKinesis>>;

  before(async () => {
    kinesis = await isolatedKinesis();
    await kinesis.fixture.createStreams(names, 1);
    await kinesis.fixture.createStreams(['many-shards'], 5);
  });
  after(() => kinesis?.fixture.close());

  const clientVia = (endpoint: string) =>
    createKinesisClient({
      endpoint,
      region: TEST_REGION,
      accessKeyId: kinesis.accessKeyId,
      secretAccessKey: 'x',
    });

  it('follows HasMoreStreams + ExclusiveStartStreamName when the server gives no NextToken', async () => {
    const client = clientVia(kinesis.endpoint);
    try {
      const first = await listStreamNamesPage(client, undefined, 2);
      expect(first).to.deep.equal({ names: ['a.one', 'b-two'], next: { afterName: 'b-two' } });
      expect(await listAllStreamNames(client, undefined, 2)).to.deep.equal([...names, 'many-shards'].sort());
    } finally {
      client.destroy();
    }
  });

  it('follows NextToken alone when the server returns one, as AWS does since 2022', async () => {
    const proxy = await startListStreamsTokenProxy(kinesis.endpoint);
    const client = clientVia(proxy.endpoint);
    try {
      const first = await listStreamNamesPage(client, undefined, 2);
      expect(first.next).to.have.property('nextToken').that.is.a('string');
      expect(await listAllStreamNames(client, undefined, 2)).to.deep.equal([...names, 'many-shards'].sort());
      // One request for the first page above, then the full listing: a first page and two more.
      expect(proxy.listStreamsRequests.slice(0, 2)).to.deep.equal([{ Limit: 2 }, { Limit: 2 }]);
      const followUps = proxy.listStreamsRequests.slice(2);
      expect(followUps).to.have.length(2);
      for (const request of followUps) expect(Object.keys(request)).to.deep.equal(['NextToken']);
    } finally {
      client.destroy();
      await proxy.close();
    }
  });

  it('pages ListShards with NextToken alone, never with StreamName', async () => {
    const client = clientVia(kinesis.endpoint);
    try {
      const shards = await listAllShards(client, 'many-shards', 2);
      expect(shards.map((s) => s.ShardId)).to.have.length(5);
      expect(new Set(shards.map((s) => s.ShardId)).size).to.equal(5);
    } finally {
      client.destroy();
    }
  });
});
