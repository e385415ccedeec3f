import { expect } from 'chai';
import avro from 'avsc';
import { WorkflowFailedError } from '@temporalio/client';
import { CreateRegistryCommand, CreateSchemaCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  createAssumableRole,
  MOTO_SETUP_CREDENTIALS,
  startMotoServer,
  type MotoServer,
} from '../devstack/moto-server.js';
import { startFaultProxy } from '../devstack/fault-proxy.js';
import { KinesisFixture } from '../devstack/kinesis-fixture.js';
import { glueFramedRecord } from '../devstack/record-encoders.js';
import { TEST_LOG_DIR, type OpenMetadataTestServer } from './support/global-stack.js';
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

/** The policy the OpenMetadata documentation gives the connector, exactly: all a run requires. */
const DOCUMENTED_ACTIONS = [
  'kinesis:ListStreams',
  'kinesis:DescribeStreamSummary',
  'kinesis:ListShards',
  'kinesis:GetShardIterator',
  'kinesis:GetRecords',
] as const;

/** One per feature, each optional: without it the feature is left out with a warning naming it. */
const OPTIONAL_ACTIONS = [
  'kinesis:ListStreamConsumers',
  'kinesis:ListTagsForStream',
  'glue:GetSchemaVersion',
] as const;
const ALL_ACTIONS = [...DOCUMENTED_ACTIONS, ...OPTIONAL_ACTIONS];

const ORDER_SCHEMA = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] };

const policyOf = (actions: readonly string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});

/**
 * Kinesis and STS on a moto of this file's own with IAM enforcement on: a user whose only
 * permission is sts:AssumeRole assumes roles holding the documented policy, or that policy
 * less one action.
 */
