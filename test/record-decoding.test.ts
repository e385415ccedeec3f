import { expect } from 'chai';
import avro from 'avsc';
import { StreamSample, type SchemaVersion } from '../activities/records/stream-sample.js';
import {
  awsLabsAggregatedRecords,
  glueFramedRecord,
  kplAggregatedRecord,
} from '../devstack/record-encoders.js';

const text = (value: string) => new TextEncoder().encode(value);

const ORDER_V1 = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'lines', type: { type: 'array', items: 'string' } },
  ],
};
const ORDER_V2 = {
  ...ORDER_V1,
  fields: [...ORDER_V1.fields, { name: 'note', type: ['null', 'string'], default: null }],
};
const V1 = '11111111-2222-3333-4444-555555555555';
const V2 = '11111111-2222-3333-4444-666666666666';
const JSON_VERSION = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const versions: Record<string, SchemaVersion> = {
  [V1]: {
    schemaVersionId: V1,
    dataFormat: 'AVRO',
    definition: JSON.stringify(ORDER_V1),
    schemaArn: 'arn:orders',
    versionNumber: 1,
  },
  [V2]: {
    schemaVersionId: V2,
    dataFormat: 'AVRO',
    definition: JSON.stringify(ORDER_V2),
    schemaArn: 'arn:orders',
    versionNumber: 2,
  },
  [JSON_VERSION]: {
    schemaVersionId: JSON_VERSION,
    dataFormat: 'JSON',
    definition: '{"type":"object","properties":{"a":{"type":"string"}}}',
    schemaArn: 'arn:json',
    versionNumber: 1,
  },
};

/** A registry of three versions; any other id is denied, as AWS words it. */
function sampleOf(maxMessages = 50) {
  const lookups: string[] = [];
  const sample = new StreamSample(maxMessages, (id) => {
    lookups.push(id);
    const version = versions[id];
    return version
      ? Promise.resolve(version)
      : Promise.reject(
          new Error(
            `AWS denied glue:GetSchemaVersion on schema version ${id}: the identity used needs the IAM permission glue:GetSchemaVersion`,
          ),
        );
  });
  return { sample, lookups };
}

const avroV1 = avro.Type.forSchema(ORDER_V1 as avro.Schema);
const avroV2 = avro.Type.forSchema(ORDER_V2 as avro.Schema);

