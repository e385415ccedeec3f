// `npm run stack`: the whole local stack of temporal-dev.yaml for trying the product out, in the
// foreground until Ctrl-C: the Temporal dev server with its Web UI (state kept in its db file),
// kinesis-local seeded with the demo streams, the OpenMetadata test server, and a worker of the
// product on the task queue. Writes a ready-to-use ingestion config and prints the URLs and the
// commands to run against it. Stops everything it started on the way out, also on failure.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import { destroyAwsClients } from '../activities/aws/aws-clients.js';
import { secretsKeyringFrom } from '../common/sealed-secrets.js';
import { requiredPolicy, type RunPolicy } from '../activities/policy/run-policy.js';
import { IngestionWorkerLogger } from '../worker/worker-logger.js';
import { createIngestionWorker } from '../worker/create-worker.js';
import {
  DEMO_ACCOUNT,
  DEMO_SECRET_ENV,
  DEMO_SERVICE_NAME,
  DEMO_STREAMS,
  demoConfigYaml,
  seedDemoAccount,
} from './demo-streams.js';
import { defaultDevStackConfigPath, loadDevStackConfig, type DevStackConfig } from './dev-stack-config.js';
import { startKinesisLocal } from './kinesis-local.js';
import { startOpenMetadataTestServer } from './openmetadata-test-server.js';
import { projectRoot } from '../client/local-temporal/temporal-cli.js';
import { startTemporalDevServer } from '../client/local-temporal/temporal-dev-server.js';

/** The variable the stack's config reads the OpenMetadata JWT from, when temporal-dev.yaml sets one. */
const JWT_ENV = 'OPENMETADATA_JWT_TOKEN';
/** kinesis-local accepts any secret; the stack's worker resolves this one for the demo config. */
const DEMO_SECRET = 'demo-secret';

/** Thrown when a port temporal-dev.yaml names is taken by another process. */
export class PortInUseError extends Error {
  readonly code = 'DEV_STACK_PORT_IN_USE';
  constructor(
    readonly busy: readonly { key: string; host: string; port: number }[],
    configPath: string,
  ) {
    super(
      `${busy.map(({ key, host, port }) => `Port ${port} (${key} in ${configPath}) is already in use on ${host}.`).join('\n')}\n` +
        'Stop what listens there (another `npm run stack` or `npm run temporal:dev`?), or set another port under that key.',
    );
    this.name = 'PortInUseError';
  }
}

interface PortClaim {
  /** The temporal-dev.yaml key that sets the port. */
  key: string;
  host: string;
  port: number;
}

function portsOf(config: DevStackConfig): PortClaim[] {
  const claims: PortClaim[] = [
    { key: 'temporal.port', host: config.temporal.ip, port: config.temporal.port },
  ];
  if (config.temporal.ui)
    claims.push({ key: 'temporal.uiPort', host: config.temporal.ip, port: config.temporal.uiPort });
  // kinesis-local listens on every interface.
  claims.push({ key: 'kinesisLocal.port', host: '0.0.0.0', port: config.kinesisLocal.port });
  claims.push({ key: 'openMetadata.port', host: '127.0.0.1', port: config.openMetadata.port });
  return claims;
}

/** Fails with every busy port named, before anything is started. */
async function assertPortsFree(config: DevStackConfig, configPath: string): Promise<void> {
  const claims = portsOf(config);
  const taken = await Promise.all(claims.map((claim) => isPortTaken(claim.host, claim.port)));
  const busy = claims.filter((_, index) => taken[index]);
  if (busy.length > 0) throw new PortInUseError(busy, configPath);
}

