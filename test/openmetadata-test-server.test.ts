import { expect } from 'chai';

import { startOpenMetadataTestServer } from '../devstack/openmetadata-test-server.js';
import type {
  ChangeDescription,
  IngestionPipeline,
  MessagingService,
  OpenMetadataTestServer,
  OpenMetadataTestServerOptions,
  Topic,
} from '../devstack/openmetadata-test-server.js';

interface ErrorBody {
  code: number;
  message: string;
}

interface TopicList {
  data: Topic[];
  paging: { before?: string; after?: string; total: number };
}

interface Answer<T> {
  status: number;
  /** The X-OpenMetadata-Change header. */
  change: string | null;
  body: T;
}

const messageOf = (answer: Answer<unknown>): string => (answer.body as ErrorBody).message;

const KINESIS_CONNECTION = { config: { type: 'Kinesis', awsConfig: { awsRegion: 'us-east-2' } } };

describe('OpenMetadata test server', function () {
  let running: OpenMetadataTestServer[] = [];

  afterEach(async function () {
    await Promise.all(running.map((server) => server.close()));
    running = [];
  });

  async function serve(options: OpenMetadataTestServerOptions = {}): Promise<OpenMetadataTestServer> {
    const server = await startOpenMetadataTestServer(options);
    running.push(server);
    return server;
  }

  async function call<T = ErrorBody>(
    server: OpenMetadataTestServer,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      change: response.headers.get('x-openmetadata-change'),
      body: (text === '' ? undefined : JSON.parse(text)) as T,
    };
  }

  async function putService(server: OpenMetadataTestServer, name = 'kinesis_svc', extra: object = {}) {
    return call<MessagingService>(server, 'PUT', '/v1/services/messagingServices', {
      name,
      serviceType: 'Kinesis',
      connection: KINESIS_CONNECTION,
      ...extra,
    });
  }

  async function putTopic(server: OpenMetadataTestServer, name: string, extra: object = {}) {
    return call<Topic>(server, 'PUT', '/v1/topics', {
      name,
      service: 'kinesis_svc',
      partitions: 2,
      ...extra,
    });
  }

  const noChanges = (previousVersion: number): ChangeDescription => ({
    fieldsAdded: [],
    fieldsUpdated: [],
    fieldsDeleted: [],
    previousVersion,
  });

  it('reports its version', async function () {
    const server = await serve({ version: '1.3.4' });
    const answer = await call<{ version: string; revision: string; timestamp: number }>(
      server,
      'GET',
      '/v1/system/version',
    );
    expect(answer.status).to.equal(200);
    expect(answer.body.version).to.equal('1.3.4');
    expect(answer.body.revision).to.match(/^[0-9a-f]{40}$/);
    expect(answer.body.timestamp).to.be.a('number');
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
  });

  it('requires the bearer token everywhere except the version endpoint', async function () {
    const server = await serve({ jwtToken: 'the-bot-token' });
    const wrongJwt = ['{"alg":"RS256","typ":"JWT"}', '{"sub":"ingestion-bot","isBot":true}', 'sig']
      .map((part) => Buffer.from(part).toString('base64url'))
      .join('.');
    const expectations: Array<[Record<string, string>, string]> = [
      [{}, 'Not Authorized! Token not present'],
      [{ Authorization: 'Basic dXNlcjpwYXNz' }, 'Not Authorized! Token not present'],
      [{ Authorization: 'Bearer not-a-jwt' }, 'Not Authorized! Unable to decode the token.'],
      [
        { Authorization: `Bearer ${wrongJwt}` },
        'Not Authorized! Token verification failed. Public key mismatch. due to ' +
          "com.auth0.jwt.exceptions.SignatureVerificationException: The Token's Signature resulted invalid " +
          'when verified using the Algorithm: SHA256withRSA',
      ],
    ];
    for (const [headers, message] of expectations) {
      const answer = await call(server, 'GET', '/v1/topics', undefined, headers);
      expect(answer, JSON.stringify(headers)).to.deep.include({ status: 401, body: { code: 401, message } });
    }

    expect((await call(server, 'GET', '/v1/system/version')).status).to.equal(200);
    const authorized = await call<TopicList>(server, 'GET', '/v1/topics', undefined, {
      Authorization: 'Bearer the-bot-token',
    });
    expect(authorized.status).to.equal(200);
    expect(authorized.body).to.deep.equal({ data: [], paging: { total: 0 } });
  });

  it('creates, updates and leaves unchanged a messaging service with the real change semantics', async function () {
    const server = await serve();
    const missing = await call(server, 'GET', '/v1/services/messagingServices/name/kinesis_svc');
    expect(missing).to.deep.include({
      status: 404,
      body: { code: 404, message: 'messagingService instance for kinesis_svc not found' },
    });

    const created = await putService(server);
    expect(created.status).to.equal(201);
    expect(created.change).to.equal('entityCreated');
    expect(created.body).to.include({
      name: 'kinesis_svc',
      fullyQualifiedName: 'kinesis_svc',
      serviceType: 'Kinesis',
      version: 0.1,
      updatedBy: 'ingestion-bot',
      deleted: false,
    });
    expect(created.body.id).to.match(/^[0-9a-f-]{36}$/);
    expect(created.body.connection).to.deep.equal(KINESIS_CONNECTION);
    expect(created.body.href).to.equal(`${server.url}/v1/services/messagingServices/${created.body.id}`);

    const same = await putService(server);
    expect(same).to.deep.include({ status: 200, change: 'entityNoChange' });
    expect(same.body).to.include({ version: 0.1, updatedAt: created.body.updatedAt });
    expect(same.body.changeDescription).to.deep.equal(noChanges(0.1));

    const described = await putService(server, 'kinesis_svc', { description: 'Kinesis streams' });
    expect(described).to.deep.include({ status: 200, change: 'entityUpdated' });
    expect(described.body.version).to.equal(0.2);
    expect(described.body.changeDescription).to.deep.equal({
      ...noChanges(0.1),
      fieldsAdded: [{ name: 'description', newValue: 'Kinesis streams' }],
    });

    // A bot's PUT never overwrites a non-empty description.
    const overwrite = await putService(server, 'kinesis_svc', { description: 'something else' });
    expect(overwrite).to.deep.include({ status: 200, change: 'entityNoChange' });
    expect(overwrite.body).to.include({ description: 'Kinesis streams', version: 0.2 });

    const reconnected = await putService(server, 'kinesis_svc', {
      description: 'Kinesis streams',
      connection: { config: { type: 'Kinesis', awsConfig: { awsRegion: 'eu-west-1' } } },
    });
    expect(reconnected).to.deep.include({ status: 200, change: 'entityUpdated' });
    expect(reconnected.body.version).to.equal(0.3);
    expect(reconnected.body.changeDescription?.fieldsUpdated).to.deep.equal([
      { name: 'connection', oldValue: '"old-encrypted-value"', newValue: '"new-encrypted-value"' },
    ]);

    const read = await call<MessagingService>(
      server,
      'GET',
      '/v1/services/messagingServices/name/kinesis_svc',
    );
    expect(read.status).to.equal(200);
    expect(read.body).to.include({ id: created.body.id, version: 0.3, description: 'Kinesis streams' });
    expect(server.messagingServices()).to.have.length(1);

    const dotted = await putService(server, 'kinesis.prod');
    expect(dotted.body.fullyQualifiedName).to.equal('"kinesis.prod"');
    expect(
      (await call(server, 'GET', '/v1/services/messagingServices/name/%22kinesis.prod%22')).status,
    ).to.equal(200);

    const badType = await call(server, 'PUT', '/v1/services/messagingServices', {
      name: 'x',
      serviceType: 'Pulsar',
    });
    expect(badType.status).to.equal(400);
    expect(badType.body.message).to.match(
      /^Cannot construct instance of `org\.openmetadata\.schema\.entity\.services\.MessagingService\$MessagingServiceType`, problem: Pulsar\n at \[Source: /,
    );
  });

  it('creates and updates topics with the real status, change header and version rules', async function () {
    const server = await serve();
    const unknownService = await putTopic(server, 'orders');
    expect(unknownService).to.deep.include({
      status: 404,
      body: { code: 404, message: 'messagingService instance for kinesis_svc not found' },
    });
    const service = (await putService(server)).body;

    const created = await putTopic(server, 'orders', {
      retentionTime: 86400000,
      maximumMessageSize: 1000000,
    });
    expect(created).to.deep.include({ status: 201, change: 'entityCreated' });
    expect(created.body).to.deep.include({
      name: 'orders',
      fullyQualifiedName: 'kinesis_svc.orders',
      version: 0.1,
      partitions: 2,
      retentionTime: 86400000,
      maximumMessageSize: 1000000,
      retentionSize: -1,
      serviceType: 'Kinesis',
      deleted: false,
    });
    expect(created.body.service).to.deep.equal({
      id: service.id,
      type: 'messagingService',
      name: 'kinesis_svc',
      fullyQualifiedName: 'kinesis_svc',
      deleted: false,
      href: `${server.url}/v1/services/messagingServices/${service.id}`,
    });
    expect(created.body).not.to.have.property('changeDescription');

    const same = await putTopic(server, 'orders', { retentionTime: 86400000, maximumMessageSize: 1000000 });
    expect(same).to.deep.include({ status: 200, change: 'entityNoChange' });
    expect(same.body).to.include({ version: 0.1, updatedAt: created.body.updatedAt });
    expect(same.body.changeDescription).to.deep.equal(noChanges(0.1));

    const resharded = await putTopic(server, 'orders', { partitions: 3, maximumMessageSize: 1000000 });
    expect(resharded).to.deep.include({ status: 200, change: 'entityUpdated' });
    expect(resharded.body.version).to.equal(0.2);
    expect(resharded.body.changeDescription).to.deep.equal({
      fieldsAdded: [],
      fieldsUpdated: [{ name: 'partitions', oldValue: 2, newValue: 3 }],
      fieldsDeleted: [{ name: 'retentionTime', oldValue: 86400000 }],
      previousVersion: 0.1,
    });

    const read = await call<Topic>(server, 'GET', '/v1/topics/name/kinesis_svc.orders');
    expect(read.body).to.include({ version: 0.2, partitions: 3 });
    expect(read.body).not.to.have.property('retentionTime');
    expect(read.body.changeDescription?.previousVersion).to.equal(0.1);
    expect((await call<Topic>(server, 'GET', `/v1/topics/${created.body.id}`)).body.id).to.equal(
      created.body.id,
    );
    expect(server.topicByFqn('kinesis_svc.orders')?.version).to.equal(0.2);

    const duplicate = await call(server, 'POST', '/v1/topics', {
      name: 'orders',
      service: 'kinesis_svc',
      partitions: 3,
    });
    expect(duplicate).to.deep.include({ status: 409, body: { code: 409, message: 'Entity already exists' } });
  });

  it('rejects invalid bodies with the real error bodies', async function () {
    const server = await serve();
    await putService(server);
    const topic = { name: 'orders', service: 'kinesis_svc', partitions: 1 };
    const source = '(org.glassfish.jersey.message.internal.ReaderInterceptorExecutor$UnCloseableInputStream)';
    const createTopic = 'org.openmetadata.schema.api.data.CreateTopic';
    const cases: Array<[unknown, string]> = [
      [{ ...topic, partitions: 0 }, '[partitions must be greater than or equal to 1]'],
      [{ ...topic, name: 'a::b' }, '[name must match "^((?!::).)*$"]'],
      [{ ...topic, name: '' }, '[name size must be between 1 and 256]'],
      [{ ...topic, sourceHash: 'x'.repeat(33) }, '[sourceHash size must be between 1 and 32]'],
      [{ partitions: 1 }, '[name must not be null, service must not be null]'],
      [
        { ...topic, foo: 1 },
        `Unrecognized field "foo" (class ${createTopic}), not marked as ignorable (21 known properties: ` +
          '"name", "displayName", "description", "service", "messageSchema", "partitions", "cleanupPolicies", ' +
          '"replicationFactor", "retentionTime", "maximumMessageSize", "minimumInSyncReplicas", "retentionSize", ' +
          '"topicConfig", "owner", "tags", "extension", "sourceUrl", "domain", "dataProducts", "lifeCycle", ' +
          `"sourceHash"])\n at [Source: ${source}; line: 1, column: 64] (through reference chain: ${createTopic}["foo"])`,
      ],
      [
        { ...topic, partitions: 'three' },
        'Cannot deserialize value of type `java.lang.Integer` from String "three": not a valid `java.lang.Integer` value' +
          `\n at [Source: ${source}; line: 1, column: 56] (through reference chain: ${createTopic}["partitions"])`,
      ],
      [
        { ...topic, cleanupPolicies: ['delete', 'shrink'] },
        'Cannot construct instance of `org.openmetadata.schema.type.topic.CleanupPolicy`, problem: shrink' +
          `\n at [Source: ${source}; line: 1, column: 86] (through reference chain: ${createTopic}["cleanupPolicies"]` +
          '->java.util.ArrayList[1])',
      ],
      ['{"name": "orders",', 'Unable to process JSON'],
    ];
    for (const [body, message] of cases) {
      const answer = await call(server, 'PUT', '/v1/topics', body);
      expect(answer, JSON.stringify(body)).to.deep.include({ status: 400, body: { code: 400, message } });
    }
    expect((await putTopic(server, 'bad"name')).body).to.deep.equal({
      code: 400,
      message: 'Invalid name bad"name',
    });
    const owned = await putTopic(server, 'orders', {
      owner: { id: '0b0d4c2e-3f2a-4c1b-9a7e-5d6f7a8b9c0d', type: 'user' },
    });
    expect(owned.body).to.deep.equal({
      code: 404,
      message: 'user instance for 0b0d4c2e-3f2a-4c1b-9a7e-5d6f7a8b9c0d not found',
    });

    const { id } = (await putTopic(server, 'orders')).body;
    const sampleData = `/v1/topics/${id}/sampleData`;
    const notString = await call(server, 'PUT', sampleData, { messages: ['ok', 5] });
    expect(notString.body).to.deep.equal({
      code: 400,
      message:
        'Cannot deserialize value of type `java.lang.String` from Integer value (token `JsonToken.VALUE_NUMBER_INT`)' +
        `\n at [Source: ${source}; line: 1, column: 20] (through reference chain: ` +
        'org.openmetadata.schema.type.topic.TopicSampleData["messages"]->java.util.ArrayList[1])',
    });
    const extraKey = await call(server, 'PUT', sampleData, { messages: [], encoding: 'utf-8' });
    expect(extraKey.status).to.equal(400);
    expect(extraKey.body.message).to.equal(
      'Unrecognized field "encoding" (class org.openmetadata.schema.type.topic.TopicSampleData), not marked as ' +
        `ignorable (1 known properties: "messages"])\n at [Source: ${source}; line: 1, column: 28] ` +
        '(through reference chain: org.openmetadata.schema.type.topic.TopicSampleData["encoding"])',
    );
    expect(server.topics()[0]).not.to.have.property('sampleData');
  });

  it('quotes names with dots in FQNs and finds topics by percent-encoded FQN', async function () {
    const server = await serve();
    await putService(server);
    const created = await putTopic(server, 'orders.v1');
    expect(created.body.fullyQualifiedName).to.equal('kinesis_svc."orders.v1"');

    const byFqn = await call<Topic>(
      server,
      'GET',
      `/v1/topics/name/${encodeURIComponent('kinesis_svc."orders.v1"')}`,
    );
    expect(byFqn.status).to.equal(200);
    expect(byFqn.body.id).to.equal(created.body.id);

    const unquoted = await call(server, 'GET', '/v1/topics/name/kinesis_svc.orders.v1');
    expect(unquoted.body).to.deep.equal({
      code: 404,
      message: 'topic instance for kinesis_svc.orders.v1 not found',
    });
    expect(server.topicByFqn('kinesis_svc."orders.v1"')?.name).to.equal('orders.v1');
  });

  it('pages through a list reading every topic exactly once, also when topics are deleted between pages', async function () {
    const server = await serve();
    await putService(server);
    await putService(server, 'other_svc');
    const names = Array.from({ length: 25 }, (_, index) => `stream-${String(index).padStart(2, '0')}`);
    for (const name of names) await putTopic(server, name);
    await call(server, 'PUT', '/v1/topics', { name: 'elsewhere', service: 'other_svc', partitions: 1 });

    const seen: string[] = [];
    let after: string | undefined;
    const pages: TopicList[] = [];
    do {
      const query = `service=kinesis_svc&limit=10${after === undefined ? '' : `&after=${after}`}`;
      const page = await call<TopicList>(server, 'GET', `/v1/topics?${query}`);
      expect(page.status).to.equal(200);
      expect(page.body.paging.total).to.equal(25);
      pages.push(page.body);
      seen.push(...page.body.data.map((topic) => topic.name));
      after = page.body.paging.after;
    } while (after !== undefined);
    expect(pages.map((page) => page.data.length)).to.deep.equal([10, 10, 5]);
    expect(seen).to.deep.equal(names);
    expect(pages[0]?.paging).not.to.have.property('before');

    const backwards = await call<TopicList>(
      server,
      'GET',
      `/v1/topics?service=kinesis_svc&limit=10&before=${pages[1]?.paging.before}`,
    );
    expect(backwards.body.data.map((topic) => topic.name)).to.deep.equal(names.slice(0, 10));
    expect(backwards.body.paging).not.to.have.property('before');

    // Deleting a topic already read and one not yet read must not skip or repeat anything.
    const first = await call<TopicList>(server, 'GET', '/v1/topics?service=kinesis_svc&limit=10');
    const readIds = first.body.data.map((topic) => topic.id);
    await call(server, 'DELETE', `/v1/topics/${readIds[9]}?hardDelete=true`);
    await call(server, 'DELETE', `/v1/topics/${server.topicByFqn('kinesis_svc.stream-15')?.id}`);
    const rest: string[] = [];
    after = first.body.paging.after;
    while (after !== undefined) {
      const page = await call<TopicList>(
        server,
        'GET',
        `/v1/topics?service=kinesis_svc&limit=10&after=${after}`,
      );
      rest.push(...page.body.data.map((topic) => topic.name));
      after = page.body.paging.after;
    }
    expect(rest).to.deep.equal(names.slice(10).filter((name) => name !== 'stream-15'));

    const limits = await Promise.all(
      ['-1', '1000001', 'ten'].map((limit) => call(server, 'GET', `/v1/topics?limit=${limit}`)),
    );
    expect(limits.map((answer) => answer.body)).to.deep.equal([
      { code: 400, message: '[query param limit must be greater than or equal to 0]' },
      { code: 400, message: '[query param limit must be less than or equal to 1000000]' },
      { code: 404, message: 'HTTP 404 Not Found' },
    ]);
  });

  it('filters by include and soft-deletes, restores and hard-deletes topics', async function () {
    const server = await serve();
    await putService(server);
    const kept = (await putTopic(server, 'kept')).body;
    const gone = (await putTopic(server, 'gone')).body;

    const deleted = await call<Topic>(
      server,
      'DELETE',
      `/v1/topics/${gone.id}?hardDelete=false&recursive=false`,
    );
    expect(deleted).to.deep.include({ status: 200, change: 'entitySoftDeleted' });
    expect(deleted.body).to.include({ deleted: true, version: 0.2 });
    expect(deleted.body.changeDescription?.fieldsUpdated).to.deep.equal([
      { name: 'deleted', oldValue: false, newValue: true },
    ]);

    const names = async (include?: string): Promise<string[]> => {
      const query = include === undefined ? '' : `?include=${include}`;
      return (await call<TopicList>(server, 'GET', `/v1/topics${query}`)).body.data.map(
        (topic) => topic.name,
      );
    };
    expect(await names()).to.deep.equal(['kept']);
    expect(await names('non-deleted')).to.deep.equal(['kept']);
    expect(await names('deleted')).to.deep.equal(['gone']);
    expect(await names('all')).to.deep.equal(['gone', 'kept']);
    expect((await call(server, 'GET', '/v1/topics?include=everything')).status).to.equal(404);

    const hidden = await call(server, 'GET', '/v1/topics/name/kinesis_svc.gone');
    expect(hidden.body).to.deep.equal({
      code: 404,
      message: 'topic instance for kinesis_svc.gone not found',
    });
    const shown = await call<Topic>(server, 'GET', '/v1/topics/name/kinesis_svc.gone?include=deleted');
    expect(shown.body).to.include({ deleted: true });
    expect((await call(server, 'GET', `/v1/topics/${kept.id}?include=deleted`)).status).to.equal(404);

    const restored = await call<Topic>(server, 'PUT', '/v1/topics/restore', { id: gone.id });
    expect(restored).to.deep.include({ status: 200, change: 'entityRestored' });
    expect(restored.body).to.include({ deleted: false, version: 0.3 });
    const notDeleted = await call(server, 'PUT', '/v1/topics/restore', { id: kept.id });
    expect(notDeleted.body).to.deep.equal({ code: 404, message: `topic instance for ${kept.id} not found` });

    // A PUT for a soft-deleted topic restores it, with one version bump.
    await call(server, 'DELETE', `/v1/topics/${gone.id}`);
    const upserted = await putTopic(server, 'gone');
    expect(upserted).to.deep.include({ status: 200, change: 'entityUpdated' });
    expect(upserted.body).to.include({ deleted: false, version: 0.5 });
    expect(upserted.body.changeDescription?.fieldsUpdated).to.deep.equal([
      { name: 'deleted', oldValue: true, newValue: false },
    ]);

    const hard = await call<Topic>(server, 'DELETE', `/v1/topics/${gone.id}?hardDelete=true`);
    expect(hard).to.deep.include({ status: 200, change: 'entityDeleted' });
    expect(server.topicByFqn('kinesis_svc.gone')).to.equal(undefined);
    expect((await call(server, 'GET', '/v1/topics/name/kinesis_svc.gone?include=all')).status).to.equal(404);
  });

  it('deletes a service with its topics only when recursive, and restores them together', async function () {
    const server = await serve();
    const service = (await putService(server)).body;
    await putTopic(server, 'orders');

    const refused = await call(server, 'DELETE', `/v1/services/messagingServices/${service.id}`);
    expect(refused.body).to.deep.equal({ code: 400, message: 'messagingService is not empty' });

    const deleted = await call<MessagingService>(
      server,
      'DELETE',
      `/v1/services/messagingServices/${service.id}?recursive=true`,
    );
    expect(deleted).to.deep.include({ status: 200, change: 'entitySoftDeleted' });
    expect(server.topicByFqn('kinesis_svc.orders')?.deleted).to.equal(true);
    expect((await putTopic(server, 'orders')).body).to.deep.equal({
      code: 404,
      message: 'messagingService instance for kinesis_svc not found',
    });

    const restored = await call(server, 'PUT', '/v1/services/messagingServices/restore', { id: service.id });
    expect(restored).to.deep.include({ status: 200, change: 'entityRestored' });
    expect(server.topicByFqn('kinesis_svc.orders')).to.include({ deleted: false, version: 0.3 });
  });

  it('stores sample data, shown only by the sampleData endpoint', async function () {
    const server = await serve();
    await putService(server);
    const { id } = (await putTopic(server, 'orders')).body;
    const put = await call<Topic>(server, 'PUT', `/v1/topics/${id}/sampleData`, {
      messages: ['{"a":1}', 'plain'],
    });
    expect(put.status).to.equal(200);
    expect(put.body.sampleData).to.deep.equal({ messages: ['{"a":1}', 'plain'] });

    const got = await call<Topic>(server, 'GET', `/v1/topics/${id}/sampleData`);
    expect(got.body.sampleData).to.deep.equal({ messages: ['{"a":1}', 'plain'] });
    const plain = await call<Topic>(server, 'GET', `/v1/topics/${id}?fields=sampleData,tags,followers`);
    expect(plain.body).not.to.have.property('sampleData');
    expect(plain.body).to.deep.include({ tags: [], followers: [] });
    expect((await call(server, 'GET', `/v1/topics/${id}?fields=schemaless`)).body).to.deep.equal({
      code: 400,
      message: 'Invalid field name schemaless',
    });
    expect(server.topicByFqn('kinesis_svc.orders')?.sampleData).to.deep.equal({
      messages: ['{"a":1}', 'plain'],
    });
  });

  it('answers unknown routes, wrong methods and forbidden paths like the real server', async function () {
    const server = await serve({ forbiddenPaths: [/^DELETE \/api\/v1\/topics\//] });
    await putService(server);
    const { id } = (await putTopic(server, 'orders')).body;

    expect((await call(server, 'GET', '/v1/nothing-here')).body).to.deep.equal({
      code: 404,
      message: 'HTTP 404 Not Found',
    });
    expect((await call(server, 'GET', '/v1/topics/not-a-uuid')).body).to.deep.equal({
      code: 404,
      message: 'HTTP 404 Not Found',
    });
    expect((await call(server, 'POST', `/v1/topics/${id}`)).body).to.deep.equal({
      code: 405,
      message: 'HTTP 405 Method Not Allowed',
    });
    expect((await call(server, 'GET', '/v1/topics/restore')).status).to.equal(405);
    expect((await call(server, 'PUT', '/v1/topics', 'x', { 'Content-Type': 'text/plain' })).status).to.equal(
      415,
    );

    expect((await call(server, 'DELETE', `/v1/topics/${id}`)).body).to.deep.equal({
      code: 403,
      message: "Principal: CatalogPrincipal{name='ingestion-bot'} operations [Delete] not allowed",
    });
    server.setForbiddenPaths(['/api/v1/topics']);
    expect((await putTopic(server, 'orders')).status).to.equal(403);
    server.setForbiddenPaths([]);
    expect((await putTopic(server, 'orders')).status).to.equal(200);
  });

  describe("held to OpenMetadata's published JSON schemas", function () {
    const badConnection = async (config: object, version?: string) => {
      const server = await serve(version ? { version } : {});
      return call(server, 'PUT', '/v1/services/messagingServices', {
        name: 'svc',
        serviceType: 'Kinesis',
        connection: { config },
      });
    };

    it('checks the service connection against kinesisConnection and awsCredentials', async function () {
      expect(await badConnection({ type: 'Kinesis', awsConfig: { awsAccessKeyId: 'AKIA' } })).to.deep.include(
        {
          status: 400,
          body: {
            code: 400,
            message: "[connection.config.awsConfig must have required property 'awsRegion']",
          },
        },
      );
      expect(
        (
          await badConnection({
            type: 'Kinesis',
            awsConfig: { awsRegion: 'us-east-1', region: 'x' },
            extra: 1,
          })
        ).body,
      ).to.deep.equal({
        code: 400,
        message:
          '[connection.config must NOT have additional properties (extra), connection.config.awsConfig must NOT have additional properties (region)]',
      });
      expect(
        (await badConnection({ type: 'Kafka', awsConfig: { awsRegion: 'us-east-1' } })).body.message,
      ).to.equal('[connection.config.type must be equal to one of the allowed values (["Kinesis"])]');
      const stored = await badConnection({
        type: 'Kinesis',
        awsConfig: { awsRegion: 'us-east-1', awsAccessKeyId: 'AKIA', awsSecretAccessKey: 'secret' },
      });
      expect(stored.status).to.equal(201);
    });

    it('takes the connection keys of later versions only from those versions', async function () {
      const newer = {
        type: 'Kinesis',
        awsConfig: { awsRegion: 'us-east-1', enabled: true },
        supportsProfiler: false,
      };
      expect((await badConnection(newer, '1.6.2')).body.message).to.equal(
        '[connection.config must NOT have additional properties (supportsProfiler), connection.config.awsConfig must NOT have additional properties (enabled)]',
      );
      expect((await badConnection(newer, '2.0.7')).status).to.equal(201);
    });

    it('looks up a domain even when its name is empty', async function () {
      const server = await serve();
      const answer = await call(server, 'PUT', '/v1/services/messagingServices', {
        name: 'svc',
        serviceType: 'Kinesis',
        domain: '',
      });
      expect(answer).to.deep.include({
        status: 404,
        body: { code: 404, message: 'domain instance for  not found' },
      });
    });

    it('takes owner up to 1.4, owners from 1.5, and domains from 1.9', async function () {
      const owner = { id: '3f4c7b52-2c5f-4c55-9a53-7d1b1bb1d0a1', type: 'user' };
      const old = await serve({ version: '1.3.4' });
      expect(messageOf(await putService(old, 'svc', { owner }))).to.equal(
        `user instance for ${owner.id} not found`,
      );
      expect(messageOf(await putService(old, 'svc', { owners: [owner] }))).to.match(
        /^Unrecognized field "owners" \(class org\.openmetadata\.schema\.api\.services\.CreateMessagingService\)/,
      );
      const mid = await serve({ version: '1.6.13' });
      expect(messageOf(await putService(mid, 'svc', { owner }))).to.match(/^Unrecognized field "owner" /);
      expect((await putService(mid, 'svc', { owners: [] })).status).to.equal(201);
      expect(messageOf(await putTopic(mid, 't', { domain: 'sales' }))).to.equal(
        'domain instance for sales not found',
      );
      const current = await serve({ version: '2.0.7' });
      expect((await putService(current, 'svc', { domains: [] })).status).to.equal(201);
      expect(messageOf(await putTopic(current, 't', { domain: 'sales' }))).to.match(
        /^Unrecognized field "domain" \(class org\.openmetadata\.schema\.api\.data\.CreateTopic\)/,
      );
    });
  });

  it('deletes stale topics with one request from 2.0 on, and answers 404 to it before', async function () {
    const stale = {
      scopeFqn: 'kinesis_svc',
      scopeEntityType: 'service',
      seenFqns: ['kinesis_svc.kept'],
      recursive: false,
    };
    const mid = await serve({ version: '1.6.13' });
    await putService(mid);
    expect(await call(mid, 'DELETE', '/v1/topics/deleteStale', stale)).to.deep.include({
      status: 404,
      body: { code: 404, message: 'HTTP 404 Not Found' },
    });

    const server = await serve({ version: '2.0.7' });
    await putService(server);
    for (const name of ['kept', 'gone', 'also-gone']) await putTopic(server, name);
    const answer = await call<{ deleted: number }>(server, 'DELETE', '/v1/topics/deleteStale', stale);
    expect(answer).to.deep.include({ status: 200, body: { deleted: 2 } });
    expect(
      server
        .topics()
        .map((topic) => [topic.name, topic.deleted])
        .sort(),
    ).to.deep.equal([
      ['also-gone', true],
      ['gone', true],
      ['kept', false],
    ]);
    expect(
      (await call(server, 'DELETE', '/v1/topics/deleteStale', { scopeFqn: 'kinesis_svc' })).body.message,
    ).to.equal('[scopeEntityType must not be null, seenFqns must not be null]');
  });

  it("keeps an ingestion pipeline's run statuses by run id, in the version's states", async function () {
    const pipelineOf = (service: MessagingService, extra: object = {}) => ({
      name: 'kinesis_pipeline',
      pipelineType: 'metadata',
      service: { id: service.id, type: 'messagingService' },
      sourceConfig: { config: { type: 'MessagingMetadata', markDeletedTopics: true } },
      airflowConfig: {},
      ...extra,
    });
    const status = (runId: string, pipelineState: string) => ({
      runId,
      pipelineState,
      startDate: 1_700_000_000_000,
      timestamp: 1_700_000_000_000,
      status: [
        {
          name: 'Kinesis',
          records: 2,
          updated_records: 0,
          warnings: 0,
          errors: 0,
          filtered: 1,
          failures: [],
        },
      ],
    });
    const path = '/v1/services/ingestionPipelines/kinesis_svc.kinesis_pipeline/pipelineStatus';

    const server = await serve({ version: '1.3.4' });
    const service = (await putService(server)).body;
    expect(
      (await call(server, 'GET', '/v1/services/ingestionPipelines/name/kinesis_svc.kinesis_pipeline')).status,
    ).to.equal(404);
    const bad = await call(
      server,
      'PUT',
      '/v1/services/ingestionPipelines',
      pipelineOf(service, {
        sourceConfig: { config: { type: 'MessagingMetadata', overrideMetadata: true } },
      }),
    );
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.include(
      'sourceConfig.config must NOT have additional properties (overrideMetadata)',
    );
    const created = await call<IngestionPipeline>(
      server,
      'PUT',
      '/v1/services/ingestionPipelines',
      pipelineOf(service),
    );
    expect(created).to.deep.include({ status: 201, change: 'entityCreated' });
    expect(created.body).to.include({
      fullyQualifiedName: 'kinesis_svc.kinesis_pipeline',
      pipelineType: 'metadata',
    });

    expect((await call(server, 'PUT', path, status('run-1', 'running'))).status).to.equal(200);
    expect(
      (await call(server, 'PUT', path, { ...status('run-1', 'success'), endDate: 1_700_000_060_000 })).status,
    ).to.equal(200);
    const stopped = await call(server, 'PUT', path, status('run-2', 'stopped'));
    expect(stopped.status).to.equal(400);
    expect(stopped.body.message).to.match(/problem: stopped/);
    expect(server.pipelineStatuses('kinesis_svc.kinesis_pipeline')).to.deep.equal([
      { ...status('run-1', 'success'), endDate: 1_700_000_060_000 },
    ]);

    const current = await serve({ version: '2.0.7' });
    const service2 = (await putService(current)).body;
    await call(current, 'PUT', '/v1/services/ingestionPipelines', pipelineOf(service2));
    expect((await call(current, 'PUT', path, status('run-2', 'stopped'))).status).to.equal(200);
  });

  it('records every request with its answer', async function () {
    const server = await serve({ jwtToken: 'token' });
    await call(server, 'GET', '/v1/system/version');
    await call(server, 'GET', '/v1/topics?service=kinesis_svc&limit=5', undefined, {
      Authorization: 'Bearer token',
    });
    await call(server, 'PUT', '/v1/services/messagingServices', { name: 'svc', serviceType: 'Kinesis' });

    expect(server.requests.map(({ method, path, status }) => ({ method, path, status }))).to.deep.equal([
      { method: 'GET', path: '/api/v1/system/version', status: 200 },
      { method: 'GET', path: '/api/v1/topics', status: 200 },
      { method: 'PUT', path: '/api/v1/services/messagingServices', status: 401 },
    ]);
    const [, list, put] = server.requests;
    expect(list?.query).to.deep.equal({ service: 'kinesis_svc', limit: '5' });
    expect(list?.headers.authorization).to.equal('Bearer token');
    expect(put?.body).to.deep.equal({ name: 'svc', serviceType: 'Kinesis' });
    expect(put?.at).to.be.a('number');

    server.clearRequests();
    expect(server.requests).to.deep.equal([]);
  });
});
