import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { runCommand, runOmKinesis } from './support/cli-runner.js';
import { getTemporal } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  startTestWorker,
  uniqueName,
} from './support/ingestion-harness.js';
import { packageVersion } from '../client/cli.js';
import { projectRoot, resolveTemporalCli } from '../client/local-temporal/temporal-cli.js';
import type { IngestionSummary } from '../common/summary.js';
import { ingestionWorkflowId } from '../common/run-input.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-cli-test-'));
const runCli = (args: string[], env: Record<string, string> = {}) => runOmKinesis(args, env);

function writeConfig(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

function configYaml(o: {
  serviceName: string;
  accessKeyId: string;
  endpoint: string;
  omUrl: string;
  secret?: string;
}): string {
  return `source:
  type: kinesis
  serviceName: ${o.serviceName}
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsAccessKeyId: "${o.accessKeyId}"
        awsSecretAccessKey: ${o.secret ?? '${CLI_TEST_AWS_SECRET}'}
        awsRegion: us-east-1
        endPointURL: ${o.endpoint}
  sourceConfig:
    config:
      type: MessagingMetadata
      generateSampleData: true
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  loggerLevel: DEBUG
  openMetadataServerConfig:
    hostPort: ${o.omUrl}
    authProvider: no-auth
`;
}

describe('om-kinesis CLI', function () {
  this.timeout(180_000);

  it('validate: exit 2 with every error named by its path, for a broken config', async () => {
    const file = writeConfig(
      'broken.yaml',
      `source:
  type: kinesis
  serviceName: svc
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsRegon: us-east-1
  sourceConfig:
    config:
      generateSampleData: "yes"
sink:
  type: metadata-rest
workflowConfig:
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    authProvider: no-auth
`,
    );
    const result = await runCli(['validate', '-c', file]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('source.serviceConnection.config.awsConfig.awsRegion: Required');
    expect(result.stderr).to.include('awsRegon');
    expect(result.stderr).to.include('source.sourceConfig.config.generateSampleData');
    expect(result.stderr).to.not.match(/\n\s+at /, 'no stack trace');

    // For a cluster, in the same pass: a literal secret beside the schema's errors.
    const withSecret = writeConfig(
      'broken-secret.yaml',
      readFileSync(file, 'utf8').replace(
        '        awsRegon: us-east-1',
        '        awsRegon: us-east-1\n        awsSecretAccessKey: literal-secret-4711',
      ),
    );
    const forCluster = await runCli(['validate', '-c', withSecret], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(forCluster.code).to.equal(2);
    expect(forCluster.stderr).to.include('source.serviceConnection.config.awsConfig.awsRegion: Required');
    expect(forCluster.stderr).to.include(
      'source.serviceConnection.config.awsConfig.awsSecretAccessKey: a literal secret would be stored in Temporal history',
    );
    expect(forCluster.stderr).to.not.include('literal-secret-4711');
  });

  it('validate: exit 0 and a one-line description for a valid config', async () => {
    const file = writeConfig(
      'valid.yaml',
      configYaml({
        serviceName: 'svc_ok',
        accessKeyId: '111111111111',
        endpoint: 'http://127.0.0.1:1',
        omUrl: 'http://127.0.0.1:2/api',
      }),
    );
    const result = await runCli(['validate', '-c', file], { CLI_TEST_AWS_SECRET: 'x' });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('valid for a local run. Service svc_ok, region us-east-1');
  });

  it('ingest: exit 2 and no run for a missing file or a literal secret that cannot be sealed', async () => {
    const missing = await runCli(['ingest', '-c', path.join(scratch, 'nope.yaml')]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include(
      `Config file not found: ${path.join(scratch, 'nope.yaml')}; no run was started`,
    );

    const temporal = await getTemporal();
    const file = writeConfig(
      'literal.yaml',
      configYaml({
        serviceName: 'svc_literal',
        accessKeyId: '1',
        endpoint: 'http://127.0.0.1:1',
        omUrl: 'http://127.0.0.1:2/api',
        secret: 'plain-secret',
      }),
    );
    const literal = await runCli(['ingest', '-c', file], { TEMPORAL_ADDRESS: temporal.address });
    expect(literal.code).to.equal(2);
    expect(literal.stderr).to.include(
      'source.serviceConnection.config.awsConfig.awsSecretAccessKey: a literal secret would be stored in Temporal history',
    );
  });

  it('ingest against a cluster: a second run for the same service is refused while one is running', async () => {
    const temporal = await getTemporal();
    const serviceName = uniqueName('single_run');
    const file = writeConfig(
      'single.yaml',
      configYaml({
        serviceName,
        accessKeyId: '1',
        endpoint: 'http://127.0.0.1:1',
        omUrl: 'http://127.0.0.1:2/api',
      }),
    );
    // No worker polls this task queue: the first run stays open while the second is tried.
    const args = [
      'ingest',
      '-c',
      file,
      '--address',
      temporal.address,
      '--task-queue',
      uniqueName('idle'),
      '--no-wait',
    ];
    const env = { CLI_TEST_AWS_SECRET: 'x', TEMPORAL_ADDRESS: temporal.address };
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const first = await runCli([...args, '--json'], env);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stderr).to.include(`Started ${ingestionWorkflowId(serviceName)}`);
      // --json: stdout holds the started run's ids, and nothing else.
      expect(JSON.parse(first.stdout)).to.deep.include({
        status: 'started',
        workflowId: ingestionWorkflowId(serviceName),
      });
      const second = await runCli(args, env);
      expect(second.code).to.equal(1);
      expect(second.stderr).to.include(
        `a run for service ${serviceName} is already in progress (workflow id ${ingestionWorkflowId(serviceName)}); no second run was started. Follow it with: om-kinesis status ${serviceName} --address ${temporal.address}`,
      );
      const description = await new Client({ connection }).workflow
        .getHandle(ingestionWorkflowId(serviceName))
        .describe();
      expect(description.status.name).to.equal('RUNNING');
      expect(
        description.typedSearchAttributes.get(
          defineSearchAttributeKey('OmKinesisService', SearchAttributeType.KEYWORD),
        ),
      ).to.equal(serviceName);
    } finally {
      await new Client({ connection }).workflow
        .getHandle(ingestionWorkflowId(serviceName))
        .terminate('test over')
        .catch(() => undefined);
      await connection.close();
    }
  });

  it('ingest --json: a failed run is one JSON document on stdout too', async () => {
    // An OpenMetadata that refuses every request: the run fails at once, with no retry.
    const refusing = createServer((_request, response) => {
      response.writeHead(401, { 'Content-Type': 'application/json' });
      response.end('{"code":401,"message":"Not Authorized! Token not present"}');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = refusing.address() as AddressInfo;
      const { accessKeyId, endpoint } = await isolatedKinesis();
      const file = writeConfig(
        'refused.yaml',
        configYaml({
          serviceName: uniqueName('refused'),
          accessKeyId,
          endpoint,
          omUrl: `http://127.0.0.1:${port}/api`,
        }),
      );
      const result = await runCli(['ingest', '-c', file, '--json'], { CLI_TEST_AWS_SECRET: 'x' });
      expect(result.code, result.stderr).to.equal(1);
      const outcome = JSON.parse(result.stdout) as { status: string; message: string };
      expect(outcome.status).to.equal('failed');
      expect(outcome.message).to.include('401');
      expect(result.stderr).to.include('The run failed:');
    } finally {
      refusing.close();
    }
  });

  it('ingest with no cluster configured: runs locally like `metadata ingest` and prints the summary', async () => {
    const om = await getOpenMetadata();
    const { fixture, accessKeyId, endpoint } = await isolatedKinesis();
    await fixture.createStreams(['cli.orders', 'cli-events'], 1);
    await fixture.putRecords('cli.orders', ['{"id":1}']);
    fixture.close();
    const serviceName = uniqueName('cli_local');
    const file = writeConfig('local.yaml', configYaml({ serviceName, accessKeyId, endpoint, omUrl: om.url }));

    const result = await runCli(['ingest', '-c', file], { CLI_TEST_AWS_SECRET: 'cli-secret-value' });

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include(`Workflow Summary: service ${serviceName}`);
    expect(result.stdout).to.include(
      'Topics: 2 created, 0 updated, 0 unchanged, 0 skipped, 0 soft-deleted, 0 failed',
    );
    expect(result.stdout).to.include('Success %: 100.00 (threshold 90)');
    expect(om.topicByFqn(`${serviceName}."cli.orders"`)?.sampleData?.messages).to.deep.equal(['{"id":1}']);
    // loggerLevel DEBUG: the worker's debug logs are printed, and hold no secret either.
    expect(result.stderr).to.include('[DEBUG]');
    expect(result.stdout + result.stderr).to.not.include('cli-secret-value');
  });

  it('input + `temporal workflow start --input-file`: the Temporal CLI starts a run that ingests', async () => {
    const [temporal, om] = await Promise.all([getTemporal(), getOpenMetadata()]);
    const { fixture, accessKeyId, endpoint } = await isolatedKinesis();
    await fixture.createStreams(['via.temporal.cli'], 1);
    fixture.close();
    const serviceName = uniqueName('temporal_cli');
    const file = writeConfig(
      'for-temporal.yaml',
      configYaml({ serviceName, accessKeyId, endpoint, omUrl: om.url }),
    );
    const printed = await runCli(['input', '-c', file], { CLI_TEST_AWS_SECRET: 'resolved-by-the-worker' });
    expect(printed.code, printed.stderr).to.equal(0);
    expect(printed.stdout)
      .to.include('"awsSecretAccessKey": "${CLI_TEST_AWS_SECRET}"')
      .and.not.include('resolved-by-the-worker');
    const inputFile = writeConfig('run.json', printed.stdout);
    const withTags = await runCli(['input', '-c', file, '--owner-tag-key', 'owner', '--stream-tags'], {
      CLI_TEST_AWS_SECRET: 'x',
    });
    expect((JSON.parse(withTags.stdout) as { options?: unknown }).options).to.deep.equal({
      streamTags: true,
      ownerTagKey: 'owner',
    });

    const worker = await startTestWorker({ env: { CLI_TEST_AWS_SECRET: 'resolved-by-the-worker' } });
    try {
      const workflowId = ingestionWorkflowId(serviceName);
      const started = await runCommand(
        resolveTemporalCli().path,
        ['workflow', 'start', '--address', temporal.address, '--type', 'kinesisMetadataIngestion'].concat([
          '--task-queue',
          worker.taskQueue,
          '--workflow-id',
          workflowId,
          '--input-file',
          inputFile,
        ]),
        process.env,
      );
      expect(started.code, started.stderr).to.equal(0);
      const summary = (await worker.client.workflow.getHandle(workflowId).result()) as IngestionSummary;
      expect(summary).to.include({ serviceName, created: 1, failed: 0 });
      expect(om.topicByFqn(`${serviceName}."via.temporal.cli"`)).to.not.equal(undefined);
    } finally {
      await worker.stop();
    }
  });
});

describe('om-kinesis: one rule for exit codes', function () {
  this.timeout(180_000);

  it('2 for every wrong invocation; 0 and the version for --version; --help tells which commands need a cluster', async () => {
    const validConfig = writeConfig(
      'invocation.yaml',
      configYaml({
        serviceName: 'svc',
        accessKeyId: '1',
        endpoint: 'http://127.0.0.1:1',
        omUrl: 'http://127.0.0.1:2/api',
      }),
    );
    const wrong: string[][] = [
      [],
      ['ingest'],
      ['validate'],
      ['ingest', '-c', validConfig, '--no-such-flag'],
      ['no-such-command'],
      ['status'],
      ['status', 'svc'],
      ['worker'],
      ['schedule', 'list'],
      ['ingest', '-c', validConfig, '--sample-size', 'many'],
      ['ingest', '-c', validConfig, '--no-wait'],
    ];
    const results = await Promise.all(
      wrong.map((args) => runOmKinesis(args, {}, { unset: ['TEMPORAL_ADDRESS'] })),
    );
    results.forEach((result, index) => {
      expect(result.code, `om-kinesis ${wrong[index]?.join(' ')}: ${result.stderr}`).to.equal(2);
      expect(result.stderr, 'no stack trace').to.not.match(/\n\s+at /);
    });
    expect(results[6]?.stderr).to.include(
      'om-kinesis status needs a Temporal cluster: pass --address HOST:PORT or set TEMPORAL_ADDRESS',
    );
    expect(results[10]?.stderr).to.include('--no-wait needs a Temporal cluster');
    // A wrong invocation points to the command's help rather than printing all of it.
    expect(results[3]?.stderr).to.include("(add --help for the command's options)");
    expect(results[3]?.stderr).to.not.include('Usage:');
    const shortKey = await runOmKinesis(['input', '-c', validConfig], { OM_KINESIS_SECRETS_KEY: 'short' });
    expect(shortKey.code, shortKey.stderr).to.equal(2);
    expect(shortKey.stderr).to.include('OM_KINESIS_SECRETS_KEY is too short');

    // The benchmark's own command line: its usage, or what is wrong with it.
    const bench = path.join(projectRoot(), 'dist', 'bench', 'run.js');
    const [benchHelp, benchWrong] = await Promise.all([
      runCommand(process.execPath, [bench, '--help'], process.env),
      runCommand(process.execPath, [bench, '--no-such-flag'], process.env),
    ]);
    expect(benchHelp.code, benchHelp.stderr).to.equal(0);
    expect(benchHelp.stdout).to.include('Usage: npm run bench -- [options]');
    expect(benchWrong.code).to.equal(2);
    expect(benchWrong.stderr).to.include("bench: Unknown option '--no-such-flag'").and.include('Usage:');
    expect(benchWrong.stderr, 'no stack trace').to.not.match(/\n\s+at /);

    const version = await runCli(['--version']);
    expect(version.code).to.equal(0);
    expect(version.stdout.trim())
      .to.equal(packageVersion())
      .and.match(/^\d+\.\d+\.\d+/);

    const help = await Promise.all(
      ['ingest', 'validate', 'status', 'worker'].map((command) => runCli([command, '--help'])),
    );
    for (const [index, local] of [true, true, false, false].entries()) {
      const text = help[index]?.stdout.replace(/\s+/g, ' ') ?? '';
      expect(help[index]?.code).to.equal(0);
      expect(text).to.include(
        local ? '(env TEMPORAL_ADDRESS); none = run locally' : '(env TEMPORAL_ADDRESS); required',
      );
    }
  });

  it('1 for a namespace the cluster does not have, naming it and how to create it', async () => {
    const temporal = await getTemporal();
    const result = await runOmKinesis([
      'status',
      'svc',
      '--address',
      temporal.address,
      '--namespace',
      'no-such-ns',
    ]);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stderr).to.include(
      'om-kinesis: the Temporal cluster has no namespace no-such-ns (from --namespace or TEMPORAL_NAMESPACE',
    );
    expect(result.stderr).to.include('temporal operator namespace create --namespace no-such-ns');
    expect(result.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  });

  it('validate says exactly what ingest says, for a local run and for a cluster', async () => {
    const temporal = await getTemporal();
    const literal = writeConfig(
      'agree-literal.yaml',
      configYaml({
        serviceName: uniqueName('agree'),
        accessKeyId: '1',
        endpoint: 'http://127.0.0.1:1',
        omUrl: 'http://127.0.0.1:2/api',
        secret: 'plain-secret',
      }),
    );
    const unset = writeConfig(
      'agree-unset.yaml',
      configYaml({
        serviceName: uniqueName('agree'),
        accessKeyId: '1',
        endpoint: 'http://127.0.0.1:1',
        omUrl: 'http://127.0.0.1:2/api',
        secret: '${AGREE_UNSET_SECRET}',
      }),
    );
    const cluster = { TEMPORAL_ADDRESS: temporal.address };
    const idle = ['--task-queue', uniqueName('idle'), '--no-wait'];

    // A literal secret: refused for a cluster by both, accepted locally by validate.
    const [validateLiteral, ingestLiteral, validateLiteralLocally] = await Promise.all([
      runCli(['validate', '-c', literal], cluster),
      runCli(['ingest', '-c', literal, ...idle], cluster),
      runCli(['validate', '-c', literal]),
    ]);
    const refusal =
      'source.serviceConnection.config.awsConfig.awsSecretAccessKey: a literal secret would be stored in Temporal history';
    for (const result of [validateLiteral, ingestLiteral]) {
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.include(refusal);
    }
    expect(validateLiteralLocally.code, validateLiteralLocally.stderr).to.equal(0);
    expect(validateLiteralLocally.stdout).to.include('valid for a local run');

    // A secret whose variable is unset: exit 2 locally (validate and ingest alike), naming it.
    const [validateUnset, ingestUnset] = await Promise.all([
      runCli(['validate', '-c', unset]),
      runCli(['ingest', '-c', unset]),
    ]);
    for (const result of [validateUnset, ingestUnset]) {
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.include(
        'source.serviceConnection.config.awsConfig.awsSecretAccessKey: refers to the environment variable AGREE_UNSET_SECRET, which is not set: set it',
      );
    }
    // On a cluster only the workers need it: said once, and the run starts.
    const [validateOnCluster, ingestOnCluster] = await Promise.all([
      runCli(['validate', '-c', unset], cluster),
      runCli(['ingest', '-c', unset, ...idle], cluster),
    ]);
    for (const result of [validateOnCluster, ingestOnCluster]) {
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr.match(/AGREE_UNSET_SECRET/g), result.stderr).to.have.length(2); // "is not set here ... must have X set"
      expect(result.stderr).to.include('every worker must have AGREE_UNSET_SECRET set');
      expect(result.stderr).to.not.include('References an environment variable that is not set');
    }
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const serviceName = /serviceName: (\S+)/.exec(readFileSync(unset, 'utf8'))?.[1] ?? '';
      await new Client({ connection }).workflow
        .getHandle(ingestionWorkflowId(serviceName))
        .terminate('test over');
    } finally {
      await connection.close();
    }
  });

  it('while the checks retry, one line per attempt says what and why; the final error names the setting to check', async () => {
    const om = await getOpenMetadata();
    const { accessKeyId, endpoint } = await isolatedKinesis();
    const closed = 'http://127.0.0.1:1';
    const [omDown, kinesisDown] = await Promise.all([
      runCli(
        [
          'ingest',
          '-c',
          writeConfig(
            'om-down.yaml',
            configYaml({
              serviceName: uniqueName('om_down'),
              accessKeyId,
              endpoint,
              omUrl: `${closed}/api`,
            }).replace('loggerLevel: DEBUG', 'loggerLevel: INFO'),
          ),
        ],
        { CLI_TEST_AWS_SECRET: 'x' },
      ),
      runCli(
        [
          'ingest',
          '-c',
          writeConfig(
            'kinesis-down.yaml',
            configYaml({
              serviceName: uniqueName('kinesis_down'),
              accessKeyId,
              endpoint: closed,
              omUrl: om.url,
            }).replace('loggerLevel: DEBUG', 'loggerLevel: INFO'),
          ),
        ],
        { CLI_TEST_AWS_SECRET: 'x' },
      ),
    ]);
    for (const [result, step, hint] of [
      [omDown, 'checkOpenMetadata', 'Check workflowConfig.openMetadataServerConfig.hostPort'],
      [
        kinesisDown,
        'checkKinesisConnection',
        `Check source.serviceConnection.config.awsConfig.endPointURL (${closed})`,
      ],
    ] as const) {
      expect(result.code, result.stderr).to.equal(1);
      const retries =
        result.stderr.match(
          new RegExp(`^progress: ${step}: .*ECONNREFUSED.*; retrying \\(attempt (\\d+)`, 'gm'),
        ) ?? [];
      expect(retries.length, result.stderr).to.be.at.least(3);
      expect(new Set(retries).size, 'one line per attempt').to.equal(retries.length);
      expect(result.stderr).to.match(new RegExp(`^The run failed: .*${hint.replace(/[.()]/g, '\\$&')}`, 'm'));
      // The periodic line does not repeat itself while nothing changes.
      expect(result.stderr.match(/no stream listed yet/g)?.length ?? 0, result.stderr).to.be.at.most(3);
      expect(result.stderr, 'no SDK dump of each failed attempt').to.not.match(/\[WARN\] Activity failed/);
    }
  });
});
