import { expect } from 'chai';
import avro from 'avsc';
import {
  CreateRegistryCommand,
  CreateSchemaCommand,
  GlueClient,
  RegisterSchemaVersionCommand,
} from '@aws-sdk/client-glue';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startFaultProxy, type FaultProxy } from '../devstack/fault-proxy.js';
import { MOTO_SETUP_CREDENTIALS } from '../devstack/moto-server.js';
import { glueFramedRecord } from '../devstack/record-encoders.js';
import { getMoto } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  TEST_REGION,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

const V1 = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] };
const V2 = { ...V1, fields: [...V1.fields, { name: 'note', type: ['null', 'string'], default: null }] };
const JSON_SCHEMA = '{"type":"object","properties":{"sku":{"type":"string"},"qty":{"type":"integer"}}}';
const PROTO = 'syntax = "proto3";\nmessage Click { string page = 1; }';

/**
 * Records written in the Glue Schema Registry serializers' format, on kinesis-local, with
 * their schemas registered in moto's Glue Schema Registry (it has CreateRegistry, CreateSchema,
 * RegisterSchemaVersion and GetSchemaVersion; it does not check compatibility or parse the
 * definitions, which the product does not need). The lookups go through a proxy that counts them.
 */
describe('Glue Schema Registry, end to end on moto', function () {
  this.timeout(180_000);
  let worker: RunningWorker;
  let proxy: FaultProxy;
  let config: Record<string, unknown>;
  const serviceName = uniqueName('glue');
  const ids: Record<string, string> = {};

  before(async () => {
    const [moto, om, kinesis] = await Promise.all([getMoto(), getOpenMetadata(), isolatedKinesis()]);
    const glue = new GlueClient({
      endpoint: moto.endpoint,
      region: TEST_REGION,
      credentials: MOTO_SETUP_CREDENTIALS,
      requestHandler: new NodeHttpHandler(),
    });
    const registry = uniqueName('registry');
    await glue.send(new CreateRegistryCommand({ RegistryName: registry }));
    const create = async (name: string, format: 'AVRO' | 'JSON' | 'PROTOBUF', definition: string) =>
      (
        await glue.send(
          new CreateSchemaCommand({
            RegistryId: { RegistryName: registry },
            SchemaName: name,
            DataFormat: format,
            Compatibility: 'BACKWARD',
            SchemaDefinition: definition,
          }),
        )
      ).SchemaVersionId ?? '';
    ids.v1 = await create('orders', 'AVRO', JSON.stringify(V1));
    ids.v2 =
      (
        await glue.send(
          new RegisterSchemaVersionCommand({
            SchemaId: { RegistryName: registry, SchemaName: 'orders' },
            SchemaDefinition: JSON.stringify(V2),
          }),
        )
      ).SchemaVersionId ?? '';
    ids.json = await create('lines', 'JSON', JSON_SCHEMA);
    ids.proto = await create('clicks', 'PROTOBUF', PROTO);
    glue.destroy();

    const { fixture } = kinesis;
    await fixture.createStreams(['glue.avro', 'glue.json', 'glue.proto', 'glue.unknown'], 1);
    const v1 = avro.Type.forSchema(V1 as avro.Schema);
    const v2 = avro.Type.forSchema(V2 as avro.Schema);
    await fixture.putRecords(
      'glue.avro',
      [
        glueFramedRecord(ids.v1, v1.toBuffer({ id: 1 })),
        glueFramedRecord(ids.v1, v1.toBuffer({ id: 2 }), { compress: true }),
        glueFramedRecord(ids.v2, v2.toBuffer({ id: 3, note: 'gift' })),
      ],
      'one-shard',
    );
    await fixture.putRecords('glue.json', [
      glueFramedRecord(ids.json, new TextEncoder().encode('{"sku":"a","qty":1}'), { compress: true }),
    ]);
    await fixture.putRecords('glue.proto', [glueFramedRecord(ids.proto, new Uint8Array([0x0a, 0x01, 0x78]))]);
    await fixture.putRecords('glue.unknown', [
      glueFramedRecord('00000000-1111-2222-3333-444444444444', new Uint8Array([0x02])),
    ]);
    fixture.close();
    proxy = await startFaultProxy({ target: moto.endpoint });
    worker = await startTestWorker({
      env: { TEST_AWS_SECRET_ACCESS_KEY: 'x' },
      aws: { glueEndpoint: proxy.endpoint },
    });
    config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: om.url,
      generateSampleData: true,
    });
  });

  after(async () => {
    await worker?.stop();
    await proxy?.close();
  });

  it("stores each stream's registered schema exactly, decodes Avro, and warns naming glue:GetSchemaVersion for the rest", async () => {
    const om = await getOpenMetadata();
    const { summary } = await runIngestion(worker, config);

    expect(summary).to.include({ created: 4, failed: 0, sampleMessages: 6 });
    const topic = (stream: string) => om.topicByFqn(`${serviceName}."${stream}"`);
    expect(topic('glue.avro')?.messageSchema).to.deep.include({
      schemaType: 'Avro',
      schemaText: JSON.stringify(V2),
    });
    expect(
      (topic('glue.avro')?.messageSchema?.schemaFields as Array<{ name: string }>).map((f) => f.name),
    ).to.deep.equal(['id', 'note']);
    expect(topic('glue.avro')?.sampleData?.messages).to.deep.equal([
      '{"id":1}',
      '{"id":2}',
      '{"id":3,"note":"gift"}',
    ]);
    expect(topic('glue.json')?.messageSchema).to.deep.include({
      schemaType: 'JSON',
      schemaText: JSON_SCHEMA,
    });
    expect(topic('glue.json')?.sampleData?.messages).to.deep.equal(['{"sku":"a","qty":1}']);
    expect(topic('glue.proto')?.messageSchema).to.deep.equal({
      schemaType: 'Protobuf',
      schemaText: PROTO,
      schemaFields: [],
    });
    expect(topic('glue.proto')?.sampleData?.messages?.[0]).to.match(
      /^<Glue Schema Registry record, schema version [0-9a-f-]{36}, PROTOBUF payload, 3 bytes> base64:CgF4$/,
    );
    expect(topic('glue.unknown')?.messageSchema).to.equal(undefined);
    expect(summary.warnings).to.have.length(1);
    expect(summary.warnings[0]).to.deep.include({ stream: 'glue.unknown', step: 'sampleData' });
    expect(summary.warnings[0]?.message).to.match(
      /^AWS rejected glue:GetSchemaVersion on schema version 00000000-1111-2222-3333-444444444444 \(EntityNotFoundException\)/,
    );
    expect(proxy.stats().GetSchemaVersion?.forwarded, 'one lookup per schema version').to.equal(5);
  });

  it('a re-run asks the registry nothing (lookups are cached) and writes nothing', async () => {
    const om = await getOpenMetadata();
    om.clearRequests();
    const { summary } = await runIngestion(worker, config);
    expect(summary).to.include({ unchanged: 4 });
    expect(proxy.stats().GetSchemaVersion?.forwarded).to.equal(5);
    expect(om.requests.filter((r) => r.method !== 'GET')).to.deep.equal([]);
  });
});
