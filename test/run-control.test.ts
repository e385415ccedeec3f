import { expect } from 'chai';
import type { RunProgress } from '../common/progress.js';
import { ingestionWorkflowId, INGESTION_WORKFLOW_TYPE } from '../common/run-input.js';
import { progressQuery } from '../workflows/queries.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  runIngestion,
  startTestWorker,
  testConfigDocument,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

describe('one run per service, and the progress query', function () {
  this.timeout(120_000);
  let worker: RunningWorker;
  let config: Record<string, unknown>;
  let serviceName: string;

  before(async () => {
    const [om, kinesis] = await Promise.all([getOpenMetadata(), isolatedKinesis()]);
    await kinesis.fixture.createStreams(['one', 'two', 'three'], 1);
    kinesis.fixture.close();
    worker = await startTestWorker({ env: { TEST_AWS_SECRET_ACCESS_KEY: 'x' } });
    serviceName = uniqueName('locked');
    config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: om.url,
    });
  });
  after(() => worker?.stop());

  it('a run started under another id (as a Schedule does) runs under the service id', async () => {
    const { summary, handle } = await runIngestion(
      worker,
      config,
      {},
      `${serviceName}-scheduled-2026-01-01T00:00:00Z`,
    );
    expect(summary).to.include({ serviceName, created: 3, failed: 0 });
    const inner = worker.client.workflow.getHandle(ingestionWorkflowId(serviceName));
    expect((await inner.describe()).status.name).to.equal('COMPLETED');
    expect(await inner.result()).to.deep.equal(summary);
    expect(handle.workflowId).to.not.equal(ingestionWorkflowId(serviceName));

    const progress: RunProgress = await inner.query(progressQuery);
    expect(progress).to.deep.include({
      serviceName,
      phase: 'done',
      streamsSeen: 3,
      listed: 3,
      listingComplete: true,
      inFlightBatches: [],
    });
    expect(progress.finished).to.deep.equal({ created: 3, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
  });

  it('while a run of the service is in progress, another one does nothing and says so', async () => {
    // Parked on a task queue no worker polls: it stays in progress under the service id.
    const parked = await worker.client.workflow.start(INGESTION_WORKFLOW_TYPE, {
      taskQueue: uniqueName('nobody'),
      workflowId: ingestionWorkflowId(serviceName),
      args: [{ config }],
    });
    try {
      const { summary } = await runIngestion(
        worker,
        config,
        {},
        `${serviceName}-scheduled-2026-01-01T01:00:00Z`,
      );
      expect(summary.notRunReason).to.equal(
        `a run of service ${serviceName} is already in progress (workflow id ${ingestionWorkflowId(serviceName)}); this one did nothing`,
      );
      expect(summary).to.include({ created: 0, failed: 0 });
    } finally {
      await parked.terminate('test over');
    }
  });
});
