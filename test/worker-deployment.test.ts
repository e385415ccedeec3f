// Upgrading workers with Temporal Worker Deployments, the procedure of docs/operations.md
// ("Upgrading workers") on the dev server: `om-kinesis worker --deployment-name D --build-id
// B` processes and the Temporal CLI's `worker deployment` commands. A run in flight when a new
// build becomes current finishes on the build it started on; runs started after go to the new
// build.
import { expect } from 'chai';
import { hostname } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { resolveTemporalCli } from '../client/local-temporal/temporal-cli.js';
import { INGESTION_WORKFLOW_TYPE, ingestionWorkflowId } from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { startFaultProxy, type FaultProxy } from '../devstack/fault-proxy.js';
import { eventually } from './support/eventually.js';
import { runCommand, runOmKinesis } from './support/cli-runner.js';
import { getTemporal } from './support/global-stack.js';
import { identitiesThatRan, runHistories } from './support/history.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  testConfigDocument,
  uniqueName,
} from './support/ingestion-harness.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

describe('worker deployment versioning (--deployment-name / --build-id)', function () {
  this.timeout(180_000);
  const deployment = uniqueName('om-kinesis');
  const taskQueue = uniqueName('tq');
  const workers: WorkerProcess[] = [];
  let address: string;
  let connection: Connection;
  let client: Client;
  let openMetadata: FaultProxy;
  let releaseTopicWrites: () => void = () => undefined;
  let heldTopicWrites = 0;
  let configFor: (serviceName: string, openMetadataUrl?: string) => Record<string, unknown>;

  /** `temporal worker deployment ...` against the test server; resolves with its output. */
  async function deploymentCommand(args: string[]): Promise<string> {
    const result = await runCommand(
      resolveTemporalCli().path,
      ['worker', 'deployment', ...args, '--address', address],
      process.env,
      30_000,
    );
    if (result.code !== 0) throw new Error(`temporal worker deployment ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  /** Starts a worker of `buildId` and makes it the deployment's current version, as the docs do. */
  async function deployBuild(buildId: string): Promise<WorkerProcess> {
    const worker = startWorkerProcess(address, taskQueue, {
      args: [
        '--deployment-name',
        deployment,
        '--build-id',
        buildId,
        '--no-quota-pacing',
        '--log-level',
        'ERROR',
      ],
      env: { TEST_AWS_SECRET_ACCESS_KEY: 'deployment-secret' },
    });
    workers.push(worker);
    await worker.printed(`deployment ${deployment}, build ${buildId} (runs pinned to their build)`);
    const version = ['--deployment-name', deployment, '--build-id', buildId];
    // The version exists once its workers have polled: both task queues are in it.
    const described = await eventually(async () => {
      const output = await deploymentCommand(['describe-version', ...version, '--output', 'json']);
      if (!output.includes(`${taskQueue}-describe`)) throw new Error(`not yet: ${output}`);
      return output;
    });
    expect(described).to.include(`"${taskQueue}"`);
    await deploymentCommand(['set-current-version', ...version, '--yes']);
    return worker;
  }

  before(async () => {
    address = (await getTemporal()).address;
    connection = await Connection.connect({ address });
    client = new Client({ connection });
    const [om, kinesis] = await Promise.all([getOpenMetadata(), isolatedKinesis()]);
    await kinesis.fixture.createStreams(['dep.orders', 'dep.clicks'], 1);
    kinesis.fixture.close();
    // OpenMetadata behind a proxy that can hold topic writes: a run waits there, in flight.
    let held = true;
    const waiting: Array<() => void> = [];
    releaseTopicWrites = () => {
      held = false;
      for (const release of waiting.splice(0)) release();
    };
    openMetadata = await startFaultProxy({
      target: om.url,
      hold: (request) => {
        if (!held || request.api !== 'PUT /api/v1/topics') return undefined;
        heldTopicWrites += 1;
        return new Promise((resolve) => waiting.push(resolve));
      },
    });
    configFor = (serviceName, openMetadataUrl = om.url) =>
      testConfigDocument({
        serviceName,
        accessKeyId: kinesis.accessKeyId,
        kinesisEndpoint: kinesis.endpoint,
        openMetadataUrl,
      });
  });

  after(async () => {
    releaseTopicWrites();
    for (const worker of workers) await worker.stop();
    await openMetadata?.close();
    await connection?.close();
  });

  it('a run in flight finishes on its build after a new build becomes current; new runs go to the new build', async () => {
    const first = await deployBuild('1.0.0');
    const inFlight = uniqueName('in_flight');
    const inFlightRun = await client.workflow.start(INGESTION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: ingestionWorkflowId(inFlight),
      args: [{ config: configFor(inFlight, `${openMetadata.endpoint}/api`) }],
    });
    await eventually(() =>
      heldTopicWrites > 0
        ? Promise.resolve()
        : Promise.reject(new Error('the first run has not reached its topic writes yet')),
    );

    const second = await deployBuild('1.1.0');
    const after = uniqueName('after_upgrade');
    const afterRun = await client.workflow.start(INGESTION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: ingestionWorkflowId(after),
      args: [{ config: configFor(after) }],
    });
    expect(((await afterRun.result()) as IngestionSummary).created).to.equal(2);
    releaseTopicWrites();
    expect(((await inFlightRun.result()) as IngestionSummary).created).to.equal(2);

    // Each run, and the batch it started, on one version: its own.
    const versionsOf = async (workflowId: string) => {
      const versions = new Set<unknown>();
      for (const { workflowId: id } of await runHistories(client, workflowId)) {
        const { searchAttributes } = await client.workflow.getHandle(id).describe();
        versions.add(searchAttributes.TemporalWorkerDeploymentVersion?.[0]);
        expect(searchAttributes.TemporalWorkflowVersioningBehavior, id).to.deep.equal(['Pinned']);
      }
      return [...versions];
    };
    expect(await versionsOf(ingestionWorkflowId(inFlight))).to.deep.equal([`${deployment}:1.0.0`]);
    expect(await versionsOf(ingestionWorkflowId(after))).to.deep.equal([`${deployment}:1.1.0`]);
    // ...and its activities ran on that version's worker process: describes (their own task
    // queue) included, and the sweep, which the in-flight run scheduled after the upgrade.
    const identity = (worker: WorkerProcess) => `${worker.child.pid}@${hostname()}`;
    for (const activity of ['describeStream', 'upsertTopic', 'sweepStaleTopics']) {
      const ranInFlight = await identitiesThatRan(client, ingestionWorkflowId(inFlight), activity);
      const ranAfter = await identitiesThatRan(client, ingestionWorkflowId(after), activity);
      expect([...ranInFlight], activity).to.deep.equal([identity(first)]);
      expect([...ranAfter], activity).to.deep.equal([identity(second)]);
    }
  });
});

describe('om-kinesis worker --build-id without --deployment-name', () => {
  it('is refused, saying what it needs, before connecting anywhere', async () => {
    const result = await runOmKinesis(['worker', '--address', '127.0.0.1:1', '--build-id', '2.0.0']);
    expect(result.code).to.equal(2);
    expect(result.stderr.trim()).to.equal(
      'om-kinesis worker: --build-id needs --deployment-name (a build belongs to a Worker Deployment, e.g. --deployment-name om-kinesis)',
    );
  });
});
