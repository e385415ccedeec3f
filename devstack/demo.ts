// `npm run demo`: the product end to end on the local stack. Starts kinesis-local with a few
// demo streams and the OpenMetadata test server, writes the YAML a user would give
// `metadata ingest`, and runs `om-kinesis ingest -c` on it exactly as a user would (with no
// Temporal cluster configured, so the CLI starts its own dev server and worker). Then shows
// what OpenMetadata received, and stops everything it started.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KinesisFixture } from './kinesis-fixture.js';
import { startKinesisLocal } from './kinesis-local.js';
import { startOpenMetadataTestServer } from './openmetadata-test-server.js';
import { projectRoot } from './temporal-cli.js';

const DEMO_ACCOUNT = '111122223333';

async function run(): Promise<void> {
  // As in bin/om-kinesis.js: the SDK's Node 20 notice is for maintainers, not for the demo.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const root = projectRoot();
  const stateDir = path.join(root, '.devstack');
  mkdirSync(stateDir, { recursive: true });
  const [kinesis, openMetadata] = await Promise.all([
    startKinesisLocal({ logDir: stateDir }),
    startOpenMetadataTestServer(),
  ]);
  try {
    console.log(`kinesis-local:              ${kinesis.endpoint}`);
    console.log(`OpenMetadata test server:   ${openMetadata.url}`);
    await seedDemoStreams(
      new KinesisFixture({ endpoint: kinesis.endpoint, region: kinesis.region, accessKeyId: DEMO_ACCOUNT }),
    );
    const configFile = path.join(stateDir, 'demo-config.yaml');
    writeFileSync(configFile, demoConfig(kinesis.endpoint, kinesis.region, openMetadata.url));
    console.log(
      `config:                     ${configFile}\n\n$ om-kinesis ingest -c ${path.relative(root, configFile)}`,
    );

    const code = await runCli(['ingest', '-c', configFile], { DEMO_AWS_SECRET_ACCESS_KEY: 'demo-secret' });

    console.log('\nTopics now in OpenMetadata:');
    for (const topic of openMetadata.topics().sort((a, b) => a.name.localeCompare(b.name))) {
      const samples = topic.sampleData?.messages.length ?? 0;
      console.log(
        `  ${topic.fullyQualifiedName}  partitions=${topic.partitions}  sample messages=${samples}`,
      );
    }
    process.exitCode = code;
  } finally {
    await Promise.all([kinesis.stop(), openMetadata.close()]);
  }
}

async function seedDemoStreams(fixture: KinesisFixture): Promise<void> {
  try {
    await fixture.createStreams(['orders.v1', 'clickstream', 'payments.raw', 'audit-log', '_tmp_scratch'], 2);
    await fixture.putRecords('orders.v1', [
      '{"orderId":1001,"customer":"ada","total":42.5}',
      '{"orderId":1002,"customer":"grace","total":7}',
      '{"orderId":1003,"customer":"linus","total":19.99}',
    ]);
    await fixture.putRecords('clickstream', ['GET /home 200', 'GET /cart 200', 'POST /checkout 302']);
    await fixture.putRecords('payments.raw', [
      new Uint8Array([0x0a, 0x03, 0x45, 0x55, 0x52, 0x10, 0xff, 0x01]),
    ]);
    await fixture.putRecords('audit-log', ['user ada logged in']);
    // A split leaves a closed parent shard that still holds data: it is sampled, not counted.
    await fixture.splitShard('audit-log');
    await fixture.putRecords('audit-log', ['user ada logged out']);
  } finally {
    fixture.close();
  }
}

function demoConfig(endpoint: string, region: string, openMetadataUrl: string): string {
  return `# The YAML users give \`metadata ingest -c\`, unchanged: om-kinesis takes it as it is.
source:
  type: kinesis
  serviceName: demo_kinesis
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsAccessKeyId: "${DEMO_ACCOUNT}"
        awsSecretAccessKey: \${DEMO_AWS_SECRET_ACCESS_KEY}
        awsRegion: ${region}
        endPointURL: ${endpoint}
  sourceConfig:
    config:
      type: MessagingMetadata
      topicFilterPattern:
        excludes: ["_tmp.*"]
      generateSampleData: true
      markDeletedTopics: true
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  loggerLevel: INFO
  openMetadataServerConfig:
    hostPort: ${openMetadataUrl}
    authProvider: no-auth
`;
}

function runCli(args: string[], env: Record<string, string>): Promise<number> {
  const cli = path.join(projectRoot(), 'bin', 'om-kinesis.js');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.TEMPORAL_ADDRESS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env: childEnv });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

run().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
