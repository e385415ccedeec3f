// kinesis-local (the npm build of kinesis-mock) as a child process.
//
// Accounts: one instance serves many AWS accounts. A request signed with a 12-digit access key
// id (e.g. `111111111111`) reads and writes the streams of that account; any other access key
// id uses the default account `000000000000`. Tests can therefore isolate their streams from
// each other's by signing with their own 12-digit "access key id" (see KinesisFixture's
// `accessKeyId`), without starting another server.
//
// kinesis-local has no setting for its bind address: it listens on all interfaces.
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { createRequire } from 'node:module';
import path from 'node:path';

import { getFreePorts } from '../client/local-temporal/free-port.js';
import { createKinesisClient } from './kinesis-fixture.js';
import { startProcess, waitUntilReady } from '../client/local-temporal/processes.js';
import type { ProcessExit } from '../client/local-temporal/processes.js';

export interface KinesisLocalOptions {
  logDir: string;
  /** Plain HTTP port (default: a free port). The TLS port is always a free port. */
  port?: number;
  /** Default `us-east-1`. */
  region?: string;
  /** Default 30 s. */
  readyTimeoutMs?: number;
}

export interface KinesisLocal {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  region: string;
  pid: number;
  logFile: string;
  exited: Promise<ProcessExit>;
  stop(): Promise<void>;
}

// The largest value kinesis-mock accepts for its Int settings.
const UNLIMITED = String(2 ** 31 - 1);

/** Starts kinesis-local and resolves once a ListStreams call succeeds. */
export async function startKinesisLocal(options: KinesisLocalOptions): Promise<KinesisLocal> {
  const host = '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const [freePlain, tlsPort] = await getFreePorts(2, host);
  const port = options.port ?? freePlain;
  if (port === undefined || tlsPort === undefined)
    throw new Error('Could not get free ports for kinesis-local');
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('kinesis-local/package.json'));

  const proc = await startProcess({
    name: 'kinesis-local',
    command: process.execPath,
    args: [path.join(packageDir, 'main.js')],
    cwd: packageDir,
    logDir: options.logDir,
    env: {
      KINESIS_MOCK_PLAIN_PORT: String(port),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      KINESIS_MOCK_CERT_PATH: path.join(packageDir, 'server.json'),
      // State changes (CREATING -> ACTIVE, ...) take 500 ms each by default: make them instant.
      CREATE_STREAM_DURATION: '0ms',
      DELETE_STREAM_DURATION: '0ms',
      SPLIT_SHARD_DURATION: '0ms',
      MERGE_SHARDS_DURATION: '0ms',
      UPDATE_SHARD_COUNT_DURATION: '0ms',
      UPDATE_STREAM_MODE_DURATION: '0ms',
      REGISTER_STREAM_CONSUMER_DURATION: '0ms',
      DEREGISTER_STREAM_CONSUMER_DURATION: '0ms',
      START_STREAM_ENCRYPTION_DURATION: '0ms',
      STOP_STREAM_ENCRYPTION_DURATION: '0ms',
      // Bulk tests create thousands of shards and on-demand streams (defaults: 50 and 10).
      SHARD_LIMIT: UNLIMITED,
      ON_DEMAND_STREAM_COUNT_LIMIT: UNLIMITED,
      LOG_LEVEL: 'WARN',
      AWS_REGION: region,
      SHOULD_PERSIST_DATA: 'false',
    },
  });

  const endpoint = `http://${host}:${port}`;
  const client = createKinesisClient({ endpoint, region, maxAttempts: 1, requestTimeoutMs: 2_000 });
  try {
    await waitUntilReady(proc, () => client.send(new ListStreamsCommand({ Limit: 1 })).then(() => true), {
      what: `kinesis-local at ${endpoint}`,
      timeoutMs: options.readyTimeoutMs ?? 30_000,
    });
  } catch (error) {
    await proc.stop();
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    region,
    pid: proc.pid,
    logFile: proc.logFile,
    exited: proc.exited,
    stop: () => proc.stop(),
  };
}
