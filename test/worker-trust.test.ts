// The attacks of a security review, kept as end-to-end tests: someone who may only start
// workflows on the namespace writes a run input (here with `temporal workflow start
// --input-file`, the project's Temporal CLI) for real `om-kinesis worker` processes, and
// listens on loopback for what the workers send. A worker started without allowances refuses
// each attack at once, with a failure that names the rule and the option that would allow it
// and holds no secret; only that option lets the attack through.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { printable } from '../common/printable.js';
import { resolveTemporalCli } from '../client/local-temporal/temporal-cli.js';
import { validateIngestionConfigObject, type IngestionConfig } from '../common/config/index.js';
import { DEFAULT_RUN_OPTIONS, ingestionWorkflowId } from '../common/run-input.js';
import type { BatchResult } from '../common/summary.js';
import { WORKER_CONFIG_ENV } from '../client/commands/worker-policy-flags.js';
import { OM_KINESIS_BIN, runCommand, runOmKinesis } from './support/cli-runner.js';
import { getTemporal } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  testConfigDocument,
  uniqueName,
} from './support/ingestion-harness.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-trust-'));
const nonce = Math.random().toString(36).slice(2, 10);
/** What the workers hold and must never hand to a run they were not told to. */
const WORKER_ENV = {
  WORKER_SECRET: `worker-secret-${nonce}`,
  AWS_ACCESS_KEY_ID: `AKIAWORKER${nonce.toUpperCase()}`,
  AWS_SECRET_ACCESS_KEY: `worker-aws-secret-${nonce}`,
  AWS_EC2_METADATA_DISABLED: 'true',
};
const SECRET_VALUES = [
  WORKER_ENV.WORKER_SECRET,
  WORKER_ENV.AWS_ACCESS_KEY_ID,
  WORKER_ENV.AWS_SECRET_ACCESS_KEY,
];

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

type Answer = { status: number; headers?: Record<string, string>; body: string };

/** Kinesis listing no stream: the connection check passes. */
const EMPTY_LISTING: Answer = { status: 200, body: '{"StreamNames":[],"HasMoreStreams":false}' };

/**
 * The submitter's server on loopback: records every request. As OpenMetadata it tells its
 * version and knows no service (the checks pass, after the token was sent); as Kinesis it
 * refuses the credentials, so that a run it is allowed to reach ends there, after the
 * requests were made. `answer` may say otherwise.
 */
