import { expect } from 'chai';
import type { KinesisFixture } from '../devstack/kinesis-fixture.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';
import type { OpenMetadataTestServer } from './support/global-stack.js';

const SECRET = 'service-test-secret-8d2e41';

describe('the messaging service, as OpenMetadata users expect it', function () {
  this.timeout(120_000);

  let worker: RunningWorker;
  let om: OpenMetadataTestServer;
  let kinesis: { fixture: KinesisFixture; accessKeyId: string; endpoint: string };

  before(async () => {
    [om, kinesis] = await Promise.all([getOpenMetadata(), isolatedKinesis()]);
    worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: SECRET } });
    await kinesis.fixture.createStreams(['clicks', 'orders'], 1);
  });

  after(async () => {
    await worker?.stop();
    kinesis?.fixture.close();
  });

  const configFor = (serviceName: string, server: Record<string, unknown> = {}) => {
    const config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: om.url,
    });
    const workflowConfig = config.workflowConfig as { openMetadataServerConfig: Record<string, unknown> };
    Object.assign(workflowConfig.openMetadataServerConfig, server);
    return config;
  };
  const serviceWrites = (serviceName: string) =>
    om.requests.filter(
      (r) =>
        r.method !== 'GET' &&
        r.path.startsWith('/api/v1/services/messagingServices') &&
        JSON.stringify(r.body ?? '').includes(serviceName),
    );

  it('leaves a service an admin configured, stored credentials included, byte for byte', async () => {
    const serviceName = uniqueName('admin_svc');
    const created = await fetch(`${om.url}/v1/services/messagingServices`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: serviceName,
        serviceType: 'Kinesis',
        description: 'Configured in the UI',
        connection: {
          config: {
            type: 'Kinesis',
            awsConfig: {
              awsAccessKeyId: 'AKIAADMINSTORED',
              awsSecretAccessKey: 'admin-stored-secret',
              awsRegion: 'eu-west-1',
              assumeRoleArn: 'arn:aws:iam::123456789012:role/catalog',
              assumeRoleSessionName: 'ui-session',
            },
          },
        },
      }),
    });
    expect(created.status).to.equal(201);
    const before = JSON.stringify(om.messagingServices().find((s) => s.name === serviceName));

    for (let run = 0; run < 3; run += 1) {
      const { summary } = await runIngestion(worker, configFor(serviceName));
      expect(summary).to.include({ failed: 0, serviceWritten: false });
    }

    expect(JSON.stringify(om.messagingServices().find((s) => s.name === serviceName))).to.equal(before);
    expect(
      serviceWrites(serviceName).map((r) => r.method),
      'only the admin’s own create',
    ).to.deep.equal(['POST']);
    expect(om.topicByFqn(`${serviceName}.orders`)?.deleted).to.equal(false);
  });

  it('creates a missing service without any connection when storeServiceConnection is false', async () => {
    const serviceName = uniqueName('no_conn_svc');
    const { summary } = await runIngestion(worker, configFor(serviceName, { storeServiceConnection: false }));
    expect(summary).to.include({ created: 2, serviceWritten: true });
    expect(serviceWrites(serviceName).map((r) => [r.method, r.body])).to.deep.equal([
      ['POST', { name: serviceName, serviceType: 'Kinesis' }],
    ]);
    const stored = om.messagingServices().find((s) => s.name === serviceName);
    expect(stored).to.not.have.property('connection');
    expect(JSON.stringify(om.requests), 'the secret went nowhere').to.not.include(SECRET);
  });

  it('in a dry run, says what service it would create and with which connection keys', async () => {
    const serviceName = uniqueName('dry_svc');
    const { summary } = await runIngestion(worker, configFor(serviceName), { dryRun: true });
    expect(summary.plannedWrites[0]).to.equal(
      `create messaging service ${serviceName} with its connection (type, awsConfig.awsAccessKeyId, awsConfig.awsSecretAccessKey, awsConfig.awsRegion, awsConfig.endPointURL)`,
    );
    expect(serviceWrites(serviceName)).to.deep.equal([]);
    expect(om.messagingServices().some((s) => s.name === serviceName)).to.equal(false);
  });
});
