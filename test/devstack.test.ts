import { SEARCH_ATTRIBUTES } from '../common/search-attributes.js';
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Connection, WorkflowClient } from '@temporalio/client';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  DevStackConfigError,
  loadDevStackConfig,
  parseDevStackConfig,
} from '../devstack/dev-stack-config.js';
import { getFreePorts } from '../client/local-temporal/free-port.js';
import { KinesisFixture } from '../devstack/kinesis-fixture.js';
import { startKinesisLocal } from '../devstack/kinesis-local.js';
import { createAssumableRole, MOTO_SETUP_CREDENTIALS, startMotoServer } from '../devstack/moto-server.js';
import {
  isProcessAlive,
  ProcessNotReadyError,
  startProcess,
  waitUntilReady,
} from '../client/local-temporal/processes.js';
import {
  projectRoot,
  resolveTemporalCli,
  TemporalCliNotFoundError,
} from '../client/local-temporal/temporal-cli.js';
import { MotoServerNotFoundError, resolveMotoServer } from '../devstack/moto-cli.js';
import { startTemporalDevServer } from '../client/local-temporal/temporal-dev-server.js';
import { getKinesisLocal, getMoto, getTemporal, getTestStack, TEST_LOG_DIR } from './support/global-stack.js';

const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

describe('devstack', function () {
  let scratch: string;

  before(function () {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'om-kinesis-devstack-'));
  });

  after(function () {
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('free ports', function () {
    it('gives distinct loopback ports', async function () {
      const ports = await getFreePorts(3);
      expect(new Set(ports).size).to.equal(3);
      for (const port of ports) expect(port).to.be.within(1024, 65535);
    });
  });

  describe('processes', function () {
    const logDir = (): string => path.join(scratch, 'process-logs');

    it('stops a process with SIGTERM and it is gone afterwards', async function () {
      const proc = await startNode('sleeper', 'setInterval(() => {}, 1000)', logDir());
      expect(isProcessAlive(proc.pid)).to.equal(true);
      await proc.stop();
      expect(isProcessAlive(proc.pid)).to.equal(false);
      expect((await proc.exited).signal).to.equal('SIGTERM');
    });

    it('SIGKILLs a process that ignores SIGTERM after the grace period', async function () {
      const proc = await startNode(
        'stubborn',
        "process.on('SIGTERM', () => {}); console.log('armed'); setInterval(() => {}, 1000)",
        logDir(),
      );
      await waitUntilReady(proc, () => Promise.resolve(proc.logTail().includes('armed')), {
        what: 'stubborn',
        timeoutMs: 5_000,
        intervalMs: 20,
      });
      await proc.stop(300);
      expect((await proc.exited).signal).to.equal('SIGKILL');
      expect(isProcessAlive(proc.pid)).to.equal(false);
    });

    it('fails readiness with the command and the log tail when the process exits early', async function () {
      const proc = await startNode(
        'early-exit',
        "console.error('no config here'); process.exit(3)",
        logDir(),
      );
      const error = await waitUntilReady(proc, () => Promise.resolve(false), {
        what: 'early-exit',
        timeoutMs: 10_000,
      }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(ProcessNotReadyError);
      const { message, code } = error as ProcessNotReadyError;
      expect(code).to.equal('PROCESS_NOT_READY');
      expect(message).to.contain('early-exit exited (exit code 3) before it was ready');
      expect(message).to.contain(proc.commandLine);
      expect(message).to.contain('no config here');
    });

    it('fails readiness at the deadline, naming the last probe error', async function () {
      const proc = await startNode('never-ready', 'setInterval(() => {}, 1000)', logDir());
      try {
        const error = await waitUntilReady(proc, () => Promise.reject(new Error('connection refused')), {
          what: 'never-ready',
          timeoutMs: 300,
          intervalMs: 50,
        }).then(
          () => undefined,
          (caught: unknown) => caught as Error,
        );
        expect(error?.message).to.contain('never-ready was not ready after 300 ms');
        expect(error?.message).to.contain('Last readiness check failed with: connection refused');
      } finally {
        await proc.stop();
      }
    });

    for (const ending of ['an uncaught exception', 'SIGTERM', 'SIGINT'] as const) {
      it(`leaves no child behind when the parent ends by ${ending}`, async function () {
        const childPid = await runParentThatEnds(ending, path.join(scratch, `orphan-logs-${ending}`));
        await eventually(() => !isProcessAlive(childPid), 3_000);
      });
    }
  });

  describe('Temporal CLI and moto_server resolution', function () {
    let fakeBinDir: string;
    let fakeTemporal: string;

    before(function () {
      fakeBinDir = path.join(scratch, 'fake-bin');
      fakeTemporal = writeExecutable(path.join(fakeBinDir, 'temporal'));
      writeExecutable(path.join(fakeBinDir, 'moto_server'));
    });

    it('prefers TEMPORAL_CLI_PATH over PATH and the tools folder', function () {
      const explicit = writeExecutable(path.join(scratch, 'explicit', 'my-temporal'));
      expect(resolveTemporalCli({ env: { TEMPORAL_CLI_PATH: explicit, PATH: fakeBinDir } })).to.deep.equal({
        path: explicit,
        source: 'env',
      });
    });

    it('prefers temporal on PATH over the tools folder', function () {
      expect(resolveTemporalCli({ env: { PATH: fakeBinDir } })).to.deep.equal({
        path: fakeTemporal,
        source: 'path',
      });
    });

    it("falls back to the project's .tools/venv/bin/temporal, then .tools/bin/temporal", function () {
      expect(resolveTemporalCli({ env: { PATH: '' } })).to.deep.equal({
        path: path.join(projectRoot(), '.tools', 'venv', 'bin', 'temporal'),
        source: 'tools',
      });
      const root = path.join(scratch, 'root-with-go-build');
      const goBuilt = writeExecutable(path.join(root, '.tools', 'bin', 'temporal'));
      expect(resolveTemporalCli({ env: { PATH: '' }, projectRoot: root })).to.deep.equal({
        path: goBuilt,
        source: 'tools',
      });
    });

    it('rejects a TEMPORAL_CLI_PATH that points at nothing, saying so', function () {
      const bogus = path.join(scratch, 'does-not-exist', 'temporal');
      const error = catchSync(() =>
        resolveTemporalCli({ env: { TEMPORAL_CLI_PATH: bogus, PATH: fakeBinDir } }),
      );
      expect(error).to.be.instanceOf(TemporalCliNotFoundError);
      expect((error as TemporalCliNotFoundError).code).to.equal('TEMPORAL_CLI_NOT_FOUND');
      expect((error as Error).message).to.contain(
        `TEMPORAL_CLI_PATH is set to "${bogus}", but no executable file`,
      );
    });

    it('says what to run when no Temporal CLI is found anywhere', function () {
      const emptyRoot = path.join(scratch, 'empty-root');
      mkdirSync(emptyRoot, { recursive: true });
      const error = catchSync(() => resolveTemporalCli({ env: { PATH: '' }, projectRoot: emptyRoot }));
      expect(error).to.be.instanceOf(TemporalCliNotFoundError);
      const { message } = error as Error;
      expect(message).to.contain('Run `npm run tools` (or `bash scripts/install-tools.sh`)');
      expect(message).to.contain('set TEMPORAL_CLI_PATH');
      expect(message).to.contain('put `temporal` on PATH');
    });

    it('resolves moto_server: MOTO_SERVER_PATH, then the tools folder, then PATH', function () {
      const explicit = writeExecutable(path.join(scratch, 'explicit', 'my-moto'));
      expect(resolveMotoServer({ env: { MOTO_SERVER_PATH: explicit } }).source).to.equal('env');
      expect(resolveMotoServer({ env: { PATH: fakeBinDir } })).to.deep.equal({
        path: path.join(projectRoot(), '.tools', 'venv', 'bin', 'moto_server'),
        source: 'tools',
      });
      const emptyRoot = path.join(scratch, 'empty-root');
      mkdirSync(emptyRoot, { recursive: true });
      expect(resolveMotoServer({ env: { PATH: fakeBinDir }, projectRoot: emptyRoot }).source).to.equal(
        'path',
      );
      const error = catchSync(() => resolveMotoServer({ env: { PATH: '' }, projectRoot: emptyRoot }));
      expect(error).to.be.instanceOf(MotoServerNotFoundError);
      expect((error as Error).message).to.contain('npm run tools');
    });
  });

  describe('Temporal dev server', function () {
    it('answers and has the connector search attributes registered', async function () {
      const temporal = await getTemporal();
      expect(temporal.address).to.match(/^127\.0\.0\.1:\d+$/);
      const connection = await Connection.connect({ address: temporal.address });
      try {
        const { namespaceInfo } = await connection.workflowService.describeNamespace({
          namespace: 'default',
        });
        expect(namespaceInfo?.name).to.equal('default');
        const { customAttributes } = await connection.operatorService.listSearchAttributes({
          namespace: 'default',
        });
        expect(customAttributes).to.include({ OmKinesisService: KEYWORD, OmKinesisConnector: KEYWORD });
      } finally {
        await connection.close();
      }
    });

    it('restarts on the same ports and db file, keeping workflows and adding new search attributes', async function () {
      const dbFilename = path.join(scratch, 'restart', 'temporal.db');
      mkdirSync(path.dirname(dbFilename), { recursive: true });
      const logDir = path.join(TEST_LOG_DIR, 'devstack-test');
      const first = await startTemporalDevServer({
        logDir,
        dbFilename,
        searchAttributes: { OmKinesisService: 'Keyword' },
      });
      const workflowId = `restart-${Date.now()}`;
      try {
        await withWorkflowClient(first.address, (client) =>
          client.start('notRegisteredAnywhere', { workflowId, taskQueue: `devstack-${workflowId}` }),
        );
      } finally {
        await first.stop();
      }
      expect(isProcessAlive(first.pid)).to.equal(false);

      const second = await startTemporalDevServer({
        logDir,
        dbFilename,
        port: first.port,
        searchAttributes: { OmKinesisService: 'Keyword', OmKinesisConnector: 'Keyword' },
      });
      try {
        expect(second.address).to.equal(first.address);
        await withWorkflowClient(second.address, async (client) => {
          const description = await client.getHandle(workflowId).describe();
          expect(description.status.name).to.equal('RUNNING');
          const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
            namespace: 'default',
          });
          expect(customAttributes).to.include({ OmKinesisService: KEYWORD, OmKinesisConnector: KEYWORD });
        });
      } finally {
        await second.stop();
      }
      expect(isProcessAlive(second.pid)).to.equal(false);
    });
  });

  describe('kinesis-local', function () {
    let fixture: KinesisFixture;

    before(async function () {
      const kinesis = await getKinesisLocal();
      fixture = new KinesisFixture({ endpoint: kinesis.endpoint, region: kinesis.region });
    });

    after(function () {
      fixture?.close();
    });

    it('creates streams, puts records, splits a shard (the parent keeps its records) and lists', async function () {
      const names = ['a', 'b', 'c.with.dots'].map((suffix) => `${uniquePrefix('fixture')}-${suffix}`);
      await fixture.createStreams(names, 2);
      const [target] = names as [string];

      const records = Array.from({ length: 1_200 }, (_, index) => `record-${index}`);
      const results = await fixture.putRecords(target, records);
      expect(results).to.have.length(1_200);

      const { parentShardId, childShardIds } = await fixture.splitShard(target);
      expect(childShardIds).to.have.length(2);
      const shards = await fixture.listAllShards(target);
      expect(shards).to.have.length(4);
      const parent = shards.find((shard) => shard.ShardId === parentShardId);
      expect(parent?.SequenceNumberRange?.EndingSequenceNumber, 'parent is closed').to.be.a('string');
      const onParent = results.filter((result) => result.shardId === parentShardId).length;
      expect(onParent).to.be.greaterThan(0);
      expect(await readWholeShard(fixture.client, target, parentShardId)).to.have.length(onParent);

      expect(await fixture.listAllStreamNames()).to.include.members(names);
      await fixture.deleteStream(names[2]!);
      const afterDelete = await fixture.listAllStreamNames();
      expect(afterDelete).to.include.members(names.slice(0, 2));
      expect(afterDelete).not.to.include(names[2]);
    });

    it('creates on-demand streams', async function () {
      const name = `${uniquePrefix('on-demand')}-x`;
      await fixture.createStreams([name], 0, { mode: 'ON_DEMAND' });
      const shards = await fixture.listAllShards(name);
      expect(shards.length).to.be.greaterThan(0);
    });

    it('isolates streams by account when signed with a 12-digit access key id', async function () {
      const kinesis = await getKinesisLocal();
      const other = new KinesisFixture({
        endpoint: kinesis.endpoint,
        region: kinesis.region,
        accessKeyId: '111111111111',
      });
      try {
        const name = `${uniquePrefix('account')}-only-here`;
        await other.createStreams([name], 1);
        expect(await other.listAllStreamNames()).to.include(name);
        expect(await fixture.listAllStreamNames()).not.to.include(name);
      } finally {
        other.close();
      }
    });
  });

  describe('moto', function () {
    it('lets STS AssumeRole a role created with createAssumableRole', async function () {
      const moto = await getMoto();
      const roleName = uniquePrefix('reader');
      const { roleArn } = await createAssumableRole(moto.endpoint, {
        roleName,
        region: 'us-east-1',
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['kinesis:ListStreams'], Resource: '*' }],
        },
      });
      expect(roleArn).to.equal(`arn:aws:iam::123456789012:role/${roleName}`);
      const sts = new STSClient({
        endpoint: moto.endpoint,
        region: 'us-east-1',
        credentials: MOTO_SETUP_CREDENTIALS,
        requestHandler: new NodeHttpHandler(),
      });
      try {
        const { Credentials, AssumedRoleUser } = await sts.send(
          new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'devstack-test' }),
        );
        expect(Credentials?.AccessKeyId).to.match(/\S/);
        expect(Credentials?.SecretAccessKey).to.match(/\S/);
        expect(Credentials?.SessionToken).to.match(/\S/);
        expect(AssumedRoleUser?.Arn).to.contain(`assumed-role/${roleName}/devstack-test`);
      } finally {
        sts.destroy();
      }
    });
  });

  describe('test stack', function () {
    it('starts each server once per process and hands the same instances to every caller', async function () {
      const stack = await getTestStack();
      expect(stack.temporal).to.equal(await getTemporal());
      expect(stack.kinesisLocal).to.equal(await getKinesisLocal());
      expect(stack.moto).to.equal(await getMoto());
      expect(stack.openMetadata.url).to.match(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(await getTestStack()).to.deep.equal(stack);
    });
  });

  describe('launchers', function () {
    it('kinesis-local and moto processes are gone after stop', async function () {
      const logDir = path.join(TEST_LOG_DIR, 'devstack-test');
      const [kinesis, moto] = await Promise.all([startKinesisLocal({ logDir }), startMotoServer({ logDir })]);
      await Promise.all([kinesis.stop(), moto.stop()]);
      expect(isProcessAlive(kinesis.pid), 'kinesis-local').to.equal(false);
      expect(isProcessAlive(moto.pid), 'moto').to.equal(false);
    });
  });

  describe('temporal-dev.yaml', function () {
    it('loads the repository file, resolving the db file against it', function () {
      const config = loadDevStackConfig();
      expect(config.temporal).to.include({
        ip: '127.0.0.1',
        port: 7233,
        uiPort: 8233,
        ui: true,
        namespace: 'default',
      });
      expect(config.temporal.dbFilename).to.equal(path.join(projectRoot(), '.devstack', 'temporal.db'));
      // The stack registers every search attribute the runs set.
      expect(config.temporal.searchAttributes).to.deep.equal(SEARCH_ATTRIBUTES);
      expect(config.kinesisLocal).to.deep.equal({ port: 4568, region: 'us-east-1' });
      expect(config.openMetadata.port).to.equal(8585);
      expect(config.taskQueue).to.equal('om-kinesis');
    });

    it('names the path of each problem', function () {
      const error = catchSync(() =>
        parseDevStackConfig('temporal:\n  port: "7233"\n  searchAttributes: { X: Blob }\nkinesis: {}\n', {
          source: 'bad.yaml',
          baseDir: '/',
        }),
      );
      expect(error).to.be.instanceOf(DevStackConfigError);
      expect((error as DevStackConfigError).problems).to.deep.equal([
        'temporal.port: Invalid input: expected number, received string',
        'temporal.searchAttributes.X: Invalid option: expected one of "Keyword"|"Text"|"Int"|"Double"|"Bool"|"Datetime"|"KeywordList"',
        '(root): Unrecognized key: "kinesis"',
      ]);
      expect((error as Error).message).to.match(/^bad\.yaml: invalid\n {2}temporal\.port: /);
    });
  });
});

