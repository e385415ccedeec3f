import { expect } from 'chai';
import type { StreamFacts } from '../common/stream-facts.js';
import { createHash } from 'node:crypto';
import { sampleDigestOf, sourceHashOf, topicRequestOf } from '../activities/openmetadata/topic-request.js';
import {
  changedTopicFields,
  splitFqn,
  keepStoredConfigValues,
  toCreateTopicRequest,
  topicFqn,
  UnmappableStreamError,
} from '../common/topic-mapping.js';

const facts: StreamFacts = {
  name: 'orders.v1',
  arn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders.v1',
  status: 'ACTIVE',
  mode: 'ON_DEMAND',
  retentionPeriodHours: 168,
  openShardCount: 4,
  consumerCount: 1,
  encryptionType: 'KMS',
  createdAt: '2024-01-02T03:04:05.000Z',
};

describe('toCreateTopicRequest', () => {
  it('maps a stream to the CreateTopic OpenMetadata 1.3 accepts', () => {
    expect(toCreateTopicRequest(facts, 'svc', 'eu-west-1')).to.deep.equal({
      name: 'orders.v1',
      service: 'svc',
      partitions: 4,
      retentionTime: 168 * 3_600_000,
      maximumMessageSize: 1_000_000,
      sourceUrl:
        'https://eu-west-1.console.aws.amazon.com/kinesis/home?region=eu-west-1#/streams/details/orders.v1/monitoring',
      topicConfig: {
        streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders.v1',
        streamMode: 'ON_DEMAND',
        encryptionType: 'KMS',
        openShardCount: 4,
        consumerCount: 1,
        streamCreationTimestamp: '2024-01-02T03:04:05.000Z',
      },
    });
  });

  it('uses a larger record limit when the stream reports one', () => {
    expect(
      toCreateTopicRequest({ ...facts, maxRecordSizeInKiB: 10_240 }, 'svc', 'eu-west-1').maximumMessageSize,
    ).to.equal(10_485_760);
    expect(
      toCreateTopicRequest({ ...facts, maxRecordSizeInKiB: 512 }, 'svc', 'eu-west-1').maximumMessageSize,
    ).to.equal(1_000_000);
  });

  it('adds what the topic step learnt: consumers, tags, the message schema; nothing of what it did not', () => {
    const messageSchema = { schemaText: '{}', schemaType: 'JSON' as const, schemaFields: [] };
    const consumers = [{ name: 'app', status: 'ACTIVE', creationTime: '2024-01-02T03:04:05.000Z' }];
    const request = toCreateTopicRequest(facts, 'svc', 'eu-west-1', {
      messageSchema,
      consumers,
      tags: { team: 'a' },
    });
    expect(request.messageSchema).to.equal(messageSchema);
    expect(request.topicConfig).to.deep.include({
      enhancedFanOutConsumers: consumers,
      streamTags: { team: 'a' },
    });
    const bare = toCreateTopicRequest(facts, 'svc', 'eu-west-1', { consumers: [], tags: {} });
    expect(bare).to.not.have.property('messageSchema');
    expect(bare.topicConfig).to.not.have.any.keys('enhancedFanOutConsumers', 'streamTags');
    keepStoredConfigValues(bare, { topicConfig: { streamTags: { kept: 'yes' }, other: 1 } }, ['streamTags']);
    expect(bare.topicConfig).to.deep.include({ streamTags: { kept: 'yes' } });
    expect(bare.topicConfig).to.not.have.property('other');
  });

  it('refuses a stream without open shards instead of sending partitions 0', () => {
    expect(() =>
      toCreateTopicRequest({ ...facts, openShardCount: 0, status: 'DELETING' }, 'svc', 'eu-west-1'),
    )
      .to.throw(UnmappableStreamError)
      .with.property(
        'message',
        'stream orders.v1 has no open shards (status DELETING); its topic is left as it is until it has',
      );
  });
});

describe('topicFqn', () => {
  it('quotes parts that contain dots', () => {
    expect(topicFqn('svc', 'plain')).to.equal('svc.plain');
    expect(topicFqn('svc', 'orders.v1')).to.equal('svc."orders.v1"');
    expect(topicFqn('my.svc', 'a.b')).to.equal('"my.svc"."a.b"');
  });
});

describe('splitFqn', () => {
  it('splits at dots outside quotes and unquotes the parts', () => {
    expect(splitFqn('kinesis_svc."orders.v1"')).to.deep.equal(['kinesis_svc', 'orders.v1']);
    expect(splitFqn('"svc.prod".metadata')).to.deep.equal(['svc.prod', 'metadata']);
  });
});

describe('sourceHash and the sample digest', () => {
  it("is the MD5 of the request's JSON without sourceHash, whatever the key order", () => {
    const request = toCreateTopicRequest(facts, 'kinesis_svc', 'eu-west-1');
    const reordered = Object.fromEntries(Object.entries(request).reverse());
    expect(sourceHashOf(request)).to.match(/^[0-9a-f]{32}$/);
    expect(sourceHashOf(reordered)).to.equal(sourceHashOf(request));
    expect(sourceHashOf({ ...request, sourceHash: 'ffff' })).to.equal(sourceHashOf(request));
    expect(sourceHashOf({ ...request, partitions: 5 })).to.not.equal(sourceHashOf(request));
  });

  it("carries the stored sample's digest in topicConfig, which the hash covers", () => {
    const digest = sampleDigestOf(['a', 'b']);
    expect(digest).to.equal(createHash('md5').update('["a","b"]').digest('hex'));
    const plain = topicRequestOf(facts, 'kinesis_svc', 'eu-west-1', undefined);
    const withDigest = topicRequestOf(facts, 'kinesis_svc', 'eu-west-1', digest);
    expect(plain.topicConfig).to.not.have.property('sampleDataMd5');
    expect(withDigest.topicConfig).to.include({ sampleDataMd5: digest });
    expect(withDigest.sourceHash).to.equal(sourceHashOf(withDigest)).and.not.equal(plain.sourceHash);
  });
});

describe('changedTopicFields', () => {
  const request = toCreateTopicRequest(facts, 'svc', 'eu-west-1');
  const stored = {
    ...request,
    service: { id: 'x', name: 'svc' },
    id: 'id',
    version: 0.1,
    description: 'set by a user',
  };

  it('is empty when every owned field matches, whatever else the stored topic has', () => {
    expect(changedTopicFields(request, stored)).to.deep.equal([]);
    expect(changedTopicFields(request, { ...stored, topicConfig: { ...request.topicConfig } })).to.deep.equal(
      [],
    );
  });

  it('names the fields that differ', () => {
    expect(
      changedTopicFields(request, {
        ...stored,
        partitions: 3,
        topicConfig: { ...request.topicConfig, openShardCount: 3 },
      }),
    ).to.deep.equal(['partitions', 'topicConfig']);
    expect(changedTopicFields(request, { ...stored, sourceUrl: undefined })).to.deep.equal(['sourceUrl']);
  });
});
