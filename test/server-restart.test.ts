import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { INGESTION_WORKFLOW_TYPE, ingestionWorkflowId } from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import {
  startTemporalDevServer,
  type TemporalDevServer,
} from '../client/local-temporal/temporal-dev-server.js';
import { TEST_LOG_DIR } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

const STREAMS = 150;

describe('the Temporal server restarting mid-run', function () {
  this.timeout(240_000);
  let server: TemporalDevServer | undefined;
  let worker: RunningWorker | undefined;

  after(async () => {
    await worker?.stop().catch(() => undefined);
    await server?.stop();
  });

  it(`a run of ${STREAMS} streams survives a restart of the server on its persistent db file`, async () => {
    const dbFilename = path.join(mkdtempSync(path.join(tmpdir(), 'om-kinesis-restart-')), 'temporal.db');
    const options = {
      logDir: TEST_LOG_DIR,
      dbFilename,
      searchAttributes: { OmKinesisService: 'Keyword', OmKinesisConnector: 'Keyword' },
    } as const;
    server = await startTemporalDevServer(options);
    const port = server.port;
    const om = await getOpenMetadata();
    const kinesis = await isolatedKinesis();
    const names = Array.from({ length: STREAMS }, (_, i) => `restart.${String(i).padStart(3, '0')}`);
    await kinesis.fixture.createStreams(names, 1, { concurrency: 16 });
    kinesis.fixture.close();
    worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: 'x' } }, { address: server.address });
    const serviceName = uniqueName('restart');
    const config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: om.url,
    });
    await worker.client.workflow.start(INGESTION_WORKFLOW_TYPE, {
      taskQueue: worker.taskQueue,
      workflowId: ingestionWorkflowId(serviceName),
      args: [{ config, options: { batchSize: 50, streamConcurrency: 5 } }],
    });
    const topicsOf = () => om.topics().filter((t) => t.service.name === serviceName);
    const deadline = Date.now() + 90_000;
    while (topicsOf().length < 30 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(topicsOf().length, 'the run got going before the restart').to.be.at.least(30);

    await server.stop();
    const writtenWhileDown = topicsOf().length;
    server = await startTemporalDevServer({ ...options, port });

    const connection = await Connection.connect({ address: server.address });
    try {
      const summary = (await new Client({ connection }).workflow
        .getHandle(ingestionWorkflowId(serviceName))
        .result()) as IngestionSummary;
      expect(writtenWhileDown, 'restarted mid-run').to.be.below(STREAMS);
      expect(summary).to.include({ streamsSeen: STREAMS, failed: 0 });
      expect(summary.created + summary.unchanged).to.equal(STREAMS);
      const topics = topicsOf();
      expect(topics.map((t) => t.name).sort()).to.deep.equal(names);
      for (const topic of topics) expect(topic.version, topic.name).to.equal(0.1);
    } finally {
      await connection.close();
    }
  });
});