function isPortTaken(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(true);
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** Ctrl-C (SIGINT) or SIGTERM received so far. */
let signals = 0;

/** What has been started so far, stopped in reverse order (the worker before the servers). */
class Started {
  private readonly stops: { name: string; stop: () => Promise<void> }[] = [];

  add(name: string, stop: () => Promise<void>): void {
    this.stops.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    for (const { name, stop } of this.stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(
          `Could not stop ${name} cleanly: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.stops.length = 0;
  }
}

async function run(): Promise<void> {
  // As in bin/om-kinesis.js: the SDK's Node 20 notice is for maintainers, not for the stack.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const configPath = defaultDevStackConfigPath();
  const config = loadDevStackConfig(configPath);
  const root = projectRoot();
  const stateDir = path.join(root, '.devstack');
  const logDir = path.join(stateDir, 'logs');
  mkdirSync(path.dirname(config.temporal.dbFilename), { recursive: true });
  mkdirSync(logDir, { recursive: true });
  await assertPortsFree(config, configPath);

  // Listen first: a Ctrl-C while the stack is starting stops what has started once it is up.
  // A second Ctrl-C exits at once (processes.ts then kills the child processes).
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      signals += 1;
      if (signals > 1) {
        console.error('Stopping now, without waiting.');
        process.exit(130);
      }
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  // This program owns shutdown: the worker stops when the stack stops, not on its own.
  Runtime.install({ logger: new IngestionWorkerLogger('WARN'), shutdownSignals: [] });

  const started = new Started();
  try {
    console.log(`Starting the local stack of ${path.relative(root, configPath)}...`);
    const [temporal, kinesis, openMetadata] = await Promise.all([
      startTemporalDevServer({
        ip: config.temporal.ip,
        port: config.temporal.port,
        uiPort: config.temporal.uiPort,
        headless: !config.temporal.ui,
        namespace: config.temporal.namespace,
        dbFilename: config.temporal.dbFilename,
        searchAttributes: config.temporal.searchAttributes,
        logLevel: config.temporal.logLevel,
        logDir,
      }).then((server) => {
        started.add('the Temporal dev server', () => server.stop());
        return server;
      }),
      startKinesisLocal({ port: config.kinesisLocal.port, region: config.kinesisLocal.region, logDir }).then(
        (server) => {
          started.add('kinesis-local', () => server.stop());
          return server;
        },
      ),
      startOpenMetadataTestServer({
        port: config.openMetadata.port,
        ...(config.openMetadata.jwtToken ? { jwtToken: config.openMetadata.jwtToken } : {}),
      }).then((server) => {
        started.add('the OpenMetadata test server', () => server.close());
        return server;
      }),
    ]);

    await seedDemoAccount(kinesis.endpoint, kinesis.region);

    // The stack allows its own servers and variables, as an operator's worker would its own.
    const policy = requiredPolicy({
      allowEnv: [DEMO_SECRET_ENV, JWT_ENV],
      allowOpenMetadata: [new URL(openMetadata.url).origin],
      allowAwsEndpoints: [kinesis.endpoint],
    });
    const worker = await startWorker(config, temporal.address, started, policy);
    const configFile = path.join(stateDir, 'stack-config.yaml');
    writeFileSync(
      configFile,
      demoConfigYaml({
        kinesisEndpoint: kinesis.endpoint,
        region: kinesis.region,
        openMetadataUrl: openMetadata.url,
        ...(config.openMetadata.jwtToken ? { jwtTokenEnv: JWT_ENV } : {}),
        header:
          'Written by `npm run stack` for its kinesis-local and OpenMetadata test server; rewritten at each start.\n' +
          `The stack's worker resolves \${${DEMO_SECRET_ENV}}${config.openMetadata.jwtToken ? ` and \${${JWT_ENV}}` : ''}.`,
      }),
    );

    printStack({
      config,
      configPath: path.relative(root, configPath),
      configFile: path.relative(root, configFile),
      temporalAddress: temporal.address,
      uiUrl: temporal.uiUrl,
      kinesisEndpoint: kinesis.endpoint,
      openMetadataUrl: openMetadata.url,
      logDir: path.relative(root, logDir),
    });

    const outcome = await Promise.race([
      stopRequested,
      temporal.exited.then(() => `the Temporal dev server stopped on its own; see ${temporal.logFile}`),
      kinesis.exited.then(() => `kinesis-local stopped on its own; see ${kinesis.logFile}`),
      worker.running.then(() => 'the worker stopped on its own'),
    ]);
    if (outcome !== 'SIGINT' && outcome !== 'SIGTERM') throw new Error(outcome);
    console.log('\nStopping the local stack...');
  } finally {
    await started.stopAll();
  }
  console.log('Stopped.');
}

