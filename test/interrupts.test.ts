import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ingestionWorkflowId } from '../common/run-input.js';
import { isProcessAlive } from '../client/local-temporal/processes.js';
import { startFaultProxy, type FaultProxy } from '../devstack/fault-proxy.js';
import { runOmKinesis, startOmKinesis } from './support/cli-runner.js';
import { getTemporal } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  startTestWorker,
  uniqueName,
  writeTestConfig,
} from './support/ingestion-harness.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-interrupt-test-'));
const STREAMS = 12;

/**
 * A run that takes a while: STREAMS streams, one at a time, each topic write to OpenMetadata
 * slowed down by a proxy, so that Ctrl-C lands midway.
 */
async function slowRun(): Promise<{
  serviceName: string;
  configFile: string;
  topicsInOpenMetadata: () => number;
}> {
  const om = await getOpenMetadata();
  const { fixture, accessKeyId, endpoint } = await isolatedKinesis();
  await fixture.createStreams(
    Array.from({ length: STREAMS }, (_, i) => `interrupted.${String(i).padStart(2, '0')}`),
    1,
  );
  fixture.close();
  const proxy = await startFaultProxy({
    target: om.url.replace(/\/api$/, ''),
    latencyMs: (request) => (request.method === 'PUT' && request.path.includes('/topics') ? 700 : 0),
  });
  proxies.push(proxy);
  const serviceName = uniqueName('interrupted');
  const configFile = writeTestConfig(scratch, {
    serviceName,
    accessKeyId,
    secretAccessKey: '${INTERRUPT_TEST_SECRET}',
    kinesisEndpoint: endpoint,
    openMetadataUrl: `${proxy.endpoint}/api`,
    generateSampleData: false,
  });
  return {
    serviceName,
    configFile,
    topicsInOpenMetadata: () => om.topics().filter((topic) => topic.service.name === serviceName).length,
  };
}

const proxies: FaultProxy[] = [];
const env = { INTERRUPT_TEST_SECRET: 'x' };
const args = (configFile: string) => ['ingest', '-c', configFile, '--stream-concurrency', '1'];

describe('Ctrl-C', function () {
  this.timeout(180_000);
  after(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
  });

  it('local ingest: the first Ctrl-C cancels the run, stops the dev server, says what was written and exits 130', async () => {
    const run = await slowRun();
    const cli = startOmKinesis(args(run.configFile), env);
    const done = await cli.waitForStderr(/; ([1-9]\d*)\/\d+ streams done/);
    const devServers = cli.children();
    expect(devServers, 'the local Temporal dev server').to.have.length.greaterThan(0);

    const interruptedAt = Date.now();
    cli.signal('SIGINT');
    const exit = await cli.exited;

    expect(exit.code, cli.stderr()).to.equal(130);
    expect(exit.at - interruptedAt, 'seconds from Ctrl-C to exit').to.be.below(15_000);
    const line = /^interrupted: run cancelled, (\d+) topics written so far$/m.exec(cli.stderr());
    expect(line, cli.stderr()).to.not.equal(null);
    const written = Number(line?.[1]);
    expect(written).to.be.at.least(Number(done[1]));
    // A topic write in flight when the run was cancelled may still land (at most one: one stream at a time).
    expect(run.topicsInOpenMetadata()).to.be.within(written, written + 1);
    expect(written, 'interrupted midway').to.be.below(STREAMS);
    for (const pid of devServers) expect(isProcessAlive(pid), `process ${pid} stopped`).to.equal(false);
    // Nothing but the summary ever goes to stdout, and no stack trace anywhere.
    expect(cli.stdout()).to.equal('');
    expect(cli.stderr()).to.not.match(/\n\s+at |Channel has been shut down|WARN/);
  });

  it('local ingest: a second Ctrl-C exits at once, and leaves no dev server behind', async () => {
    const run = await slowRun();
    const cli = startOmKinesis(args(run.configFile), env);
    await cli.waitForStderr(/; [1-9]\d*\/\d+ streams done/);
    const devServers = cli.children();
    cli.signal('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const secondAt = Date.now();
    cli.signal('SIGINT');
    const exit = await cli.exited;
    expect(exit.code, `signal ${exit.signal}; stderr: ${cli.stderr().slice(-800)}`).to.equal(130);
    expect(exit.at - secondAt, 'ms from the second Ctrl-C to exit').to.be.below(2_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const pid of devServers) expect(isProcessAlive(pid), `process ${pid} stopped`).to.equal(false);
  });

  it('ingest on a cluster: Ctrl-C detaches, says how to follow the run, exits 130; the run goes on', async () => {
    const temporal = await getTemporal();
    const run = await slowRun();
    const worker = await startTestWorker({ env });
    const connection = await Connection.connect({ address: temporal.address });
    const handle = new Client({ connection }).workflow.getHandle(ingestionWorkflowId(run.serviceName));
    try {
      const cli = startOmKinesis([...args(run.configFile), '--task-queue', worker.taskQueue], {
        ...env,
        TEMPORAL_ADDRESS: temporal.address,
      });
      await cli.waitForStderr(/; [1-9]\d*\/\d+ streams done/);
      cli.signal('SIGINT');
      const exit = await cli.exited;

      expect(exit.code, cli.stderr()).to.equal(130);
      expect(cli.stderr()).to.include(
        `interrupted: the run continues on the cluster (workflow id ${handle.workflowId}); nothing was cancelled. Follow it with: om-kinesis status ${run.serviceName} --address ${temporal.address}`,
      );
      expect(cli.stdout()).to.equal('');
      expect((await handle.describe()).status.name).to.equal('RUNNING');

      // The command it printed follows the run to its end.
      const followed = await runOmKinesis(['status', run.serviceName, '--address', temporal.address]);
      expect(followed.code, followed.stderr).to.equal(0);
      expect(followed.stdout).to.include(`Topics: ${STREAMS} created`);
      expect(run.topicsInOpenMetadata()).to.equal(STREAMS);
    } finally {
      await handle.terminate('test over').catch(() => undefined);
      await connection.close();
      await worker.stop();
    }
  });

  it('worker: Ctrl-C or SIGTERM stops it cleanly, exit 0, nothing on stdout', async () => {
    const temporal = await getTemporal();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const worker = startOmKinesis(['worker', '--task-queue', uniqueName('stopped')], {
        TEMPORAL_ADDRESS: temporal.address,
      });
      await worker.waitForStderr(/om-kinesis worker polling task queues/);
      worker.signal(signal);
      const exit = await worker.exited;
      expect(exit.code, `${signal}: ${worker.stderr()}`).to.equal(0);
      expect(worker.stdout()).to.equal('');
    }
  });
});
