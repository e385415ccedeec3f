import { expect } from 'chai';
import { INGESTION_WORKFLOW_TYPE, ingestionWorkflowId } from '../common/run-input.js';
import { startFaultProxy } from '../devstack/fault-proxy.js';
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

/** 1.3, a mid 1.x and the current 2.0: each has its own test server impersonating it. */
const VERSIONS = ['1.3.4', '1.6.13', '2.0.7'] as const;

describe('OpenMetadata 1.3 to 2.0, end to end', function () {
  this.timeout(180_000);

  let worker: RunningWorker;
  let kinesis: { fixture: KinesisFixture; accessKeyId: string; endpoint: string };
  const servers: OpenMetadataTestServer[] = [];

  before(async () => {
    kinesis = await isolatedKinesis();
    worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: 'versions-secret' } });
    await kinesis.fixture.createStreams(['keep-a', 'keep_tmp-b', 'other', 'retired'], 1);
    await kinesis.fixture.putRecords('keep-a', ['one', 'two']);
  });

  after(async () => {
    await worker?.stop();
    kinesis?.fixture.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  async function serve(version: string): Promise<OpenMetadataTestServer> {
    const server = await startOpenMetadataTestServer({ version });
    servers.push(server);
    return server;
  }

  function configFor(
    om: OpenMetadataTestServer,
    serviceName: string,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      ...testConfigDocument({
        serviceName,
        accessKeyId: kinesis.accessKeyId,
        kinesisEndpoint: kinesis.endpoint,
        openMetadataUrl: om.url,
        generateSampleData: true,
        filter: { includes: ['keep', 'retired'], excludes: ['keep_tmp'] },
      }),
      ingestionPipelineFQN: `${serviceName}.kinesis_metadata`,
      ...extra,
    };
  }

  for (const version of VERSIONS) {
    it(`ingests against ${version}, in its dialect, and reports each run to its ingestion pipeline`, async () => {
      const om = await serve(version);
      const serviceName = uniqueName(`v${version.replaceAll('.', '_')}`);
      const pipelineFqn = `${serviceName}.kinesis_metadata`;
      const config = configFor(om, serviceName);
      const fromOneFive = version !== '1.3.4';

      const first = await runIngestion(worker, config);

      // Up to 1.4 includes win; from 1.5 a name must also match no exclude.
      const kept = fromOneFive ? ['keep-a', 'retired'] : ['keep-a', 'keep_tmp-b', 'retired'];
      expect(first.summary).to.include({ created: kept.length, failed: 0 });
      expect(first.summary.warnings, 'only the note on excludes beside includes').to.have.length(1);
      expect(first.summary.warnings[0]?.message).to.match(
        /topicFilterPattern\.excludes: Ignored by OpenMetadata up to 1\.4/,
      );
      const topicsOf = () =>
        om
          .topics()
          .filter((topic) => topic.service.name === serviceName && !topic.deleted)
          .map((topic) => topic.name)
          .sort();
      expect(topicsOf()).to.deep.equal(kept);
      expect(om.topicByFqn(`${serviceName}.keep-a`)?.sampleData?.messages).to.deep.equal(['one', 'two']);

      const [pipeline] = om.ingestionPipelines().filter((p) => p.fullyQualifiedName === pipelineFqn);
      expect(pipeline?.description).to.include(`Temporal workflow om-kinesis-${serviceName}`);
      const [status] = om.pipelineStatuses(pipelineFqn);
      expect(status).to.include({
        runId: first.handle.firstExecutionRunId,
        pipelineState: 'success',
        startDate: Date.parse(first.summary.startedAt),
        timestamp: Date.parse(first.summary.startedAt),
        endDate: Date.parse(first.summary.finishedAt),
      });
      expect(status?.status).to.deep.equal([
        {
          name: 'Kinesis',
          records: kept.length,
          updated_records: 0,
          warnings: 0,
          errors: 0,
          filtered: 4 - kept.length,
          failures: [],
        },
        {
          name: 'OpenMetadata',
          records: kept.length,
          updated_records: 0,
          warnings: 0,
          errors: 0,
          filtered: 0,
          failures: [],
        },
      ]);

      await kinesis.fixture.deleteStream('retired');
      om.clearRequests();
      const second = await runIngestion(worker, config);
      await kinesis.fixture.createStreams(['retired'], 1);

      expect(second.summary).to.include({ unchanged: kept.length - 1, deleted: 1, failed: 0 });
      const writes = om.requests
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '{id}')}`);
      expect(writes).to.deep.equal([
        `PUT /api/v1/services/ingestionPipelines/${pipelineFqn}/pipelineStatus`,
        version === '2.0.7' ? 'DELETE /api/v1/topics/deleteStale' : 'DELETE /api/v1/topics/{id}',
        `PUT /api/v1/services/ingestionPipelines/${pipelineFqn}/pipelineStatus`,
      ]);
      expect(topicsOf()).to.deep.equal(kept.filter((name) => name !== 'retired'));
      expect(om.pipelineStatuses(pipelineFqn).map((s) => [s.runId, s.pipelineState])).to.deep.equal([
        [first.handle.firstExecutionRunId, 'success'],
        [second.handle.firstExecutionRunId, 'success'],
      ]);
    });
  }

  it('falls back to one DELETE per topic when 2.0 answers its stale delete with 404', async () => {
    const om = await serve('2.0.7');
    const serviceName = uniqueName('fallback');
    const config = configFor(om, serviceName, { ingestionPipelineFQN: undefined });
    await runIngestion(worker, config);
    await kinesis.fixture.deleteStream('retired');
    om.setFaultInjector(({ method, path }) =>
      method === 'DELETE' && path === '/api/v1/topics/deleteStale'
        ? { status: 404, message: 'HTTP 404 Not Found' }
        : undefined,
    );
    try {
      const { summary } = await runIngestion(worker, config);
      expect(summary).to.include({ deleted: 1, failed: 0 });
      expect(om.topicByFqn(`${serviceName}.retired`)?.deleted).to.equal(true);
      expect(
        om.requests.filter((r) => r.path === '/api/v1/topics/deleteStale').map((r) => r.status),
        'tried first',
      ).to.deep.equal([404]);
      expect(
        om.requests.some((r) => r.method === 'DELETE' && /^\/api\/v1\/topics\/[0-9a-f-]{36}$/.test(r.path)),
      ).to.equal(true);
    } finally {
      om.setFaultInjector(undefined);
      await kinesis.fixture.createStreams(['retired'], 1);
    }
  });

  it('refuses a server outside 1.3 to 2.0, or warns when version validation is off', async () => {
    const om = await serve('2.1.0');
    const serviceName = uniqueName('too_new');
    const refused = await runIngestion(
      worker,
      configFor(om, serviceName, { ingestionPipelineFQN: undefined }),
    ).then(
      () => undefined,
      (error: { cause?: { message?: string } }) => error.cause?.message,
    );
    expect(refused).to.equal(
      'checkOpenMetadata: OpenMetadata server version 2.1.0 is not supported (this tool supports 1.3 to 2.0): upgrade the server, or set workflowConfig.openMetadataServerConfig.enableVersionValidation: false to try anyway',
    );

    const config = configFor(om, serviceName, { ingestionPipelineFQN: undefined });
    (
      config.workflowConfig as { openMetadataServerConfig: Record<string, unknown> }
    ).openMetadataServerConfig.enableVersionValidation = false;
    const { summary } = await runIngestion(worker, config);
    expect(summary).to.include({ created: 2, failed: 0 });
    expect(summary.warnings).to.deep.include({
      step: 'prepare',
      message:
        "OpenMetadata server version 2.1.0 is outside the supported 1.3 to 2.0; enableVersionValidation is false, so the run goes on speaking 2.0's API",
    });
  });

  it('reports a cancelled run as stopped on 2.0 (failed before 1.13)', async () => {
    for (const [version, state] of [
      ['2.0.7', 'stopped'],
      ['1.6.13', 'failed'],
    ] as const) {
      const om = await serve(version);
      // Slow topic writes keep the run busy while it is cancelled.
      const proxy = await startFaultProxy({
        target: om.url.replace(/\/api$/, ''),
        latencyMs: (request) => (request.method === 'PUT' && request.path === '/api/v1/topics' ? 2_000 : 0),
      });
      try {
        const serviceName = uniqueName('cancelled');
        const config = configFor(om, serviceName);
        const server = (config.workflowConfig as { openMetadataServerConfig: Record<string, unknown> })
          .openMetadataServerConfig;
        server.hostPort = `${proxy.endpoint}/api`;
        const handle = await worker.client.workflow.start(INGESTION_WORKFLOW_TYPE, {
          taskQueue: worker.taskQueue,
          workflowId: ingestionWorkflowId(serviceName),
          args: [{ config }],
        });
        const pipelineFqn = `${serviceName}.kinesis_metadata`;
        const deadline = Date.now() + 30_000;
        while (om.pipelineStatuses(pipelineFqn).length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await handle.cancel();
        await handle.result().catch(() => undefined);
        expect(
          om.pipelineStatuses(pipelineFqn).map((s) => s.pipelineState),
          version,
        ).to.deep.equal([state]);
      } finally {
        await proxy.close();
      }
    }
  });

  it('reports a failed run as failed, and a report that cannot be made as a warning only', async () => {
    const om = await serve('1.6.13');
    const serviceName = uniqueName('fails');
    om.setForbiddenPaths([/^PUT \/api\/v1\/topics$/]);
    const failure = await runIngestion(worker, configFor(om, serviceName)).then(
      () => undefined,
      (error: { cause?: { message?: string } }) => error.cause?.message,
    );
    om.setForbiddenPaths([]);
    expect(failure).to.match(/^upsertTopic: OpenMetadata forbade PUT topics \(403\)/);
    const [status] = om.pipelineStatuses(`${serviceName}.kinesis_metadata`);
    expect(status?.pipelineState).to.equal('failed');
    expect(status?.status?.at(-1)).to.deep.include({ name: 'Run', errors: 1 });

    const elsewhere = configFor(om, serviceName, { ingestionPipelineFQN: 'another_service.pipeline' });
    const { summary } = await runIngestion(worker, elsewhere);
    expect(summary).to.include({ failed: 0 });
    expect(summary.warnings.map((w) => w.step)).to.deep.equal([
      'prepare',
      'pipelineStatus',
      'pipelineStatus',
    ]);
    expect(summary.warnings[1]?.message).to.match(
      /^the run's status could not be reported to ingestion pipeline another_service\.pipeline: ingestionPipelineFQN another_service\.pipeline names no pipeline of service /,
    );
  });
});