/** The product's worker on the stack's task queue; `running` settles when it stops or fails. */
async function startWorker(
  config: DevStackConfig,
  address: string,
  started: Started,
  policy: RunPolicy,
): Promise<{ running: Promise<void> }> {
  const connection = await NativeConnection.connect({ address });
  started.add('the worker connection', () => connection.close());
  const env: Record<string, string | undefined> = { [DEMO_SECRET_ENV]: DEMO_SECRET, ...process.env };
  if (config.openMetadata.jwtToken) env[JWT_ENV] = config.openMetadata.jwtToken;
  // Like `om-kinesis worker`: configs sealed by a CLI with OM_KINESIS_SECRETS_KEY are opened here.
  const worker = await createIngestionWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.taskQueue,
    activities: { env, keyring: secretsKeyringFrom(process.env), policy },
  });
  const running = worker.run();
  started.add('the worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    destroyAwsClients();
  });
  // Raced against the other ends of the stack below; until then, a failure must not go unhandled.
  running.catch(() => undefined);
  return { running };
}

function printStack(stack: {
  config: DevStackConfig;
  configPath: string;
  configFile: string;
  temporalAddress: string;
  uiUrl: string | undefined;
  kinesisEndpoint: string;
  openMetadataUrl: string;
  logDir: string;
}): void {
  const { config } = stack;
  const namespace = config.temporal.namespace;
  const env = [
    `TEMPORAL_ADDRESS=${stack.temporalAddress}`,
    ...(namespace === 'default' ? [] : [`TEMPORAL_NAMESPACE=${namespace}`]),
  ].join(' ');
  const taskQueue = config.taskQueue === 'om-kinesis' ? '' : ` --task-queue ${config.taskQueue}`;
  const filter = encodeURIComponent(`OmKinesisService="${DEMO_SERVICE_NAME}"`);
  const auth = config.openMetadata.jwtToken ? ` -H "Authorization: Bearer $${JWT_ENV}"` : '';
  const lines = [
    '',
    `Local stack up (${stack.configPath}):`,
    `  Temporal gRPC:          ${stack.temporalAddress}   namespace ${namespace}, task queue ${config.taskQueue}`,
    stack.uiUrl
      ? `  Temporal Web UI:        ${stack.uiUrl}/namespaces/${namespace}/workflows`
      : '  Temporal Web UI:        off (temporal.ui: false)',
    `  kinesis-local:          ${stack.kinesisEndpoint}   region ${config.kinesisLocal.region}, account ${DEMO_ACCOUNT}, streams ${DEMO_STREAMS.join(', ')}`,
    `  OpenMetadata (test):    ${stack.openMetadataUrl}`,
    `  worker:                 in this process, on task queue ${config.taskQueue}`,
    `  Temporal state:         ${path.relative(projectRoot(), config.temporal.dbFilename)}   logs: ${stack.logDir}`,
    `  ingestion config:       ${stack.configFile}   (service ${DEMO_SERVICE_NAME})`,
    '',
    `Try it, from another terminal in this directory (the CLI passes \${${DEMO_SECRET_ENV}} on as written: the stack's worker resolves it):`,
    `  ${env} npx om-kinesis ingest -c ${stack.configFile}${taskQueue}`,
    `  ${env} npx om-kinesis status ${DEMO_SERVICE_NAME}`,
    `  ${env} npx om-kinesis schedule create -c ${stack.configFile} --every 10m${taskQueue}`,
    `  ${env} npx om-kinesis schedule describe ${DEMO_SERVICE_NAME}`,
    ...(stack.uiUrl ? [`  open ${stack.uiUrl}/namespaces/${namespace}/workflows?query=${filter}`] : []),
    `  curl${auth} '${stack.openMetadataUrl}/v1/topics?service=${DEMO_SERVICE_NAME}'`,
    '',
    'Press Ctrl-C to stop everything.',
  ];
  console.log(lines.join('\n'));
}

run().catch((error: unknown) => {
  // A Ctrl-C in a terminal also reaches the servers still starting, which then fail to start.
  if (signals > 0) {
    console.log('Stopped while starting.');
    return;
  }
  console.error(`npm run stack: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
