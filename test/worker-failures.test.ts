import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { INGESTION_WORKFLOW_TYPE, ingestionWorkflowId } from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { isProcessAlive } from '../client/local-temporal/processes.js';
import { getTemporal } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  testConfigDocument,
  uniqueName,
} from './support/ingestion-harness.js';
import { startWorkerProcess } from './support/worker-process.js';

const STREAMS = 200;

/** An `om-kinesis worker` process, as operators run it. */
function startWorker(address: string, taskQueue: string): ChildProcess {
  return startWorkerProcess(address, taskQueue, {
    args: ['--log-level', 'ERROR'],
    env: { TEST_AWS_SECRET_ACCESS_KEY: 'worker-secret' },
  }).child;
}

async function until(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('worker processes dying mid-run', function () {
  this.timeout(240_000);
  const workers: ChildProcess[] = [];
  let client: Client;
  let connection: Connection;
  let address: string;

  before(async () => {
    address = (await getTemporal()).address;
    connection = await Connection.connect({ address });
    client = new Client({ connection });
  });
  afterEach(() => {
    for (const worker of workers.splice(0))
      if (worker.pid && isProcessAlive(worker.pid)) worker.kill('SIGKILL');
  });
  after(() => connection?.close());

  async function runWithWorkerKilled(workerCount: number, replaceKilled: boolean) {
    const om = await getOpenMetadata();
    const kinesis = await isolatedKinesis();
    const names = Array.from({ length: STREAMS }, (_, i) => `kill.${String(i).padStart(3, '0')}`);
    await kinesis.fixture.createStreams(names, 1, { concurrency: 16 });
    kinesis.fixture.close();
    const serviceName = uniqueName('killed');
    const taskQueue = uniqueName('tq');
    for (let i = 0; i < workerCount; i++) workers.push(startWorker(address, taskQueue));
    const config = testConfigDocument({
      serviceName,
      accessKeyId: kinesis.accessKeyId,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: om.url,
    });
    const handle = await client.workflow.start(INGESTION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: ingestionWorkflowId(serviceName),
      args: [{ config, options: { batchSize: 50, streamConcurrency: 5 } }],
    });
    const topicsOf = () => om.topics().filter((t) => t.service.name === serviceName);
    await until(() => topicsOf().length >= 40, '40 topics were written');
    const victim = workers[0] as ChildProcess;
    victim.kill('SIGKILL');
    await until(() => !isProcessAlive(victim.pid ?? 0), 'the killed worker is gone', 10_000);
    const writtenAtKill = topicsOf().length;
    expect(writtenAtKill, 'killed mid-run').to.be.below(STREAMS);
    if (replaceKilled) workers.push(startWorker(address, taskQueue));

    const summary = (await handle.result()) as IngestionSummary;

    expect(summary).to.include({ streamsSeen: STREAMS, failed: 0 });
    // A stream whose activities ran on the killed worker may be described or written again:
    // the upsert absorbs that (the topic exists and is unchanged, or the same PUT is repeated).
    expect(summary.created + summary.unchanged).to.equal(STREAMS);
    const topics = topicsOf();
    expect(topics.map((t) => t.name).sort()).to.deep.equal(names);
    for (const topic of topics) expect(topic.version, `${topic.name} written once`).to.equal(0.1);
    return { writtenAtKill, summary };
  }

  it(`SIGKILL of the only worker during a run of ${STREAMS} streams: a new worker process completes it`, async () => {
    await runWithWorkerKilled(1, true);
  });

  it('two workers on one task queue, one SIGKILLed: the other finishes the run', async () => {
    await runWithWorkerKilled(2, false);
  });
});
