import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { TemporalCliNotFoundError } from './temporal-cli.js';
import { startTemporalDevServer } from './temporal-dev-server.js';
import { SEARCH_ATTRIBUTE_KEYS, SEARCH_ATTRIBUTES } from '../../common/search-attributes.js';

/** A Temporal server this process started for one local run, and connections to it. */
export interface LocalTemporal {
  connection: Connection;
  nativeConnection: NativeConnection;
  namespace: string;
  /** Which binary served, for the user to see. */
  source: string;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway Temporal dev server for `om-kinesis ingest` with no cluster configured,
 * so that it runs like `metadata ingest`. The binary is found in the documented order
 * (TEMPORAL_CLI_PATH, PATH, the project's .tools), and as a last resort the SDK downloads one
 * (which needs internet access).
 */
export async function startLocalTemporal(): Promise<LocalTemporal> {
  const logDir = mkdtempSync(path.join(tmpdir(), 'om-kinesis-temporal-'));
  try {
    const server = await startTemporalDevServer({
      logDir,
      headless: true,
      searchAttributes: SEARCH_ATTRIBUTES,
    });
    const connection = await Connection.connect({ address: server.address });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    return {
      connection,
      nativeConnection,
      namespace: server.namespace,
      source: `${server.cli.path} (${server.cli.source})`,
      async stop() {
        await nativeConnection.close();
        await connection.close();
        await server.stop();
      },
    };
  } catch (error) {
    if (!(error instanceof TemporalCliNotFoundError)) throw error;
    return startWithSdkDownload(error);
  }
}

async function startWithSdkDownload(notFound: TemporalCliNotFoundError): Promise<LocalTemporal> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  let env;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        searchAttributes: Object.values(SEARCH_ATTRIBUTE_KEYS),
      },
    });
  } catch (error) {
    throw new TemporalCliNotFoundError(
      `${notFound.message}\n(The Temporal SDK's own download was tried last and failed: ${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return {
    connection: env.connection,
    nativeConnection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    source: 'downloaded by the Temporal SDK',
    stop: () => env.teardown(),
  };
}