async function capturingListener(answer?: (url: string, kinesis: boolean) => Answer) {
  const received: Captured[] = [];
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    const kinesis = typeof req.headers['x-amz-target'] === 'string';
    const reply =
      answer?.(req.url ?? '', kinesis) ??
      (kinesis
        ? { status: 400, body: '{"__type":"UnrecognizedClientException","message":"no"}' }
        : req.url?.endsWith('/system/version')
          ? { status: 200, body: '{"version":"1.6.0"}' }
          : { status: 404, body: '{"message":"not found"}' });
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    /** Everything the listener was sent, as one text. */
    text: () => JSON.stringify(received),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Listener = Awaited<ReturnType<typeof capturingListener>>;

/** An `om-kinesis worker` process with exactly these options (no worker config file), polling `taskQueue`. */
async function startWorkerProcess(
  address: string,
  taskQueue: string,
  options: string[],
  env: Record<string, string> = {},
): Promise<{ process: ChildProcess; stderr: () => string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...WORKER_ENV, ...env };
  delete childEnv[WORKER_CONFIG_ENV];
  const child = spawn(
    process.execPath,
    [
      OM_KINESIS_BIN,
      'worker',
      '--address',
      address,
      '--task-queue',
      taskQueue,
      '--log-level',
      'ERROR',
      ...options,
    ],
    { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('runs may reach')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the worker exited (${code}): ${stderr}`)));
  });
  return { process: child, stderr: () => stderr };
}

/** A config of the attacker's choosing: by default, everything pointed at `listener`. */
function attackConfig(
  listener: Listener,
  changes: { aws?: Record<string, unknown>; server?: Record<string, unknown> } = {},
) {
  const document = testConfigDocument({
    serviceName: uniqueName('attack'),
    accessKeyId: 'AKIASUBMITTER',
    secretAccessKey: 'submitter-own-secret',
    kinesisEndpoint: listener.origin,
    openMetadataUrl: `${listener.origin}/api`,
  }) as {
    source: { serviceName: string; serviceConnection: { config: { awsConfig: Record<string, unknown> } } };
    workflowConfig: { openMetadataServerConfig: Record<string, unknown> };
  };
  const aws = document.source.serviceConnection.config.awsConfig;
  for (const [key, value] of Object.entries(changes.aws ?? {})) {
    if (value === undefined) delete aws[key];
    else aws[key] = value;
  }
  Object.assign(document.workflowConfig.openMetadataServerConfig, changes.server);
  return document;
}

describe('the worker is the trust boundary: attacks through the run input', function () {
  this.timeout(240_000);
  let address: string;
  let connection: Connection;
  let client: Client;
  let listener: Listener;
  let redirecting: Listener;
  let redirectTarget: Listener;
  const workers: ChildProcess[] = [];
  const fileDir = path.join(scratch, 'tokens');
  const queues = { default: uniqueName('trust-default'), base: uniqueName('trust-base') } as Record<
    string,
    string
  >;

  /** Options that let the submitter's servers be reached, and nothing else. */
  const baseOptions = () => [
    '--allow-openmetadata',
    listener.origin,
    '--allow-aws-endpoint',
    listener.origin,
    '--allow-openmetadata',
    redirecting.origin,
    '--allow-aws-endpoint',
    redirecting.origin,
    // Allowed, and still never reached: link-local addresses are refused whatever the options.
    '--allow-openmetadata',
    'http://169.254.169.254',
  ];

  async function worker(name: string, options: string[], env: Record<string, string> = {}) {
    queues[name] = uniqueName(`trust-${name}`);
    const started = await startWorkerProcess(address, queues[name], options, env);
    workers.push(started.process);
    return started;
  }

  /** Starts a run as the attacker does, with the Temporal CLI and an input file; resolves with how it ended. */
  async function attack(queue: string, config: Record<string, unknown>, type = 'kinesisMetadataIngestion') {
    const source = (config as { source?: { serviceName?: string } }).source;
    const workflowId = source?.serviceName ? ingestionWorkflowId(source.serviceName) : uniqueName('forged');
    const inputFile = path.join(scratch, `${workflowId}.json`);
    writeFileSync(
      inputFile,
      JSON.stringify(type === 'kinesisMetadataIngestion' ? { config, options: {} } : config),
    );
    const started = await runCommand(
      resolveTemporalCli().path,
      [
        'workflow',
        'start',
        '--address',
        address,
        '--type',
        type,
        '--task-queue',
        queues[queue] as string,
      ].concat(['--workflow-id', workflowId, '--input-file', inputFile]),
      process.env,
    );
    expect(started.code, started.stderr).to.equal(0);
    const handle = client.workflow.getHandle(workflowId);
    try {
      return { workflowId, result: (await handle.result()) as unknown, failure: undefined };
    } catch (error) {
      expect(error).to.be.instanceOf(WorkflowFailedError);
      const cause = (error as WorkflowFailedError).cause;
      const type = cause instanceof ApplicationFailure ? (cause.type ?? '') : '';
      return { workflowId, result: undefined, failure: { type, message: cause?.message ?? '' } };
    }
  }

  /** The activity failures stored in a run's history: the refusal is recorded once, not retried. */
  async function activityFailures(workflowId: string) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((event) => {
      const failed = event.activityTaskFailedEventAttributes?.failure;
      return failed
        ? [
            {
              type: failed.applicationFailureInfo?.type ?? '',
              nonRetryable: !!failed.applicationFailureInfo?.nonRetryable,
            },
          ]
        : [];
    });
  }

  /** A refusal by the worker's policy: at once, once, naming rule and option, no secret, nothing sent. */
  async function expectRefused(
    queue: string,
    config: Record<string, unknown>,
    rule: string,
    option: string | undefined,
  ) {
    const before = listener.received.length;
    const outcome = await attack(queue, config);
    expect(outcome.failure?.type, outcome.failure?.message).to.equal('WorkerPolicyRefused');
    const message = outcome.failure?.message ?? '';
    expect(message).to.match(/^prepare: this worker's policy refuses the run/);
    expect(message).to.include(`[rule ${rule};`);
    if (option) expect(message).to.include(`the worker's operator can allow it with ${option}`);
    for (const secret of SECRET_VALUES) expect(message).to.not.include(secret);
    expect(await activityFailures(outcome.workflowId)).to.deep.equal([
      { type: 'WorkerPolicyRefused', nonRetryable: true },
    ]);
    expect(listener.received.slice(before), 'nothing reached the listener').to.deep.equal([]);
    return message;
  }

  before(async () => {
    address = (await getTemporal()).address;
    connection = await Connection.connect({ address });
    client = new Client({ connection });
    listener = await capturingListener();
    redirectTarget = await capturingListener();
    redirecting = await capturingListener((_url, kinesis) =>
      kinesis
        ? EMPTY_LISTING
        : { status: 307, headers: { location: `${redirectTarget.origin}/api/v1/system/version` }, body: '' },
    );
    mkdirSync(fileDir);
    writeFileSync(path.join(fileDir, 'service-account-token'), `file-token-${nonce}\n`);
    const started = await Promise.all([
      startWorkerProcess(address, queues.default as string, []),
      startWorkerProcess(address, queues.base as string, baseOptions()),
    ]);
    workers.push(...started.map((s) => s.process));
    expect(started[0]?.stderr()).to.include('runs may reach no OpenMetadata server: every run is refused');
  });

  after(async () => {
    for (const child of workers) child.kill('SIGTERM');
    await Promise.all([listener?.close(), redirecting?.close(), redirectTarget?.close()]);
    await connection?.close();
  });

  it('a worker with an invalid allowance does not start, and says which', async () => {
    const result = await runOmKinesis(
      [
        'worker',
        '--address',
        address,
        '--allow-openmetadata',
        'https://om.example.com/api',
        '--allow-env',
        'A-B',
      ],
      {},
      { unset: [WORKER_CONFIG_ENV] },
    );
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal(
      [
        'om-kinesis worker: invalid allowances:',
        '  --allow-env (allowEnv in a worker config file): "A-B" is not a variable name, or a prefix such as OM_KINESIS_*',
        '  --allow-openmetadata (allowOpenMetadata in a worker config file): "https://om.example.com/api": expected an origin alone (scheme://host:port), without a path',
        '',
      ].join('\n'),
    );
  });

  describe('1. any worker environment variable sent to any host', () => {
    const token = (value: string) => ({
      server: { authProvider: 'openmetadata', securityConfig: { jwtToken: value } },
    });

    it('a default worker refuses the token ${WORKER_SECRET}, naming --allow-env, and reaches nothing', async () => {
      const config = attackConfig(listener, token('${WORKER_SECRET}'));
      const message = await expectRefused(
        'default',
        config,
        'environment-variable',
        '--allow-env WORKER_SECRET',
      );
      expect(message).to.include(`--allow-openmetadata ${listener.origin}`);
      await expectRefused('base', config, 'environment-variable', '--allow-env WORKER_SECRET');
    });

    it('so do headers, AWS session tokens, inherited names, and the worker with every other allowance', async () => {
      await expectRefused(
        'base',
        attackConfig(listener, { server: { extraHeaders: { 'X-Leak': '${AWS_SECRET_ACCESS_KEY}' } } }),
        'environment-variable',
        '--allow-env AWS_SECRET_ACCESS_KEY',
      );
      await expectRefused(
        'base',
        attackConfig(listener, { aws: { awsSessionToken: '${WORKER_SECRET}' } }),
        'environment-variable',
        '--allow-env WORKER_SECRET',
      );
      await expectRefused(
        'base',
        attackConfig(listener, token('${constructor}')),
        'environment-variable',
        '--allow-env constructor',
      );
      await expectRefused(
        'base',
        attackConfig(listener, token('${OM_KINESIS_SECRETS_KEY}')),
        'sealing-key',
        undefined,
      );
    });

    it('only --allow-env lets it through; --env-binding keeps it for its own server', async () => {
      await worker('env', [...baseOptions(), '--allow-env', 'WORKER_SECRET']);
      const before = listener.received.length;
      await attack('env', attackConfig(listener, token('${WORKER_SECRET}')));
      expect(listener.received.slice(before).map((r) => r.headers.authorization)).to.include(
        `Bearer ${WORKER_ENV.WORKER_SECRET}`,
      );

      await worker('bound', [...baseOptions(), '--env-binding', 'WORKER_SECRET=https://om.example.com']);
      const message = await expectRefused(
        'bound',
        attackConfig(listener, token('${WORKER_SECRET}')),
        'env-binding',
        `--env-binding WORKER_SECRET=${listener.origin}`,
      );
      expect(message).to.include('which this worker sends only to https://om.example.com:443');
    });
  });

  describe("2. the worker's own AWS identity acting for the submitter", () => {
    const keyless = () =>
      attackConfig(listener, { aws: { awsAccessKeyId: undefined, awsSecretAccessKey: undefined } });

    it('a default worker refuses a config without keys, a role and a profile of its own', async () => {
      await expectRefused('default', keyless(), 'ambient-credentials', '--allow-ambient-credentials');
      await expectRefused('base', keyless(), 'ambient-credentials', '--allow-ambient-credentials');
      const role = 'arn:aws:iam::123456789012:role/worker-admin';
      await expectRefused(
        'base',
        attackConfig(listener, { aws: { assumeRoleArn: role } }),
        'assume-role',
        `--allow-role ${role}`,
      );
      await expectRefused(
        'base',
        attackConfig(listener, {
          aws: { awsAccessKeyId: undefined, awsSecretAccessKey: undefined, profileName: 'prod' },
        }),
        'aws-profile',
        '--allow-profile prod',
      );
    });

    it('only --allow-ambient-credentials lets the run sign with the worker identity', async () => {
      await worker('ambient', [...baseOptions(), '--allow-ambient-credentials']);
      const before = listener.received.length;
      await attack('ambient', keyless());
      const signed = listener.received.slice(before).map((r) => String(r.headers.authorization ?? ''));
      expect(
        signed.some((header) => header.includes(`Credential=${WORKER_ENV.AWS_ACCESS_KEY_ID}/`)),
      ).to.equal(true);
    });
  });

  describe('3. local files read and sent', () => {
    it('a default worker reads no file a config names, and does not say whether it exists', async () => {
      const existing = path.join(fileDir, 'service-account-token');
      const config = (jwtToken: string) =>
        attackConfig(listener, { server: { authProvider: 'openmetadata', securityConfig: { jwtToken } } });
      const found = await expectRefused('base', config(existing), 'file', `--allow-file-dir ${fileDir}`);
      const missing = await expectRefused(
        'base',
        config(path.join(fileDir, 'no-such-file')),
        'file',
        `--allow-file-dir ${fileDir}`,
      );
      expect(found.replace('service-account-token', 'X')).to.equal(missing.replace('no-such-file', 'X'));
      await expectRefused('base', config('/etc/hostname'), 'file', '--allow-file-dir /etc');
      const ca = attackConfig(listener, {
        server: { verifySSL: 'validate', sslConfig: { caCertificate: existing } },
      });
      await expectRefused('base', ca, 'file', `--allow-file-dir ${fileDir}`);
    });

    it('only --allow-file-dir lets the token file be read', async () => {
      await worker('files', [...baseOptions(), '--allow-file-dir', fileDir]);
      const before = listener.received.length;
      const jwtToken = path.join(fileDir, 'service-account-token');
      await attack(
        'files',
        attackConfig(listener, { server: { authProvider: 'openmetadata', securityConfig: { jwtToken } } }),
      );
      expect(listener.received.slice(before).map((r) => r.headers.authorization)).to.include(
        `Bearer file-token-${nonce}`,
      );
    });
  });

  describe("4. requests to addresses of the submitter's choosing (SSRF)", () => {
    it('refuses link-local addresses even when allowed, and loopback unless listed', async () => {
      const metadata = attackConfig(listener, { server: { hostPort: 'http://169.254.169.254/api' } });
      await expectRefused('base', metadata, 'link-local-address', undefined);
      const mapped = attackConfig(listener, { aws: { endPointURL: 'http://[::ffff:a9fe:a9fe]:80' } });
      await expectRefused('base', mapped, 'link-local-address', undefined);
      const loopback = attackConfig(listener, { server: { hostPort: 'http://127.0.0.1:1/api' } });
      await expectRefused('base', loopback, 'openmetadata-server', '--allow-openmetadata http://127.0.0.1:1');
    });

    it('follows no redirect: the token never reaches where a server points', async () => {
      await worker('redirect', [...baseOptions(), '--allow-env', 'WORKER_SECRET']);
      const outcome = await attack(
        'redirect',
        attackConfig(listener, {
          aws: { endPointURL: redirecting.origin },
          server: {
            hostPort: `${redirecting.origin}/api`,
            authProvider: 'openmetadata',
            securityConfig: { jwtToken: '${WORKER_SECRET}' },
          },
        }),
      );
      expect(outcome.failure?.type).to.equal('OpenMetadataRequestRejected');
      expect(outcome.failure?.message).to.include(
        `a redirect to ${redirectTarget.origin}: redirects are not followed`,
      );
      expect(redirectTarget.received).to.deep.equal([]);
    });

    it('checks a run whose workflow state was forged to skip the checks of prepare', async () => {
      const config = validateIngestionConfigObject(
        attackConfig(listener, {
          server: { authProvider: 'openmetadata', securityConfig: { jwtToken: '${WORKER_SECRET}' } },
        }),
      ).config as IngestionConfig;
      const before = listener.received.length;
      const outcome = await attack(
        'default',
        { ctx: { config, options: DEFAULT_RUN_OPTIONS }, serviceFqn: 'forged', names: ['orders'] },
        'kinesisStreamBatch',
      );
      const batch = outcome.result as BatchResult;
      expect(batch.fatalError?.type).to.equal('WorkerPolicyRefused');
      expect(batch.fatalError?.message).to.include('[rule environment-variable;');
      expect(listener.received.slice(before)).to.deep.equal([]);
    });
  });

  describe('5. a catastrophic filter', () => {
    it('ends at once on a linear-time engine: (a+)+$ against a 128-character stream name', async () => {
      const om = await getOpenMetadata();
      const kinesis = await isolatedKinesis();
      const long = `${'a'.repeat(127)}-`;
      await kinesis.fixture.createStreams([long, 'aaaa'], 1);
      kinesis.fixture.close();
      // A worker started as operators start one for the test stack (its worker config file).
      queues.stack = uniqueName('trust-stack');
      const child = spawn(
        process.execPath,
        [OM_KINESIS_BIN, 'worker', '--address', address, '--task-queue', queues.stack],
        {
          env: { ...process.env, TEST_AWS_SECRET_ACCESS_KEY: 'x' },
          stdio: 'ignore',
        },
      );
      workers.push(child);
      const config = testConfigDocument({
        serviceName: uniqueName('redos'),
        accessKeyId: kinesis.accessKeyId,
        kinesisEndpoint: kinesis.endpoint,
        openMetadataUrl: om.url,
        filter: { includes: ['(a+)+$'] },
      });
      const outcome = await attack('stack', config);
      expect(outcome.failure, outcome.failure?.message).to.equal(undefined);
      expect(outcome.result).to.deep.include({ streamsSeen: 2, filtered: 1, created: 1 });
    });
  });

  describe('6. sealed secrets moved to another input', () => {
    it('a sealed secret does not open once its endpoint and server are changed', async () => {
      const key = 'q0wAYmVz4vBNrz5rTQ3QhE4rEq2Pn6OZ3H1I2Xqk1Ss=';
      const yamlFile = path.join(scratch, 'sealed.yaml');
      writeFileSync(
        yamlFile,
        `source:
  type: kinesis
  serviceName: sealed_${nonce}
  serviceConnection:
    config:
      type: Kinesis
      awsConfig: { awsAccessKeyId: AKIASUBMITTER, awsSecretAccessKey: sealed-aws-${nonce}, awsSessionToken: sealed-session-${nonce}, awsRegion: us-east-1, endPointURL: "https://kinesis.us-east-1.amazonaws.com" }
  sourceConfig: { config: { type: MessagingMetadata } }
sink: { type: metadata-rest, config: {} }
workflowConfig:
  openMetadataServerConfig: { hostPort: "https://om.example.com/api", authProvider: openmetadata, securityConfig: { jwtToken: sealed-token-${nonce} } }
`,
      );
      const printed = await runOmKinesis(['input', '-c', yamlFile], { OM_KINESIS_SECRETS_KEY: key });
      expect(printed.code, printed.stderr).to.equal(0);
      expect(printed.stdout).to.not.match(new RegExp(`sealed-(aws|session|token)-${nonce}`));
      const sealed = JSON.parse(printed.stdout) as { config: ReturnType<typeof attackConfig> };
      const stolen = sealed.config;
      // The attacker keeps the sealed values and points them at the listener.
      stolen.source.serviceConnection.config.awsConfig.endPointURL = listener.origin;
      stolen.workflowConfig.openMetadataServerConfig.hostPort = `${listener.origin}/api`;
      stolen.source.serviceName = uniqueName('stolen');
      await worker('sealed', baseOptions(), { OM_KINESIS_SECRETS_KEY: key });
      const before = listener.received.length;
      const outcome = await attack('sealed', stolen);
      expect(outcome.failure?.type).to.equal('SecretUnavailable');
      expect(outcome.failure?.message).to.include(
        'sealed for another field, server, endpoint, region, role or TLS setting',
      );
      expect(listener.received.slice(before)).to.deep.equal([]);
    });
  });

  describe('7. secrets the CLI would have put into history', () => {
    const write = (name: string, hostPort: string) => {
      const file = path.join(scratch, name);
      writeFileSync(
        file,
        `source:
  type: kinesis
  serviceName: leaky
  serviceConnection:
    config:
      type: Kinesis
      awsConfig: { awsAccessKeyId: AKIAX, awsSecretAccessKey: "\${CLI_TEST_SECRET}", awsRegion: us-east-1 }
  sourceConfig: { config: { type: MessagingMetadata } }
sink: { type: metadata-rest, config: { password: sink-pass-${nonce} } }
workflowConfig:
  openMetadataServerConfig:
    hostPort: "${hostPort}"
    authProvider: openmetadata
    securityConfig: { jwtToken: "\${CLI_TEST_SECRET}" }
    sslConfig: { sslKey: ssl-key-${nonce} }
    secretsManagerCredentials: { awsSecretAccessKey: sm-secret-${nonce} }
`,
      );
      return file;
    };

    it('refuses user names in URLs and never expands the sealing key, repeating neither', async () => {
      const file = write(
        'leaky-url.yaml',
        `https://bob:hunter2-${nonce}@om.example.com/\${OM_KINESIS_SECRETS_KEY}/api`,
      );
      const key = `key-${nonce}-long-enough`;
      const result = await runOmKinesis(['input', '-c', file], {
        CLI_TEST_SECRET: 'x',
        OM_KINESIS_SECRETS_KEY: key,
      });
      expect(result.code).to.equal(2);
      expect(result.stderr)
        .to.include('workflowConfig.openMetadataServerConfig.hostPort: Refers to OM_KINESIS_SECRETS_KEY')
        .and.include(
          'workflowConfig.openMetadataServerConfig.hostPort: Must not hold a user name or password',
        );
      expect(result.stdout + result.stderr).to.not.include(nonce);
    });

    it('seals, or refuses without a key, every secret field of the schema', async () => {
      const file = write('leaky-fields.yaml', 'https://om.example.com/api');
      const refused = await runOmKinesis(
        ['input', '-c', file],
        { CLI_TEST_SECRET: 'x' },
        { unset: ['OM_KINESIS_SECRETS_KEY'] },
      );
      expect(refused.code).to.equal(2);
      for (const field of [
        'sslConfig.sslKey',
        'secretsManagerCredentials.awsSecretAccessKey',
        'sink.config.password',
      ]) {
        expect(refused.stderr).to.include(`${field}: a literal secret would be stored in Temporal history`);
      }
      expect(refused.stdout + refused.stderr).to.not.include(nonce);
      const sealed = await runOmKinesis(['input', '-c', file], {
        CLI_TEST_SECRET: 'x',
        OM_KINESIS_SECRETS_KEY: `key-${nonce}-long-enough`,
      });
      expect(sealed.code, sealed.stderr).to.equal(0);
      expect(sealed.stdout).to.include('"password": "sealed:v2:').and.not.include(nonce);
    });
  });

  describe('8. what is printed', () => {
    it('removes an echoed token before shortening, in its encoded forms, and escapes control characters', async () => {
      const secret = WORKER_ENV.WORKER_SECRET;
      // The token at offset 190: a cut at 200 characters before redaction would leave its start.
      const echoed = `\u001b[2J\u001b]0;owned\u0007${'x'.repeat(178)}${secret} ${Buffer.from(`bot:${secret}`).toString('base64')} ${encodeURIComponent(`${secret}=`)}`;
      const echo = await capturingListener((_url, kinesis) =>
        kinesis ? EMPTY_LISTING : { status: 400, body: echoed },
      );
      try {
        await worker('echo', [
          '--allow-openmetadata',
          echo.origin,
          '--allow-aws-endpoint',
          echo.origin,
          '--allow-env',
          'WORKER_SECRET',
        ]);
        const outcome = await attack(
          'echo',
          attackConfig(listener, {
            aws: { endPointURL: echo.origin },
            server: {
              hostPort: `${echo.origin}/api`,
              authProvider: 'openmetadata',
              securityConfig: { jwtToken: '${WORKER_SECRET}' },
            },
          }),
        );
        const message = outcome.failure?.message ?? '';
        expect(message).to.include('OpenMetadata rejected GET system/version (400)').and.include('***');
        expect(message).to.not.include(WORKER_ENV.WORKER_SECRET.slice(0, 12));
        expect(printable(message), 'no control character left').to.equal(message);
        expect(message).to.include('\\x1b[2J');
      } finally {
        await echo.close();
      }
    });
  });
});
