// The Temporal dev server (`temporal server start-dev`) as a child process, for tests and local
// development. Restartable: stop it and start it again on the same ports and db file.
import { Connection } from '@temporalio/client';
import { connect } from 'node:net';

import {
  INDEXED_VALUE_TYPES,
  searchAttributeTypeName,
  type SearchAttributeTypeName,
} from '../../common/search-attributes.js';
import { getFreePort } from './free-port.js';
import { startProcess, waitUntilReady } from './processes.js';
import type { ProcessExit } from './processes.js';
import { resolveTemporalCli } from './temporal-cli.js';
import type { ResolvedTool } from './temporal-cli.js';

/** Search attribute types, as the CLI's `--search-attribute Name=Type` spells them. */
export type SearchAttributeType = SearchAttributeTypeName;

export type TemporalLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface TemporalDevServerOptions {
  /** gRPC frontend port (default: a free port). */
  port?: number;
  /** Web UI port; ignored when headless (default: a free port). */
  uiPort?: number;
  /** Default true: no Web UI, which starts faster. */
  headless?: boolean;
  /** Namespace to create and wait for (default `default`, which always exists). */
  namespace?: string;
  /** SQLite file to persist state in; omitted = in memory, lost when the process stops. */
  dbFilename?: string;
  searchAttributes?: Record<string, SearchAttributeType>;
  /** Merged over {@link DEFAULT_DYNAMIC_CONFIG}. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /**
   * Start it as a user does: `temporal server start-dev` with no dynamic config (only the
   * address, UI, namespace and log flags, and the search attributes asked for). For tests of
   * what a server nobody tuned does.
   */
  plain?: boolean;
  logDir: string;
  /** Address to bind (default 127.0.0.1). */
  ip?: string;
  logLevel?: TemporalLogLevel;
  /** Default: {@link resolveTemporalCli}. */
  cli?: ResolvedTool;
  /** Default 30 s: a 2-core machine starting several servers at once is slow. */
  readyTimeoutMs?: number;
}

export interface TemporalDevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  port: number;
  uiUrl?: string;
  uiPort?: number;
  namespace: string;
  dbFilename?: string;
  pid: number;
  logFile: string;
  cli: ResolvedTool;
  /** Settles when the server process has exited, for whatever reason. */
  exited: Promise<ProcessExit>;
  /** Graceful (SIGTERM, up to 10 s) with a db file; immediate when in memory. */
  stop(): Promise<void>;
}

/**
 * Dynamic config applied unless overridden.
 * - Forcing a search-attribute cache refresh on read makes attributes registered at start (or
 *   added by {@link startTemporalDevServer} on a reused db file) usable by the very next
 *   request, instead of after the cache's refresh interval.
 * - One partition per task queue: Temporal divides a task queue's rate limit evenly between
 *   its partitions (4 by default), each dispatching only its own backlog, so the describe
 *   queue's 20/s would be dispatched as four 5/s queues that run dry unevenly. The dev server
 *   takes no per-queue settings, and one host needs no more partitions for any queue. (The
 *   docs/operations.md shows the per-queue setting for a production cluster.)
 */
export const DEFAULT_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

/** Thrown when a search attribute already exists on the server with another type. */
export class SearchAttributeConflictError extends Error {
  readonly code = 'SEARCH_ATTRIBUTE_CONFLICT';
  constructor(name: string, wanted: SearchAttributeType, actual: string) {
    super(
      `Search attribute ${name} exists with type ${actual}, but ${wanted} was requested. ` +
        'Types cannot be changed: use a new db file (or delete the old one) or another attribute name.',
    );
    this.name = 'SearchAttributeConflictError';
  }
}

const STOP_GRACE_MS = 10_000;

/** Starts the dev server and resolves once the namespace answers and the search attributes exist. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const headless = options.headless ?? true;
  const namespace = options.namespace ?? 'default';
  const searchAttributes = options.searchAttributes ?? {};
  const cli = options.cli ?? resolveTemporalCli();
  const port = options.port ?? (await getFreePort(ip));
  const uiPort = headless ? undefined : (options.uiPort ?? (await getFreePort(ip)));

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port)];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  args.push('--namespace', namespace);
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const [name, type] of Object.entries(searchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  const dynamicConfig = options.plain ? {} : { ...DEFAULT_DYNAMIC_CONFIG, ...options.dynamicConfig };
  for (const [key, value] of Object.entries(dynamicConfig)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  args.push('--log-level', options.logLevel ?? 'warn');

  const proc = await startProcess({ name: 'temporal', command: cli.path, args, logDir: options.logDir });
  const address = `${ip}:${port}`;
  const uiUrl = uiPort === undefined ? undefined : `http://${ip}:${uiPort}`;
  try {
    await waitUntilReady(
      proc,
      async () => {
        // A refused gRPC connect backs off for a second before retrying: probe TCP first.
        if (!(await acceptsTcp(ip, port))) return false;
        await withConnection(address, (connection) =>
          connection.workflowService.describeNamespace({ namespace }),
        );
        if (uiUrl) await fetchOk(uiUrl);
      },
      {
        what: `Temporal dev server at ${address}`,
        timeoutMs: options.readyTimeoutMs ?? 30_000,
        intervalMs: 150,
      },
    );
    // The CLI registers --search-attribute only when it creates the db; on a reused db file
    // attributes added since would be missing, so make sure of them here.
    await withConnection(address, (connection) =>
      ensureSearchAttributes(connection, namespace, searchAttributes),
    );
  } catch (error) {
    await proc.stop();
    throw error;
  }

  return {
    address,
    port,
    uiUrl,
    uiPort,
    namespace,
    dbFilename: options.dbFilename,
    pid: proc.pid,
    logFile: proc.logFile,
    cli,
    exited: proc.exited,
    // Shutting down cleanly takes over a second; in memory there is nothing to keep, so kill it.
    stop: () => proc.stop(options.dbFilename ? STOP_GRACE_MS : 0),
  };
}

async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  wanted: Record<string, SearchAttributeType>,
): Promise<void> {
  if (Object.keys(wanted).length === 0) return;
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing: Record<string, number> = {};
  for (const [name, type] of Object.entries(wanted)) {
    const registered = customAttributes?.[name];
    const existing = registered === undefined || registered === null ? undefined : Number(registered);
    if (existing === undefined) {
      missing[name] = INDEXED_VALUE_TYPES[type];
    } else if (existing !== INDEXED_VALUE_TYPES[type]) {
      throw new SearchAttributeConflictError(name, type, searchAttributeTypeName(existing));
    }
  }
  if (Object.keys(missing).length > 0) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  }
}

async function withConnection<T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: '2s' });
  try {
    return await connection.withDeadline(Date.now() + 5_000, () => use(connection));
  } finally {
    await connection.close();
  }
}

async function fetchOk(url: string): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}`);
}

function acceptsTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (accepted: boolean): void => {
      socket.destroy();
      resolve(accepted);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
