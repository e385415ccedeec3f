// `npm run temporal:dev`: the Temporal dev server of temporal-dev.yaml (Web UI on, state kept in
// its db file), in the foreground until Ctrl-C.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { defaultDevStackConfigPath, loadDevStackConfig } from './dev-stack-config.js';
import { startTemporalDevServer } from '../client/local-temporal/temporal-dev-server.js';
import { projectRoot } from '../client/local-temporal/temporal-cli.js';

async function run(): Promise<void> {
  const configPath = defaultDevStackConfigPath();
  const { temporal, taskQueue } = loadDevStackConfig(configPath);
  mkdirSync(path.dirname(temporal.dbFilename), { recursive: true });
  // Listen first: a Ctrl-C while the server is still starting stops it once it is up.
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

  const server = await startTemporalDevServer({
    ip: temporal.ip,
    port: temporal.port,
    uiPort: temporal.uiPort,
    headless: !temporal.ui,
    namespace: temporal.namespace,
    dbFilename: temporal.dbFilename,
    searchAttributes: temporal.searchAttributes,
    logLevel: temporal.logLevel,
    logDir: path.join(projectRoot(), '.devstack', 'logs'),
  });
  console.log(`Temporal dev server (${configPath})`);
  console.log(`  gRPC:       ${server.address}`);
  if (server.uiUrl) console.log(`  Web UI:     ${server.uiUrl}`);
  console.log(`  namespace:  ${server.namespace}   task queue: ${taskQueue}`);
  console.log(`  state:      ${temporal.dbFilename}`);
  console.log(`  log:        ${server.logFile}`);
  console.log(`  CLI:        ${server.cli.path} (from ${server.cli.source})`);
  console.log('Press Ctrl-C to stop.');

  const outcome = await Promise.race([stopRequested, server.exited.then(() => 'exited' as const)]);
  if (outcome === 'exited') {
    throw new Error(`The Temporal dev server stopped on its own; see ${server.logFile}`);
  }
  console.log('Stopping the Temporal dev server...');
  await server.stop();
}

run().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
