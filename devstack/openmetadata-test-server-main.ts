// Runs the OpenMetadata API test server standalone, for local development against the pipeline:
//   node dist/devstack/openmetadata-test-server-main.js --port 8585 [--host 127.0.0.1] [--token T]
// Point `workflowConfig.openMetadataServerConfig.hostPort` at the printed URL. State lives in
// memory and is gone when the process stops (SIGINT or SIGTERM).
import { parseArgs } from 'node:util';

import { startOpenMetadataTestServer } from './openmetadata-test-server.js';

const USAGE =
  'Usage: openmetadata-test-server-main [--port 8585] [--host 127.0.0.1] [--token <jwt>] [--om-version 1.3.1]';

function readPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535 (0 picks a free port), got "${text}"`);
  }
  return port;
}

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8585' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      'om-version': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const server = await startOpenMetadataTestServer({
    port: readPort(values.port),
    host: values.host,
    jwtToken: values.token,
    version: values['om-version'],
  });
  console.log(`OpenMetadata test server listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}

run().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(USAGE);
  process.exitCode = 1;
});
