import { expect } from 'chai';
import { startOpenMetadataTestServer } from '../devstack/openmetadata-test-server.js';
import type { OpenMetadataTestServer } from '../devstack/openmetadata-test-server.js';
import type { KinesisFixture } from '../devstack/kinesis-fixture.js';
import {
  isolatedKinesis,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

/** A schema a user wrote in OpenMetadata, with descriptions on its fields. */
const HAND_WRITTEN_SCHEMA = {
  schemaType: 'Avro',
  schemaText:
    '{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"note","type":"string"}]}',
  schemaFields: [
    { name: 'id', dataType: 'LONG', description: 'written by a user' },
    { name: 'note', dataType: 'STRING', description: 'also by a user' },
  ],
};

/** A schema a tool wrote as fields alone. */
const FIELDS_ONLY_SCHEMA = {
  schemaType: 'JSON',
  schemaFields: [{ name: 'id', dataType: 'INT', description: 'written by a tool' }],
};

/** A token as OpenMetadata issues a person (a personal access token): `isBot` false. */
const PERSON_TOKEN = [
  { alg: 'RS256', typ: 'JWT' },
  { sub: 'alice', isBot: false, iss: 'open-metadata.org' },
]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat('c2lnbmF0dXJl')
  .join('.');

/** The fields of a stored topic's message schema. */
function fieldsOf(schema: unknown): Array<{ name: string; description?: string }> {
  return (
    (schema as { schemaFields?: Array<{ name: string; description?: string }> } | undefined)?.schemaFields ??
    []
  );
}

describe('what users stored in OpenMetadata stays', function () {
  this.timeout(180_000);

  let worker: RunningWorker;
  let kinesis: { fixture: KinesisFixture; accessKeyId: string; endpoint: string };
  const servers: OpenMetadataTestServer[] = [];

  before(async () => {
    kinesis = await isolatedKinesis();
    worker = await startTestWorker({
      env: { TEST_AWS_SECRET_ACCESS_KEY: 'owned-fields-secret', TEST_PERSON_TOKEN: PERSON_TOKEN },
    });
    await kinesis.fixture.createStreams(['json-stream', 'plain-stream', 'ours-stream'], 1);
    await kinesis.fixture.putRecords('json-stream', ['{"id":1,"total":2.5}', '{"id":2,"total":3}']);
    await kinesis.fixture.putRecords('ours-stream', ['{"id":1}']);
  });

  after(async () => {
    await worker?.stop();
    kinesis?.fixture.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  async function serve(options: Parameters<typeof startOpenMetadataTestServer>[0]) {
    const server = await startOpenMetadataTestServer(options);
    servers.push(server);
    return server;
  }

  const configFor = (om: OpenMetadataTestServer, serviceName: string, extra: Record<string, unknown> = {}) =>
    testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: om.url,
      ...extra,
    });

  async function call(om: OpenMetadataTestServer, method: string, path: string, body?: unknown) {
    const response = await fetch(`${om.url}/v1/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).to.be.below(300);
    return (await response.json()) as Record<string, unknown>;
  }

  /** A service as users make it in OpenMetadata, with the topics they wrote (name: other fields). */
  async function serviceWithTopics(
    om: OpenMetadataTestServer,
    prefix: string,
    topics: Record<string, Record<string, unknown>>,
  ): Promise<string> {
    const serviceName = uniqueName(prefix);
    await call(om, 'POST', 'services/messagingServices', { name: serviceName, serviceType: 'Kinesis' });
    for (const [name, fields] of Object.entries(topics))
      await call(om, 'PUT', 'topics', { name, service: serviceName, partitions: 1, ...fields });
    return serviceName;
  }

  const topicPuts = (om: OpenMetadataTestServer) =>
    om.requests.filter((r) => r.method === 'PUT' && r.path === '/api/v1/topics');

  it('keeps a message schema it did not write, sample or not, and replaces only its own', async () => {
    const om = await serve({ version: '1.6.13' });
    const serviceName = await serviceWithTopics(om, 'schemas', {
      'json-stream': { messageSchema: HAND_WRITTEN_SCHEMA },
      // Fields and no text, as a tool may write them.
      'plain-stream': { messageSchema: FIELDS_ONLY_SCHEMA },
    });
    om.clearRequests();

    const { summary } = await runIngestion(worker, configFor(om, serviceName, { generateSampleData: true }));

    expect(summary).to.include({ failed: 0 });
    // Both were written (their Kinesis facts were missing), neither lost the user's schema.
    expect(
      topicPuts(om)
        .map((r) => (r.body as { name: string }).name)
        .sort(),
    ).to.deep.equal(['json-stream', 'ours-stream', 'plain-stream']);
    const fieldsOnly = om.topicByFqn(`${serviceName}.plain-stream`)?.messageSchema;
    expect(fieldsOnly?.schemaText).to.equal(undefined);
    expect(fieldsOf(fieldsOnly).map((f) => f.description)).to.deep.equal(['written by a tool']);
    for (const name of ['json-stream']) {
      const schema = om.topicByFqn(`${serviceName}.${name}`)?.messageSchema;
      expect(schema?.schemaType, name).to.equal('Avro');
      expect(schema?.schemaText, name).to.equal(HAND_WRITTEN_SCHEMA.schemaText);
      expect(
        fieldsOf(schema).map((f) => f.description),
        name,
      ).to.deep.equal(['written by a user', 'also by a user']);
    }
    // Said once, for the stream whose records gave another schema; none for the one without records.
    const said = summary.warnings.filter((w) => /not written by om-kinesis/.test(w.message));
    expect(said.map((w) => w.stream)).to.deep.equal(['json-stream']);

    // Its own schema follows the records: a new field replaces the schema it wrote.
    const ours = om.topicByFqn(`${serviceName}.ours-stream`);
    expect(fieldsOf(ours?.messageSchema).map((f) => f.name)).to.deep.equal(['id']);
    await kinesis.fixture.putRecords('ours-stream', ['{"id":2,"added":"yes"}']);
    const again = await runIngestion(worker, configFor(om, serviceName, { generateSampleData: true }));
    expect(again.summary.warnings.filter((w) => w.stream === 'ours-stream')).to.deep.equal([]);
    expect(
      fieldsOf(om.topicByFqn(`${serviceName}.ours-stream`)?.messageSchema).map((f) => f.name),
    ).to.have.members(['id', 'added']);
    expect(om.topicByFqn(`${serviceName}.json-stream`)?.messageSchema?.schemaType).to.equal('Avro');
  });

  it("with a user's token rather than a bot's, keeps the description and display name users wrote", async () => {
    // OpenMetadata keeps them against a bot's PUT only: with anyone else's token a PUT without
    // them removes them.
    const om = await serve({ version: '2.0.7', principal: { name: 'alice', isBot: false } });
    const serviceName = await serviceWithTopics(om, 'user_token', {
      'plain-stream': { description: 'Written in the UI', displayName: 'Plain stream' },
    });
    om.clearRequests();

    const { summary } = await runIngestion(
      worker,
      configFor(om, serviceName, {
        filter: { includes: ['^plain-stream$'] },
        jwtToken: '${TEST_PERSON_TOKEN}',
      }),
    );

    expect(summary).to.include({ failed: 0, updated: 1 });
    expect(summary.warnings.map((w) => w.message)).to.include.members([
      "the OpenMetadata token is a person's, not a bot's (its isBot claim is false): OpenMetadata keeps what users wrote on a topic only against a bot's writes; om-kinesis sends back descriptions, display names and message schemas, but a topic's custom properties would be lost on each write. Use a bot's token (Settings > Bots, e.g. ingestion-bot)",
    ]);
    expect(JSON.stringify(summary)).to.not.include(PERSON_TOKEN);
    expect(topicPuts(om)).to.have.length(1);
    const topic = om.topicByFqn(`${serviceName}.plain-stream`);
    expect(topic?.description).to.equal('Written in the UI');
    expect(topic?.displayName).to.equal('Plain stream');
    expect(topic?.partitions).to.equal(1);
  });

  for (const version of ['1.3.4', '2.0.7']) {
    it(`an owner tag sets the owner of a topic without one, publishing no other tag (${version})`, async () => {
      const om = await serve({ version });
      const alice = om.addOwner('user', 'alice');
      const bob = om.addOwner('user', 'bob');
      await kinesis.fixture.addTags('plain-stream', { owner: 'alice', 'cost-centre': 'internal-4711' });
      await kinesis.fixture.addTags('json-stream', { owner: 'alice' });
      // An owner a user set, in the field the version takes.
      const bobRef = { id: bob.id, type: 'user' };
      const serviceName = await serviceWithTopics(om, 'owner_tag', {
        'json-stream': version.startsWith('1.3') ? { owner: bobRef } : { owners: [bobRef] },
      });

      const { summary } = await runIngestion(
        worker,
        configFor(om, serviceName, { filter: { includes: ['^plain-stream$', '^json-stream$'] } }),
        { ownerTagKey: 'owner' },
      );

      expect(summary).to.include({ created: 1, updated: 1, failed: 0 });
      const tagged = om.topicByFqn(`${serviceName}.plain-stream`);
      expect(tagged?.owner).to.include({ id: alice.id, type: 'user' });
      expect(tagged?.topicConfig).to.not.have.property('streamTags');
      expect(om.topicByFqn(`${serviceName}.json-stream`)?.owner, "a user's owner stays").to.include({
        id: bob.id,
      });
    });
  }

  it('a run that keeps no stream deletes no topic, and says why', async () => {
    const om = await serve({ version: '1.6.13' });
    const serviceName = uniqueName('keeps_none');
    const first = await runIngestion(worker, configFor(om, serviceName));
    expect(first.summary).to.include({ created: 3, failed: 0 });

    const { summary } = await runIngestion(
      worker,
      configFor(om, serviceName, { filter: { includes: ['^no-such-stream$'] } }),
    );

    expect(summary.deleted).to.equal(0);
    expect(summary.warnings.map((w) => w.message)).to.include(
      'the run keeps no stream (the account lists 3 streams, the filters keep none of them), so the 3 topics of the service were not soft-deleted; check the filters, account and region, or delete the topics in OpenMetadata if their streams are gone',
    );
    expect(om.topics().filter((t) => t.service.name === serviceName && !t.deleted)).to.have.length(3);
    expect(om.requests.filter((r) => r.method === 'DELETE')).to.deep.equal([]);
  });

  it('an ingestion pipeline a user deleted is neither brought back nor written: the report is a warning', async () => {
    const om = await serve({ version: '1.6.13' });
    const serviceName = uniqueName('deleted_pipeline');
    const pipelineFqn = `${serviceName}.kinesis_metadata`;
    const config = { ...configFor(om, serviceName), ingestionPipelineFQN: pipelineFqn };
    await runIngestion(worker, config);
    const [pipeline] = om.ingestionPipelines().filter((p) => p.fullyQualifiedName === pipelineFqn);
    expect(pipeline, 'the first run created it').to.not.equal(undefined);
    await call(om, 'DELETE', `services/ingestionPipelines/${pipeline!.id}`);
    om.clearRequests();

    const { summary } = await runIngestion(worker, config);

    expect(summary).to.include({ failed: 0 });
    expect(
      om.requests.filter((r) => r.method !== 'GET' && r.path.includes('ingestionPipelines')),
    ).to.deep.equal([]);
    expect(om.ingestionPipelines().find((p) => p.fullyQualifiedName === pipelineFqn)?.deleted).to.equal(true);
    const reports = summary.warnings.filter((w) => w.step === 'pipelineStatus');
    expect(reports.length).to.be.greaterThan(0);
    expect(reports[0]?.message).to.include(
      `ingestion pipeline ${pipelineFqn} was deleted in OpenMetadata: the run is not reported to it`,
    );
  });
});
