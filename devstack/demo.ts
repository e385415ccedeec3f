// `npm run demo`: the product end to end on the local stack. Starts kinesis-local with a few
// demo streams and the OpenMetadata test server, writes the YAML a user would give
// `metadata ingest`, and runs `om-kinesis ingest -c` on it exactly as a user would (with no
// Temporal cluster configured, so the CLI starts its own dev server and worker). Then shows
// what OpenMetadata received, and stops everything it started.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SECRET_ENV, demoConfigYaml, seedDemoAccount } from './demo-streams.js';
import { startKinesisLocal } from './kinesis-local.js';
import { startOpenMetadataTestServer } from './openmetadata-test-server.js';
import { projectRoot } from '../client/local-temporal/temporal-cli.js';

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
    await seedDemoAccount(kinesis.endpoint, kinesis.region);
    const configFile = path.join(stateDir, 'demo-config.yaml');
    writeFileSync(
      configFile,
      demoConfigYaml({
        kinesisEndpoint: kinesis.endpoint,
        region: kinesis.region,
        openMetadataUrl: openMetadata.url,
      }),
    );
    console.log(
      `config:                     ${configFile}\n\n$ om-kinesis ingest -c ${path.relative(root, configFile)}`,
    );

    const code = await runCli(['ingest', '-c', configFile], { [DEMO_SECRET_ENV]: 'demo-secret' });

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
