import { expect } from 'chai';
import { startFaultProxy, type FaultProxy } from '../devstack/fault-proxy.js';
import { glueFramedRecord, kplAggregatedRecord } from '../devstack/record-encoders.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

const LONG_NAME = `${'s'.repeat(120)}.dots.v1`; // 128 characters, Kinesis's limit

/** A KPL-aggregated record whose MD5 (zeros) does not match: an ordinary binary record. */
const KPL_RECORD = new Uint8Array([
  0xf3,
  0x89,
  0x9a,
  0xc2,
  0x0a,
  0x01,
  0x6b,
  0x1a,
  0x05,
  0x08,
  0x00,
  0x1a,
  0x01,
  0x61,
  ...new Array<number>(16).fill(0),
]);

describe('bad input: data', function () {
  this.timeout(180_000);
  let worker: RunningWorker;
  let proxy: FaultProxy;

  before(async () => {
    worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: 'x' } });
  });
  after(async () => {
    await worker?.stop();
    await proxy?.close();
  });

  it('odd records and names, and OpenMetadata answering garbage: the run stays up, reports the item, ingests the rest', async () => {
    const om = await getOpenMetadata();
    const kinesis = await isolatedKinesis();
    await kinesis.fixture.createStreams([LONG_NAME, 'records.odd', 'shape.wrong', 'garbled.once'], 1);
    const megabyte = new Uint8Array(1024 * 1024 - 64).fill(0x61);
    await kinesis.fixture.putRecords('records.odd', [
      megabyte,
      KPL_RECORD,
      new Uint8Array([0xff, 0xfe, 0x00]),
      'tail',
    ]);
    kinesis.fixture.close();
    const serviceName = uniqueName('bad_data');
    const nameUrl = (stream: string) =>
      `/api/v1/topics/name/${encodeURIComponent(`${serviceName}."${stream}"`)}`;
    let garbledOnce = false;
    proxy = await startFaultProxy({
      target: om.url.replace(/\/api$/, ''),
      faults: [
        {
          // The pages of the service's topics answer garbage: each stream then reads its own
          // topic by name, which meets the faults below.
          match: (r) => r.method === 'GET' && r.path === '/api/v1/topics',
          action: { kind: 'status', status: 200, body: '{"data":"not a list"}' },
        },
        {
          // Well-formed JSON of the wrong shape, every time: reported, not retried for long.
          match: (r) => r.method === 'GET' && r.path === nameUrl('shape.wrong'),
          action: { kind: 'status', status: 200, body: '{"unexpected":true}' },
        },
        {
          // A body that is not JSON, once: retried, then fine.
          match: (r) => r.method === 'GET' && r.path === nameUrl('garbled.once'),
          action: () =>
            garbledOnce
              ? undefined
              : ((garbledOnce = true), { kind: 'status', status: 200, body: '<html>bad gateway' }),
        },
      ],
    });
    const config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: `${proxy.endpoint}/api`,
      generateSampleData: true,
    });

    const started = Date.now();
    const { summary } = await runIngestion(worker, config);

    expect(Date.now() - started, 'no long retry storm').to.be.below(60_000);
    expect(summary).to.include({ created: 3, failed: 1 });
    expect(summary.failures).to.deep.equal([
      {
        stream: 'shape.wrong',
        step: 'upsertTopic',
        type: 'OpenMetadataBadResponse',
        message: `OpenMetadata's answer to GET ${nameUrl('shape.wrong').slice('/api/v1/'.length)} is not valid: the entity has no id or fullyQualifiedName`,
      },
    ]);
    expect(garbledOnce).to.equal(true);
    expect(om.topicByFqn(`${serviceName}."garbled.once"`)?.name).to.equal('garbled.once');
    const long = om.topicByFqn(`${serviceName}."${LONG_NAME}"`);
    expect(long?.name).to.have.length(128);
    const odd = om.topicByFqn(`${serviceName}."records.odd"`)?.sampleData?.messages ?? [];
    expect(odd).to.have.length(4);
    expect(odd[0])
      .to.have.length(4096)
      .and.match(/^a+ …<truncated, 1048512 bytes in all>$/);
    expect(odd[1]).to.match(/^<binary record, 30 bytes> base64:84mawg/);
    expect(odd[2]).to.equal('<binary record, 3 bytes> base64://4A');
    expect(odd[3]).to.equal('tail');
  });

  it('records built to hurt (5,000 deep, 20,000 keys, mixed types, cut-short KPL and Glue frames): sampled, schema bounded, nothing fails', async () => {
    const om = await getOpenMetadata();
    const kinesis = await isolatedKinesis();
    await kinesis.fixture.createStreams(['shapes.hostile'], 1);
    const kpl = kplAggregatedRecord(['{"k":1}', '{"k":2}']);
    const glue = glueFramedRecord(
      '0f0e0d0c-0b0a-0908-0706-050403020100',
      new TextEncoder().encode('{"x":1}'),
      {
        compress: true,
      },
    );
    const records = [
      `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
      JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key${i}`, i]))),
      '{"v":1,"w":[1,"two",{"three":3}]}',
      '{"v":"one","w":null}',
      '{"v":{"nested":true}}',
      kpl.subarray(0, kpl.length - 3),
      glue.subarray(0, glue.length - 4),
    ];
    await kinesis.fixture.putRecords('shapes.hostile', records, 'one-shard');
    kinesis.fixture.close();
    const serviceName = uniqueName('hostile');
    const config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: om.url,
      generateSampleData: true,
    });

    const { summary } = await runIngestion(worker, config);

    expect(summary).to.include({ created: 1, failed: 0, sampleMessages: records.length });
    const topic = om.topicByFqn(`${serviceName}."shapes.hostile"`);
    const messages = topic?.sampleData?.messages ?? [];
    expect(messages[5]).to.match(/^<binary record, \d+ bytes> base64:84mawg/);
    expect(messages[6]).to.match(
      /^<Glue Schema Registry record, schema version 0f0e0d0c-0b0a-0908-0706-050403020100, compressed payload that does not inflate/,
    );
    const schema = topic?.messageSchema as {
      schemaText: string;
      schemaFields: Array<{ name: string; dataType: string }>;
    };
    const description = String((JSON.parse(schema.schemaText) as { description?: unknown }).description);
    expect(description).to.include('nesting deeper than 10 levels');
    expect(description).to.include('Objects with more than 500 keys are described as maps');
    expect(schema.schemaText.length).to.be.below(100_000);
    expect(schema.schemaFields.find((f) => f.name === 'v')?.dataType).to.equal('UNION');
  });
});