describe('records as a stream sample: KPL aggregation, Glue Schema Registry frames, JSON', () => {
  it('a KPL-aggregated record (our encoder, from the format description) is its user records, each a message', async () => {
    const { sample } = sampleOf();
    await sample.add(kplAggregatedRecord(['{"id":1}', '{"id":2,"kind":"a"}', '{"id":3}']));
    await sample.add(text('{"id":4}'));
    const result = sample.result();
    expect(result.messages).to.deep.equal(['{"id":1}', '{"id":2,"kind":"a"}', '{"id":3}', '{"id":4}']);
    expect(result.messageSchema?.schemaFields.map((f) => `${f.name} ${f.dataType}`)).to.deep.equal([
      'id INT',
      'kind STRING',
    ]);
  });

  it("records aggregated by AWS Labs' aws-kinesis-agg are unpacked too", async () => {
    const users = Array.from({ length: 40 }, (_, i) => JSON.stringify({ n: i, at: '2026-11-29T10:00:00Z' }));
    const aggregated = await awsLabsAggregatedRecords(users);
    expect(aggregated.length, 'aggregated into fewer records').to.be.below(users.length);
    const { sample } = sampleOf(100);
    for (const record of aggregated) await sample.add(record);
    expect(sample.result().messages).to.deep.equal(users);
  });

  it('user records count against the sample size', async () => {
    const { sample } = sampleOf(2);
    await sample.add(kplAggregatedRecord(['a', 'b', 'c']));
    expect(sample.wanted).to.equal(0);
    expect(sample.result().messages).to.deep.equal(['a', 'b']);
  });

  it('a KPL record whose MD5 does not match, or that is cut short, is an ordinary binary record', async () => {
    const good = kplAggregatedRecord(['{"id":1}']);
    const badMd5 = good.slice();
    badMd5[badMd5.length - 1] = (badMd5.at(-1) ?? 0) ^ 0xff;
    const { sample } = sampleOf();
    await sample.add(badMd5);
    await sample.add(good.subarray(0, good.length - 5));
    const [first, second] = sample.result().messages;
    expect(first).to.equal(
      `<binary record, ${good.length} bytes> base64:${Buffer.from(badMd5).toString('base64')}`,
    );
    expect(second).to.match(new RegExp(`^<binary record, ${good.length - 5} bytes> base64:84mawg`));
    expect(sample.result().messageSchema).to.equal(undefined);
  });

  it('Glue Avro records (plain and zlib-compressed) are decoded with their registered schema, stored exactly; the latest version wins', async () => {
    const { sample, lookups } = sampleOf();
    await sample.add(glueFramedRecord(V1, avroV1.toBuffer({ id: 1, lines: ['a'] })));
    await sample.add(glueFramedRecord(V1, avroV1.toBuffer({ id: 2, lines: [] }), { compress: true }));
    await sample.add(glueFramedRecord(V2, avroV2.toBuffer({ id: 3, lines: ['b', 'c'], note: 'x' })));
    const result = sample.result();
    expect(result.messages).to.deep.equal([
      '{"id":1,"lines":["a"]}',
      '{"id":2,"lines":[]}',
      '{"id":3,"lines":["b","c"],"note":"x"}',
    ]);
    expect(lookups, 'one lookup per schema version').to.deep.equal([V1, V2]);
    expect(result.messageSchema?.schemaType).to.equal('Avro');
    expect(result.messageSchema?.schemaText).to.equal(JSON.stringify(ORDER_V2));
    expect(result.messageSchema?.schemaFields.map((f) => f.name)).to.deep.equal(['id', 'lines', 'note']);
    expect(result.warnings).to.deep.equal([]);
  });

  it('Glue JSON records show their payload; the registered JSON Schema is the message schema', async () => {
    const { sample } = sampleOf();
    await sample.add(glueFramedRecord(JSON_VERSION, text('{"a":"x"}')));
    const result = sample.result();
    expect(result.messages).to.deep.equal(['{"a":"x"}']);
    expect(result.messageSchema).to.deep.include({
      schemaType: 'JSON',
      schemaText: versions[JSON_VERSION]?.definition,
    });
  });

  it('a failed lookup is a warning naming glue:GetSchemaVersion; the payload is shown as any record is', async () => {
    const unknown = '99999999-0000-0000-0000-000000000000';
    const { sample } = sampleOf();
    await sample.add(glueFramedRecord(unknown, text('{"plain":true}')));
    const avroPayload = avroV1.toBuffer({ id: 1, lines: [] });
    await sample.add(glueFramedRecord(unknown, avroPayload));
    const result = sample.result();
    expect(result.warnings).to.have.length(1);
    expect(result.warnings[0]).to.include('needs the IAM permission glue:GetSchemaVersion');
    expect(result.messages[0]).to.equal('{"plain":true}');
    expect(result.messages[1]).to.match(
      new RegExp(
        `^<Glue Schema Registry record, schema version ${unknown} \\(schema not found\\), ${avroPayload.length} bytes> base64:`,
      ),
    );
  });

  it('cut-short, corrupt and hostile Glue frames are shown as bytes, at once', async () => {
    const { sample } = sampleOf();
    const whole = glueFramedRecord(V1, avroV1.toBuffer({ id: 7, lines: ['abc', 'def'] }));
    await sample.add(whole.subarray(0, whole.length - 4));
    await sample.add(
      glueFramedRecord(V1, avroV1.toBuffer({ id: 7, lines: [] }), { compress: true }).subarray(0, 22),
    );
    // id 0, then an array that claims 2^30 ints in a few bytes.
    const started = performance.now();
    await sample.add(glueFramedRecord(V1, new Uint8Array([0x00, 0xfe, 0xff, 0xff, 0xff, 0x07, 0x02])));
    expect(performance.now() - started).to.be.below(100);
    const [cut, deflated, hostile] = sample.result().messages;
    expect(cut).to.match(
      /^<Glue Schema Registry record, schema version 11111111-2222-3333-4444-555555555555, Avro payload that does not decode with it, \d+ bytes> base64:/,
    );
    expect(deflated).to.match(/compressed payload that does not inflate, 4 bytes> base64:/);
    expect(hostile).to.match(/Avro payload that does not decode with it, 7 bytes>/);
  });

  it('no schema is invented for text or binary records, nor when JSON objects are not most of them', async () => {
    const { sample } = sampleOf();
    for (const record of ['plain text', 'more text', '{"a":1}', '[1,2]', '42'])
      await sample.add(text(record));
    await sample.add(new Uint8Array([0, 1, 2]));
    expect(sample.result().messageSchema).to.equal(undefined);
  });

  it('most records JSON: the schema says the others were left out', async () => {
    const { sample } = sampleOf();
    for (const record of ['{"a":1}', '{"a":2}', 'oops']) await sample.add(text(record));
    const description = (
      JSON.parse(sample.result().messageSchema?.schemaText ?? '{}') as { description: string }
    ).description;
    expect(description).to.include('Sampled records that are not JSON objects were left out.');
  });

  it('huge, 5,000-deep and 20,000-key records: no crash, a bounded schema, and the time it took', async () => {
    const { sample } = sampleOf();
    const huge = `{"blob":"${'x'.repeat(2 * 1024 * 1024)}"}`;
    await sample.add(text(huge));
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    await sample.add(text(deep));
    await sample.add(
      text(JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key${i}`, i])))),
    );
    const result = sample.result();
    expect(result.messages[0]).to.have.length(4096);
    const schema = result.messageSchema;
    expect(schema?.schemaText.length).to.be.below(60_000);
    const description = (JSON.parse(schema?.schemaText ?? '{}') as { description: string }).description;
    expect(description).to.include('Records over 1 MiB were not read for it.');
    expect(description).to.include('nesting deeper than 10 levels');
    expect(description).to.include('Objects with more than 500 keys are described as maps');
    expect(result.inferenceMs).to.be.a('number').and.above(0);
  });
});
