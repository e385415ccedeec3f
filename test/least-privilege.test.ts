import { expect } from 'chai';
import { WorkflowFailedError } from '@temporalio/client';
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
import { KinesisFixture } from '../devstack/kinesis-fixture.js';
import { TEST_LOG_DIR } from './support/global-stack.js';
import {
  getOpenMetadata,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  TEST_REGION,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

/** The policy the OpenMetadata documentation gives the connector, exactly. */
const DOCUMENTED_ACTIONS = [
  'kinesis:ListStreams',
  'kinesis:DescribeStreamSummary',
  'kinesis:ListShards',
  'kinesis:GetShardIterator',
  'kinesis:GetRecords',
] as const;

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
  const streams = ['lp.orders', 'lp-events'];

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
    roles.set(
      'all',
      (
        await createAssumableRole(moto.endpoint, {
          roleName: 'om-reader',
          region: TEST_REGION,
          policy: policyOf(DOCUMENTED_ACTIONS),
        })
      ).roleArn,
    );
    for (const missing of DOCUMENTED_ACTIONS) {
      const roleName = `om-reader-without-${missing.split(':')[1] ?? ''}`;
      const policy = policyOf(DOCUMENTED_ACTIONS.filter((a) => a !== missing));
      roles.set(
        missing,
        (await createAssumableRole(moto.endpoint, { roleName, region: TEST_REGION, policy })).roleArn,
      );
    }
    const fixture = new KinesisFixture({
      endpoint: moto.endpoint,
      region: TEST_REGION,
      ...MOTO_SETUP_CREDENTIALS,
    });
    await fixture.createStreams(streams, 1);
    await fixture.putRecords('lp.orders', ['{"id":1}', '{"id":2}']);
    fixture.close();
    // From here on moto enforces IAM policies on every request.
    const enforced = await fetch(`${moto.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    expect(enforced.ok, 'moto IAM enforcement on').to.equal(true);
    worker = await startTestWorker({
      env: { LP_SECRET: user.secretAccessKey, LP_WRONG: 'not-the-secret', LP_NOBODY: nobody.secretAccessKey },
      aws: { stsEndpoint: moto.endpoint },
    });
  });
  after(async () => {
    await worker?.stop();
    await moto?.stop();
  });

  async function configFor(
    role: string | undefined,
    secret = '${LP_SECRET}',
    accessKeyId = user.accessKeyId,
  ) {
    const om = await getOpenMetadata();
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

  it('the documented policy is enough: topics and sample data arrive', async () => {
    const { summary } = await runIngestion(worker, await configFor(roles.get('all')));
    expect(summary).to.include({ created: 2, failed: 0, sampleMessages: 2, warningCount: 0 });
  });

  for (const missing of ['kinesis:ListStreams', 'kinesis:DescribeStreamSummary'] as const) {
    it(`without ${missing} the run fails fast, naming the permission`, async () => {
      const failure = await failureOf(await configFor(roles.get(missing)));
      expect(failure.message).to.include(`needs the IAM permission ${missing}`);
      expect(failure.elapsedMs).to.be.below(20_000);
    });
  }

  // Sampling alone lists shards (a topic's partitions come from DescribeStreamSummary).
  for (const missing of ['kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:GetRecords'] as const) {
    it(`without ${missing} topics still arrive; sampling degrades with a warning naming it`, async () => {
      const { summary } = await runIngestion(worker, await configFor(roles.get(missing)));
      expect(summary).to.include({ created: 2, failed: 0, sampleMessages: 0 });
      expect(summary.warnings.map((w) => w.message).join('\n')).to.include(
        `needs the IAM permission ${missing}`,
      );
    });
  }

  it('AssumeRole denied ends the run at once, naming sts:AssumeRole', async () => {
    const failure = await failureOf(await configFor(roles.get('all'), '${LP_NOBODY}', nobody.accessKeyId));
    // The AWS checks run at once: whichever is denied first names the cause.
    expect(failure.message).to.match(/^(verifyAwsIdentity|checkKinesis): AWS denied sts:AssumeRole /);
    expect(failure.message).to.include('needs the IAM permission sts:AssumeRole');
    expect(failure.elapsedMs).to.be.below(20_000);
  });

  it('a wrong AWS secret ends the run at once, saying to check the credentials', async () => {
    const failure = await failureOf(await configFor(roles.get('all'), '${LP_WRONG}'));
    // The AWS checks run at once: whichever is refused first names the cause.
    expect(failure.message).to.match(/^(verifyAwsIdentity|checkKinesis): AWS refused the credentials/);
    expect(failure.message).to.include('awsSecretAccessKey');
    expect(failure.message).to.not.include('not-the-secret');
    expect(failure.elapsedMs).to.be.below(20_000);
  });
});