function startNode(name: string, script: string, logDir: string): ReturnType<typeof startProcess> {
  return startProcess({ name, command: process.execPath, args: ['-e', script], logDir });
}

/**
 * Runs a separate Node process that starts a child through processes.ts and then ends
 * abnormally; resolves with the child's pid once the parent is gone.
 */
async function runParentThatEnds(
  ending: 'an uncaught exception' | 'SIGTERM' | 'SIGINT',
  logDir: string,
): Promise<number> {
  const processesModule = fileURLToPath(new URL('../client/local-temporal/processes.js', import.meta.url));
  const script = `
    const { startProcess } = await import(${JSON.stringify(processesModule)});
    const child = await startProcess({
      name: 'orphan-candidate',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      logDir: ${JSON.stringify(logDir)},
    });
    console.log(child.pid);
    ${ending === 'an uncaught exception' ? "setTimeout(() => { throw new Error('boom'); }, 50);" : 'setInterval(() => {}, 1000);'}
  `;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
  const childPid = await new Promise<number>((resolve, reject) => {
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const pid = Number.parseInt(output, 10);
      if (output.includes('\n') && pid > 0) resolve(pid);
    });
    void exited.then(() => reject(new Error(`parent exited before starting its child: ${output}`)));
  });
  expect(isProcessAlive(childPid)).to.equal(true);
  if (ending !== 'an uncaught exception') parent.kill(ending);
  await exited;
  return childPid;
}

async function withWorkflowClient<T>(
  address: string,
  use: (client: WorkflowClient) => Promise<T>,
): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new WorkflowClient({ connection }));
  } finally {
    await connection.close();
  }
}

async function readWholeShard(client: KinesisClient, stream: string, shardId: string): Promise<Uint8Array[]> {
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const data: Uint8Array[] = [];
  let iterator = ShardIterator;
  for (let calls = 0; iterator && calls < 50; calls++) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    data.push(...(page.Records ?? []).map((record) => record.Data ?? new Uint8Array()));
    iterator = page.NextShardIterator;
  }
  return data;
}

function writeExecutable(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

function catchSync(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function uniquePrefix(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
