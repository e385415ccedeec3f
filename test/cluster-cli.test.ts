// The CLI against a Temporal cluster set up the way users first have one: a plain
// `temporal server start-dev` (no search attributes), workers that may not be there, an address
// that may be wrong. Every answer names the problem; no command ends with a stack trace.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { ingestionWorkflowId } from '../common/run-input.js';
import { errorText } from '../client/error-text.js';
import { isUnknownSearchAttribute } from '../client/search-attribute-fallback.js';
import { getFreePort } from '../client/local-temporal/free-port.js';
import {
  startTemporalDevServer,
  type TemporalDevServer,
} from '../client/local-temporal/temporal-dev-server.js';
import { runOmKinesis, startOmKinesis, type CommandResult } from './support/cli-runner.js';
import { TEST_LOG_DIR } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  startTestWorker,
  uniqueName,
  writeTestConfig,
} from './support/ingestion-harness.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-cluster-cli-test-'));
const env = { CLUSTER_CLI_TEST_SECRET: 'x' };

function noStackTrace(result: { stdout: string; stderr: string }): void {
  expect(result.stdout + result.stderr, 'no stack trace').to.not.match(/\n\s+at |Channel has been shut down/);
}

describe('the CLI on a plain Temporal dev server (no search attributes)', function () {
  this.timeout(180_000);
  let plain: TemporalDevServer;
  let connection: Connection;
  let client: Client;

  before(async () => {
    plain = await startTemporalDevServer({ logDir: TEST_LOG_DIR });
    connection = await Connection.connect({ address: plain.address });
    client = new Client({ connection });
  });
  after(async () => {
    await connection?.close();
    await plain?.stop();
  });

  async function service(streams: string[]): Promise<{ serviceName: string; configFile: string }> {
    const om = await getOpenMetadata();
    const { fixture, accessKeyId, endpoint } = await isolatedKinesis();
    if (streams.length > 0) await fixture.createStreams(streams, 1);
    fixture.close();
    const serviceName = uniqueName('plain');
    const configFile = writeTestConfig(scratch, {
      serviceName,
      accessKeyId,
      secretAccessKey: '${CLUSTER_CLI_TEST_SECRET}',
      kinesisEndpoint: endpoint,
      openMetadataUrl: om.url,
    });
    return { serviceName, configFile };
  }

  it('ingest --address: says once that the search attributes are missing and how to register them, runs, exit 0', async () => {
    const { configFile } = await service(['plain.one', 'plain.two']);
    const worker = await startTestWorker({ env }, { address: plain.address });
    try {
      const result = await runOmKinesis(
        ['ingest', '-c', configFile, '--address', plain.address, '--task-queue', worker.taskQueue],
        env,
      );
      expect(result.code, result.stderr).to.equal(0);
      // Said once, by the run itself (its summary), with the one command that registers them all.
      const output = result.stdout + result.stderr;
      const warnings = output.match(/lacks the search attributes OmKinesisService \(Keyword\)/g);
      expect(warnings, output).to.have.length(1);
      expect(output).to.include(
        'temporal operator search-attribute create --namespace default --name OmKinesisService --type Keyword',
      );
      expect(result.stdout).to.include('Topics: 2 created');
      noStackTrace(result);
    } finally {
      await worker.stop();
    }
  });

  it("an error of the server reads with the server's own reason, not only the SDK's sentence", async () => {
    const error = await client.workflow
      .start('kinesisMetadataIngestion', {
        taskQueue: 'nobody',
        workflowId: uniqueName('with-attributes'),
        typedSearchAttributes: new TypedSearchAttributes([
          { key: defineSearchAttributeKey('OmKinesisService', SearchAttributeType.KEYWORD), value: 'svc' },
        ]),
      })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.equal('Failed to start Workflow');
    expect(errorText(error)).to.equal(
      'Failed to start Workflow: Namespace default has no mapping defined for search attribute OmKinesisService (INVALID_ARGUMENT)',
    );
    expect(isUnknownSearchAttribute(error)).to.equal(true);
  });

  it('ingest with no worker on the task queue: says so within 10 s, naming the queue and `om-kinesis worker`', async () => {
    const { serviceName, configFile } = await service([]);
    const taskQueue = uniqueName('nobody');
    const handle = client.workflow.getHandle(ingestionWorkflowId(serviceName));
    try {
      for (const extra of [[], ['--no-progress']]) {
        const cli = startOmKinesis(
          ['ingest', '-c', configFile, '--address', plain.address, '--task-queue', taskQueue, ...extra],
          env,
        );
        const started = Date.now();
        await cli.waitForStderr(/no worker polls task queue/, 10_000);
        expect(Date.now() - started).to.be.below(10_000);
        expect(cli.stderr()).to.include(
          `no worker polls task queue ${taskQueue}: the run waits until one does. Start one with: om-kinesis worker --address ${plain.address} --task-queue ${taskQueue}`,
        );
        cli.signal('SIGINT');
        const exit = await cli.exited;
        expect(exit.code, cli.stderr()).to.equal(130);
        await handle.terminate('next attempt').catch(() => undefined);
      }
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });

  it('status with no worker: --once says so at once (exit 1); following says so and stops on Ctrl-C (exit 130)', async () => {
    const { serviceName, configFile } = await service([]);
    const taskQueue = uniqueName('nobody');
    const handle = client.workflow.getHandle(ingestionWorkflowId(serviceName));
    try {
      const started = await runOmKinesis(
        ['ingest', '-c', configFile, '--address', plain.address, '--task-queue', taskQueue, '--no-wait'],
        env,
      );
      expect(started.code, started.stderr).to.equal(0);
      // Not waiting for the run's summary, the command itself says what the namespace lacks.
      expect(started.stderr).to.include(
        'temporal operator search-attribute create --namespace default --name OmKinesisService --type Keyword',
      );

      const begin = Date.now();
      const once = await runOmKinesis(['status', serviceName, '--once', '--address', plain.address]);
      expect(once.code).to.equal(1);
      expect(Date.now() - begin, 'without waiting for a query that cannot be answered').to.be.below(10_000);
      expect(once.stderr).to.include(`the run ${handle.workflowId} is in progress`);
      expect(once.stderr).to.include(`no worker polls task queue ${taskQueue}`);
      expect(once.stderr).to.include(
        `om-kinesis worker --address ${plain.address} --task-queue ${taskQueue}`,
      );
      noStackTrace(once);

      const follow = startOmKinesis(['status', serviceName, '--address', plain.address]);
      await follow.waitForStderr(/no worker polls task queue/, 10_000);
      follow.signal('SIGINT');
      const exit = await follow.exited;
      expect(exit.code, follow.stderr()).to.equal(130);
      expect(follow.stderr()).to.include(
        `interrupted: stopped following ${handle.workflowId}; the run goes on`,
      );
      noStackTrace({ stdout: follow.stdout(), stderr: follow.stderr() });
      expect((await handle.describe()).status.name).to.equal('RUNNING');
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });
});

describe('an unreachable Temporal cluster', function () {
  this.timeout(120_000);

  it('every cluster command names the address, where it came from, and why', async () => {
    const port = await getFreePort(); // nothing listens there
    const address = `127.0.0.1:${port}`;
    const configFile = writeTestConfig(scratch, {
      serviceName: 'unreachable',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: '${CLUSTER_CLI_TEST_SECRET}',
      kinesisEndpoint: 'http://127.0.0.1:1',
      openMetadataUrl: 'http://127.0.0.1:1/api',
    });
    const results: Array<[string, CommandResult, string]> = await Promise.all([
      runOmKinesis(['status', 'svc', '--address', address]).then(
        (r) => ['status', r, '--address'] as [string, CommandResult, string],
      ),
      runOmKinesis(['ingest', '-c', configFile], { ...env, TEMPORAL_ADDRESS: address }).then(
        (r) => ['ingest', r, 'TEMPORAL_ADDRESS'] as [string, CommandResult, string],
      ),
      runOmKinesis(['worker', '--address', address]).then(
        (r) => ['worker', r, '--address'] as [string, CommandResult, string],
      ),
      runOmKinesis(['schedule', 'list'], { TEMPORAL_ADDRESS: address }).then(
        (r) => ['schedule list', r, 'TEMPORAL_ADDRESS'] as [string, CommandResult, string],
      ),
    ]);
    for (const [command, result, source] of results) {
      expect(result.code, `${command}: ${result.stderr}`).to.equal(1);
      expect(result.stderr, command).to.include(
        `cannot reach the Temporal cluster at ${address} (from ${source}): connection refused`,
      );
      noStackTrace(result);
    }
  });
});