describe('least privilege, enforced by moto IAM', function () {
  this.timeout(180_000);
  let moto: MotoServer;
  let worker: RunningWorker;
  const roles = new Map<string, string>();
  let user: { accessKeyId: string; secretAccessKey: string };
  /** A user without sts:AssumeRole. */
  let nobody: { accessKeyId: string; secretAccessKey: string };
  const streams = ['lp.orders', 'lp-events', 'lp.glue'];
  let om: OpenMetadataTestServer;
  let owner: { id: string };
  /** Each topic of the run with every role's permission, as compared across runs. */
  let full: Record<string, TopicContent>;

  before(async () => {
    moto = await startMotoServer({ logDir: TEST_LOG_DIR });
    const iam = new IAMClient({
      endpoint: moto.endpoint,
      region: TEST_REGION,
      credentials: MOTO_SETUP_CREDENTIALS,
      requestHandler: new NodeHttpHandler(),
    });
    try {
      await iam.send(new CreateUserCommand({ UserName: 'om-bot' }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'om-bot',
          PolicyName: 'assume',
          PolicyDocument: JSON.stringify(policyOf(['sts:AssumeRole'])),
        }),
      );
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'om-bot' }))).AccessKey;
      user = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
      await iam.send(new CreateUserCommand({ UserName: 'om-nobody' }));
      const nobodyKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'om-nobody' }))).AccessKey;
      nobody = {
        accessKeyId: nobodyKey?.AccessKeyId ?? '',
        secretAccessKey: nobodyKey?.SecretAccessKey ?? '',
      };
    } finally {
      iam.destroy();
    }
    const role = async (name: string, actions: readonly string[]) =>
      (
        await createAssumableRole(moto.endpoint, {
          roleName: name,
          region: TEST_REGION,
          policy: policyOf(actions),
        })
      ).roleArn;
    roles.set('all', await role('om-reader', ALL_ACTIONS));
    roles.set('documented', await role('om-reader-documented', DOCUMENTED_ACTIONS));
    for (const missing of ALL_ACTIONS) {
      roles.set(
        missing,
        await role(
          `om-reader-without-${missing.replace(':', '-')}`,
          ALL_ACTIONS.filter((a) => a !== missing),
        ),
      );
    }
    const glue = new GlueClient({
      endpoint: moto.endpoint,
      region: TEST_REGION,
      credentials: MOTO_SETUP_CREDENTIALS,
      requestHandler: new NodeHttpHandler(),
    });
    await glue.send(new CreateRegistryCommand({ RegistryName: 'lp' }));
    const { SchemaVersionId } = await glue.send(
      new CreateSchemaCommand({
        RegistryId: { RegistryName: 'lp' },
        SchemaName: 'orders',
        DataFormat: 'AVRO',
        Compatibility: 'BACKWARD',
        SchemaDefinition: JSON.stringify(ORDER_SCHEMA),
      }),
    );
    glue.destroy();
    const fixture = new KinesisFixture({
      endpoint: moto.endpoint,
      region: TEST_REGION,
      ...MOTO_SETUP_CREDENTIALS,
    });
    await fixture.createStreams(streams, 1);
    await fixture.putRecords('lp.orders', ['{"id":1}', '{"id":2}']);
    const order = avro.Type.forSchema(ORDER_SCHEMA as avro.Schema);
    await fixture.putRecords(
      'lp.glue',
      [1, 2].map((id) => glueFramedRecord(SchemaVersionId ?? '', order.toBuffer({ id }))),
    );
    await fixture.registerConsumers('lp-events', ['lp-app']);
    await fixture.addTags('lp-events', { owner: 'lp-owner' });
    fixture.close();
    om = await getOpenMetadata();
    owner = om.addOwner('user', 'lp-owner');
    // From here on moto enforces IAM policies on every request.
    const enforced = await fetch(`${moto.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    expect(enforced.ok, 'moto IAM enforcement on').to.equal(true);
    worker = await startTestWorker({
      env: { LP_SECRET: user.secretAccessKey, LP_WRONG: 'not-the-secret', LP_NOBODY: nobody.secretAccessKey },
      aws: { stsEndpoint: moto.endpoint, glueEndpoint: moto.endpoint },
    });
  });
  after(async () => {
    await worker?.stop();
    await moto?.stop();
  });

  function configFor(role: string | undefined, secret = '${LP_SECRET}', accessKeyId = user.accessKeyId) {
    return testConfigDocument({
      serviceName: uniqueName('least_privilege'),
      accessKeyId,
      secretAccessKey: secret,
      kinesisEndpoint: moto.endpoint,
      openMetadataUrl: om.url,
      generateSampleData: true,
      ...(role ? { assumeRoleArn: role } : {}),
    });
  }

  async function failureOf(config: Record<string, unknown>) {
    const started = Date.now();
    try {
      await runIngestion(worker, config);
    } catch (error) {
      expect(error).to.be.instanceOf(WorkflowFailedError);
      return {
        message: (error as WorkflowFailedError).cause?.message ?? '',
        elapsedMs: Date.now() - started,
      };
    }
    throw new Error('the run was expected to fail');
  }

  /** Tags are read and stored, and name the owner. */
  const OPTIONS = { streamTags: true, ownerTagKey: 'owner' };

  it('every feature with its optional actions: schemas, consumers, tags, the owner; no warning', async () => {
    const config = configFor(roles.get('all'));
    const { summary } = await runIngestion(worker, config, OPTIONS);
    expect(summary).to.include({ created: 3, failed: 0, sampleMessages: 4, warningCount: 0 });
    full = contentOf(om, config);
    expect(full['lp.glue']?.messageSchema).to.deep.include({
      schemaType: 'Avro',
      schemaText: JSON.stringify(ORDER_SCHEMA),
    });
    expect(full['lp.glue']?.messages).to.deep.equal(['{"id":1}', '{"id":2}']);
    expect(full['lp.orders']?.messageSchema).to.deep.include({ schemaType: 'JSON' });
    expect(full['lp-events']?.topicConfig).to.deep.include({ streamTags: { owner: 'lp-owner' } });
    expect(
      (full['lp-events']?.topicConfig.enhancedFanOutConsumers as Array<{ name: string }>)[0]?.name,
    ).to.equal('lp-app');
    expect(full['lp-events']?.owner).to.equal(owner.id);
  });

  it('the documented policy alone is enough: topics and sample data arrive, each optional action missing is named', async () => {
    const { summary } = await runIngestion(worker, configFor(roles.get('documented')), OPTIONS);
    expect(summary).to.include({ created: 3, failed: 0, sampleMessages: 4 });
    const named = new Set(
      summary.warnings.map((w) => /needs the IAM permission ([a-z0-9]+:[A-Za-z]+)/.exec(w.message)?.[1]),
    );
    expect([...named].sort()).to.deep.equal([...OPTIONAL_ACTIONS].sort());
  });

  /** What a run without the action loses, and nothing more. */
  const LOSSES: Record<(typeof OPTIONAL_ACTIONS)[number], (topics: Record<string, TopicContent>) => void> = {
    'kinesis:ListStreamConsumers': (topics) => {
      for (const topic of Object.values(topics)) delete topic.topicConfig.enhancedFanOutConsumers;
    },
    'kinesis:ListTagsForStream': (topics) => {
      for (const topic of Object.values(topics)) {
        delete topic.topicConfig.streamTags;
        delete topic.owner;
      }
    },
    'glue:GetSchemaVersion': (topics) => {
      const glueTopic = topics['lp.glue'];
      if (!glueTopic) return;
      delete glueTopic.messageSchema;
      // The digest of the schema it wrote, which the topic records.
      delete glueTopic.topicConfig.messageSchemaMd5;
      glueTopic.messages = glueTopic.messages.map(() => 'shown as bytes');
      // The digest of those messages, which the topic records.
      delete glueTopic.topicConfig.sampleDataMd5;
    },
  };

  for (const missing of OPTIONAL_ACTIONS) {
    it(`without ${missing} only its feature is left out, with a warning naming it`, async () => {
      const config = configFor(roles.get(missing));
      const { summary } = await runIngestion(worker, config, OPTIONS);
      expect(summary).to.include({ created: 3, failed: 0, sampleMessages: 4 });
      const permissions = summary.warnings.map(
        (w) => /needs the IAM permission ([a-z0-9]+:[A-Za-z]+)/.exec(w.message)?.[1],
      );
      expect(permissions.length).to.be.above(0);
      expect(new Set(permissions), 'no other permission is missing').to.deep.equal(new Set([missing]));
      const topics = contentOf(om, config);
      if (missing === 'glue:GetSchemaVersion') {
        for (const message of topics['lp.glue']?.messages ?? [])
          expect(message).to.match(
            /^<Glue Schema Registry record, schema version [0-9a-f-]{36} \(schema not found\), 1 bytes> base64:/,
          );
      }
      const expected = structuredClone(full);
      LOSSES[missing](expected);
      LOSSES[missing](topics);
      expect(topics).to.deep.equal(expected);
    });
  }

  for (const missing of ['kinesis:ListStreams', 'kinesis:DescribeStreamSummary'] as const) {
    it(`without ${missing} the run fails fast, naming the permission`, async () => {
      const failure = await failureOf(configFor(roles.get(missing)));
      expect(failure.message).to.include(`needs the IAM permission ${missing}`);
      expect(failure.elapsedMs).to.be.below(20_000);
    });
  }

  // Sampling alone lists shards (a topic's partitions come from DescribeStreamSummary).
  for (const missing of ['kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:GetRecords'] as const) {
    it(`without ${missing} topics still arrive; sampling degrades with a warning naming it`, async () => {
      const { summary } = await runIngestion(worker, configFor(roles.get(missing)));
      expect(summary).to.include({ created: 3, failed: 0, sampleMessages: 0 });
      expect(summary.warnings.map((w) => w.message).join('\n')).to.include(
        `needs the IAM permission ${missing}`,
      );
    });
  }

  it('AssumeRole denied ends the run at once, naming sts:AssumeRole', async () => {
    const failure = await failureOf(configFor(roles.get('all'), '${LP_NOBODY}', nobody.accessKeyId));
    // The AWS checks run at once: whichever is denied first names the cause.
    expect(failure.message).to.match(
      /^(verifyAwsIdentity|checkKinesisConnection): AWS denied sts:AssumeRole /,
    );
    expect(failure.message).to.include('needs the IAM permission sts:AssumeRole');
    expect(failure.elapsedMs).to.be.below(20_000);
  });

  it('a wrong AWS secret ends the run at once, saying to check the credentials', async () => {
    const failure = await failureOf(configFor(roles.get('all'), '${LP_WRONG}'));
    // The AWS checks run at once: whichever is refused first names the cause.
    expect(failure.message).to.match(
      /^(verifyAwsIdentity|checkKinesisConnection): AWS refused the credentials/,
    );
    expect(failure.message).to.include('awsSecretAccessKey');
    expect(failure.message).to.not.include('not-the-secret');
    expect(failure.elapsedMs).to.be.below(20_000);
  });

  it("without kms:Decrypt on a stream's customer managed key, sampling degrades with a warning naming it", async () => {
    // moto does not encrypt: GetRecords is answered as AWS answers it for a CMK without kms:Decrypt.
    const kinesis = await isolatedKinesis();
    await kinesis.fixture.createStreams(['cmk.orders'], 1);
    await kinesis.fixture.putRecords('cmk.orders', ['{"id":1}']);
    kinesis.fixture.close();
    const proxy = await startFaultProxy({
      target: kinesis.endpoint,
      faults: [
        {
          match: (r) => r.api === 'GetRecords',
          action: {
            kind: 'status',
            status: 400,
            contentType: 'application/x-amz-json-1.1',
            body: JSON.stringify({
              __type: 'KMSAccessDeniedException',
              message: 'User is not authorized to perform kms:Decrypt on the stream key',
            }),
          },
        },
      ],
    });
    try {
      const config = testConfigDocument({
        serviceName: uniqueName('least_privilege_kms'),
        accessKeyId: kinesis.accessKeyId,
        secretAccessKey: '${LP_WRONG}',
        kinesisEndpoint: proxy.endpoint,
        openMetadataUrl: om.url,
        generateSampleData: true,
      });
      const { summary } = await runIngestion(worker, config);
      expect(summary).to.include({ created: 1, failed: 0, sampleMessages: 0 });
      expect(summary.warnings.map((w) => w.message).join('\n')).to.include(
        'needs the IAM permission kms:Decrypt',
      );
    } finally {
      await proxy.close();
    }
  });
});

interface TopicContent {
  messageSchema?: { schemaType?: unknown; schemaText?: unknown; fields: unknown };
  topicConfig: Record<string, unknown>;
  owner?: string;
  messages: string[];
}

/** The run's topics by name, without what differs between services (FQNs) or runs (nothing else). */
function contentOf(
  om: OpenMetadataTestServer,
  config: Record<string, unknown>,
): Record<string, TopicContent> {
  const serviceName = (config.source as { serviceName: string }).serviceName;
  const fields = (list: unknown): unknown =>
    Array.isArray(list)
      ? list.map((field: { name: string; dataType: string; children?: unknown }) => [
          field.name,
          field.dataType,
          fields(field.children),
        ])
      : undefined;
  return Object.fromEntries(
    om
      .topics()
      .filter((topic) => topic.service.name === serviceName)
      .map((topic) => {
        const content: TopicContent = {
          topicConfig: { ...topic.topicConfig },
          messages: topic.sampleData?.messages ?? [],
        };
        if (topic.messageSchema)
          content.messageSchema = {
            schemaType: topic.messageSchema.schemaType,
            schemaText: topic.messageSchema.schemaText,
            fields: fields(topic.messageSchema.schemaFields),
          };
        if (topic.owner) content.owner = topic.owner.id;
        return [topic.name, content];
      }),
  );
}
