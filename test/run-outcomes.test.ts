import { expect } from 'chai';
import { WorkflowFailedError } from '@temporalio/client';
import { awsClientsFor, destroyAwsClients } from '../activities/aws/aws-clients.js';
import { startFaultProxy } from '../devstack/fault-proxy.js';
import { createAssumableRole } from '../devstack/moto-server.js';
import {
  startOpenMetadataTestServer,
  type OpenMetadataTestServer,
} from '../devstack/openmetadata-test-server.js';
import { getKinesisLocal, getMoto } from './support/global-stack.js';
import { runHistories } from './support/history.js';
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
import { KinesisFixture } from '../devstack/kinesis-fixture.js';

/** The failure a run ended with, and how long it took from start to failure. */
async function runFailure(worker: RunningWorker, config: Record<string, unknown>) {
  const started = Date.now();
  const workflowId = uniqueName('failing');
  try {
    await runIngestion(worker, config, {}, workflowId);
  } catch (error) {
    expect(error).to.be.instanceOf(WorkflowFailedError);
    return {
      message: (error as WorkflowFailedError).cause?.message ?? '',
      elapsedMs: Date.now() - started,
      workflowId,
    };
  }
  throw new Error('the run was expected to fail');
}

describe('run outcomes', function () {
  this.timeout(120_000);
  const secret = 'outcomes-secret-8d2e';
  let worker: RunningWorker;

  before(async () => {
    const moto = await getMoto();
    worker = await startTestWorker({
      env: {
        TEST_AWS_SECRET_ACCESS_KEY: secret,
        TEST_OM_TOKEN: 'wrong-token-5b7a',
        TEST_GOOD_OM_TOKEN: 'the-right-token',
      },
      aws: { stsEndpoint: moto.endpoint },
    });
  });
  after(async () => {
    await worker?.stop();
  });

  it('assumes the configured role on STS and ingests with its credentials', async () => {
    const [moto, kinesisLocal, om] = await Promise.all([getMoto(), getKinesisLocal(), getOpenMetadata()]);
    const roleName = uniqueName('om-reader');
    const { roleArn } = await createAssumableRole(moto.endpoint, { roleName, region: TEST_REGION });
    // Assumed-role keys are not 12-digit account ids: kinesis-local serves them its default account.
    const fixture = new KinesisFixture({ endpoint: kinesisLocal.endpoint, region: TEST_REGION });
    const stream = uniqueName('smoke');
    await fixture.createStreams([stream], 1);
    fixture.close();
    const serviceName = uniqueName('assumed_role');
    const config = testConfigDocument({
      serviceName,
      accessKeyId: 'AKIASTATICBASEKEY',
      kinesisEndpoint: kinesisLocal.endpoint,
      openMetadataUrl: om.url,
      assumeRoleArn: roleArn,
      filter: { includes: [`${stream}$`] },
      markDeletedTopics: false,
    });

    const { summary, handle } = await runIngestion(worker, config);

    expect(summary).to.include({ created: 1, failed: 0 });
    expect(om.topicByFqn(`${serviceName}.${stream}`)?.partitions).to.equal(1);
    const [parent] = await runHistories(worker.client, handle.workflowId);
    expect(parent?.text, 'the identity the role gave').to.include(
      `assumed-role/${roleName}/OpenMetadataSession`,
    );
    expect(parent?.text).to.not.include(secret);
  });

  it('a run whose assumed-role session nears expiry mid-run renews it and completes', async () => {
    const [moto, kinesisLocal, om] = await Promise.all([getMoto(), getKinesisLocal(), getOpenMetadata()]);
    const { roleArn } = await createAssumableRole(moto.endpoint, {
      roleName: uniqueName('short'),
      region: TEST_REGION,
    });
    let assumeRoleCalls = 0;
    // STS through a proxy that only counts AssumeRole calls.
    const sts = await startFaultProxy({
      target: moto.endpoint,
      faults: [
        {
          match: (r) => {
            if (r.body.toString('utf8').includes('Action=AssumeRole')) assumeRoleCalls += 1;
            return false;
          },
          action: { kind: 'reset' },
        },
      ],
    });
    // Sessions of 301 s are due for renewal (the SDK's 5-minute window) 1 s after they start.
    const shortSessions = await startTestWorker({
      env: { TEST_AWS_SECRET_ACCESS_KEY: secret },
      aws: { stsEndpoint: sts.endpoint, assumeRoleDurationSeconds: 301 },
    });
    try {
      const fixture = new KinesisFixture({ endpoint: kinesisLocal.endpoint, region: TEST_REGION });
      const prefix = uniqueName('renewal');
      const streams = Array.from({ length: 12 }, (_, i) => `${prefix}-${i}`);
      await fixture.createStreams(streams, 1);
      fixture.close();
      const config = testConfigDocument({
        serviceName: uniqueName('renewal'),
        accessKeyId: 'AKIASTATICBASEKEY',
        kinesisEndpoint: kinesisLocal.endpoint,
        openMetadataUrl: om.url,
        assumeRoleArn: roleArn,
        filter: { includes: [`${prefix}-`] },
        markDeletedTopics: false,
      });
      const started = Date.now();
      const { summary } = await runIngestion(shortSessions, config, { streamConcurrency: 1 });
      expect(summary).to.include({ created: 12, failed: 0 });
      expect(Date.now() - started, "the run outlived its first session's renewal point").to.be.above(1_000);
      expect(assumeRoleCalls, 'sessions renewed during the run').to.be.at.least(2);
    } finally {
      await shortSessions.stop();
      await sts.close();
    }
  });

  it('renews assumed-role credentials before they expire, reusing them until then', async () => {
    const moto = await getMoto();
    const { roleArn } = await createAssumableRole(moto.endpoint, {
      roleName: uniqueName('renewed'),
      region: TEST_REGION,
    });
    // A 301 s session is inside the SDK's 5-minute renewal window after 1 s: it must be renewed
    // then, long before it expires, and reused before that.
    const { kinesis } = awsClientsFor(
      {
        awsRegion: TEST_REGION,
        awsAccessKeyId: 'AKIASTATICBASEKEY',
        awsSecretAccessKey: 'base-secret',
        assumeRoleArn: roleArn,
        assumeRoleSessionName: 'OpenMetadataSession',
      },
      { env: {} },
      { stsEndpoint: moto.endpoint, assumeRoleDurationSeconds: 301 },
    );
    try {
      const first = await kinesis.config.credentials();
      const again = await kinesis.config.credentials();
      expect(again.accessKeyId, 'reused while fresh').to.equal(first.accessKeyId);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const renewed = await kinesis.config.credentials();
      expect(renewed.accessKeyId, 'a new session').to.not.equal(first.accessKeyId);
      expect(first.expiration?.getTime() ?? 0, 'renewed before the first session expired').to.be.greaterThan(
        Date.now(),
      );
    } finally {
      destroyAwsClients();
    }
  });

  describe('failures that no stream can get past end the run at once, with the cause', () => {
    let guarded: OpenMetadataTestServer;
    before(async () => {
      guarded = await startOpenMetadataTestServer({ jwtToken: 'the-right-token' });
    });
    after(async () => {
      await guarded?.close();
    });

    it('a token OpenMetadata refuses (401)', async () => {
      const { accessKeyId, endpoint, fixture } = await isolatedKinesis();
      fixture.close();
      const config = testConfigDocument({
        serviceName: uniqueName('bad_token'),
        accessKeyId,
        kinesisEndpoint: endpoint,
        openMetadataUrl: guarded.url,
        jwtToken: '${TEST_OM_TOKEN}',
      });
      const failure = await runFailure(worker, config);
      expect(failure.message).to.match(
        /^checkOpenMetadata: OpenMetadata refused the token \(401 on GET services\/messagingServices\/name\//,
      );
      expect(failure.message).to.include('securityConfig.jwtToken');
      expect(failure.elapsedMs).to.be.below(15_000);
      const histories = await runHistories(worker.client, failure.workflowId);
      expect(histories.map((h) => h.text).join()).to.not.include('wrong-token-5b7a');
    });

    it('a bot OpenMetadata forbids to write (403)', async () => {
      guarded.setForbiddenPaths(['/api/v1/services/messagingServices']);
      try {
        const { accessKeyId, endpoint, fixture } = await isolatedKinesis();
        fixture.close();
        const config = testConfigDocument({
          serviceName: uniqueName('forbidden'),
          accessKeyId,
          kinesisEndpoint: endpoint,
          openMetadataUrl: guarded.url,
          jwtToken: '${TEST_GOOD_OM_TOKEN}',
        });
        const failure = await runFailure(worker, config);
        expect(failure.message).to.match(/^(checkOpenMetadata|upsertService): OpenMetadata forbade /);
        expect(failure.message).to.include('(403)').and.include('The bot needs a role');
        expect(failure.elapsedMs).to.be.below(15_000);
      } finally {
        guarded.setForbiddenPaths([]);
      }
    });

    it('an invalid config given straight to the workflow (as with the Temporal CLI)', async () => {
      const om = await getOpenMetadata();
      const config = testConfigDocument({
        serviceName: uniqueName('invalid'),
        accessKeyId: '123456789012',
        kinesisEndpoint: 'http://127.0.0.1:9',
        openMetadataUrl: om.url,
      });
      const source = config.source as {
        serviceConnection: { config: { awsConfig: Record<string, unknown> } };
      };
      const awsConfig = source.serviceConnection.config.awsConfig;
      delete awsConfig.awsRegion;
      awsConfig.awsRegon = 'us-east-1';
      const failure = await runFailure(worker, config);
      expect(failure.message).to.include('source.serviceConnection.config.awsConfig.awsRegion: Required');
      expect(failure.message).to.include('awsRegon');
      expect(failure.elapsedMs).to.be.below(10_000);
    });

    it('a secret reference the worker cannot resolve', async () => {
      const om = await getOpenMetadata();
      const config = testConfigDocument({
        serviceName: uniqueName('no_secret'),
        accessKeyId: '123456789012',
        secretAccessKey: '${TEST_NOT_SET_ON_THE_WORKER}',
        kinesisEndpoint: 'http://127.0.0.1:9',
        openMetadataUrl: om.url,
      });
      const failure = await runFailure(worker, config);
      expect(failure.message).to.equal(
        'prepare: source.serviceConnection.config.awsConfig.awsSecretAccessKey refers to the environment variable TEST_NOT_SET_ON_THE_WORKER, which is not set on this worker: set it in the environment of every worker',
      );
    });
  });

  it('a dry run reads everything and writes nothing, listing what it would write', async () => {
    const om = await getOpenMetadata();
    const { accessKeyId, endpoint, fixture } = await isolatedKinesis();
    await fixture.createStreams(['dry.one', 'dry-two'], 1);
    await fixture.putRecords('dry-two', ['a', 'b']);
    fixture.close();
    const serviceName = uniqueName('dry_run');
    const config = testConfigDocument({
      serviceName,
      accessKeyId,
      kinesisEndpoint: endpoint,
      openMetadataUrl: om.url,
      generateSampleData: true,
    });
    const writesBefore = om.requests.filter((r) => r.method !== 'GET').length;

    const { summary } = await runIngestion(worker, config, { dryRun: true });

    expect(summary).to.include({
      dryRun: true,
      created: 2,
      failed: 0,
      sampleMessages: 2,
      serviceWritten: false,
    });
    expect([...summary.plannedWrites].sort()).to.deep.equal(
      [
        `create messaging service ${serviceName} with its connection (type, awsConfig.awsAccessKeyId, awsConfig.awsSecretAccessKey, awsConfig.awsRegion, awsConfig.endPointURL)`,
        'create topic dry.one',
        'create topic dry-two',
        'store 2 sample messages for topic dry-two',
      ].sort(),
    );
    expect(om.requests.filter((r) => r.method !== 'GET').length, 'no write request').to.equal(writesBefore);
    expect(om.messagingServices().some((s) => s.name === serviceName)).to.equal(false);
  });
});
