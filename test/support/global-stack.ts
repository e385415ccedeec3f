// The servers the test suite runs against, started lazily and at most once per test process,
// each on random free loopback ports. Loaded by mocha through `--require` (.mocharc.json), so
// `mochaGlobalTeardown` stops whatever was started; processes.ts kills the child processes if
// the run ends abnormally. A server that cannot start fails every test that asks for it, with
// the reason (its command and log tail); nothing is skipped.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { startKinesisLocal } from '../../devstack/kinesis-local.js';
import type { KinesisLocal } from '../../devstack/kinesis-local.js';
import { startMotoServer } from '../../devstack/moto-server.js';
import type { MotoServer } from '../../devstack/moto-server.js';
import { SEARCH_ATTRIBUTES } from '../../common/search-attributes.js';
import { projectRoot } from '../../client/local-temporal/temporal-cli.js';
import { startTemporalDevServer } from '../../client/local-temporal/temporal-dev-server.js';
import type { TemporalDevServer } from '../../client/local-temporal/temporal-dev-server.js';

import { useTestStackWorkerConfig } from './test-policy.js';

// Type only: the module itself is loaded on first use (see getOpenMetadata).
import type { OpenMetadataTestServer } from '../../devstack/openmetadata-test-server.js';

export type { OpenMetadataTestServer };

export interface TestStack {
  temporal: TemporalDevServer;
  kinesisLocal: KinesisLocal;
  moto: MotoServer;
  openMetadata: OpenMetadataTestServer;
}

// `om-kinesis worker` processes started by tests allow the test stack, unless a test says otherwise.
useTestStackWorkerConfig();

/** Where the servers' logs go (git-ignored). */
export const TEST_LOG_DIR = path.join(projectRoot(), 'test-artifacts', 'logs');

/** Search attributes registered on the test Temporal server: the product's. */
export const TEST_SEARCH_ATTRIBUTES = SEARCH_ATTRIBUTES;

interface Started<T> {
  promise: Promise<T>;
  stop: (server: T) => Promise<void>;
}

const started = new Map<string, Started<unknown>>();
const startupMs: Record<string, number> = {};

function once<T>(name: string, start: () => Promise<T>, stop: (server: T) => Promise<void>): Promise<T> {
  let entry = started.get(name) as Started<T> | undefined;
  if (!entry) {
    const begin = Date.now();
    const promise = start().then((server) => {
      startupMs[name] = Date.now() - begin;
      return server;
    });
    // A failed start is remembered: every later caller gets the same reason, at no cost.
    promise.catch(() => undefined);
    entry = { promise, stop };
    started.set(name, entry as Started<unknown>);
  }
  return entry.promise;
}

/** Headless, in-memory Temporal dev server with the connector's search attributes. */
export function getTemporal(): Promise<TemporalDevServer> {
  return once(
    'temporal',
    () => startTemporalDevServer({ logDir: TEST_LOG_DIR, searchAttributes: { ...TEST_SEARCH_ATTRIBUTES } }),
    (server) => server.stop(),
  );
}

export function getKinesisLocal(): Promise<KinesisLocal> {
  return once(
    'kinesis-local',
    () => startKinesisLocal({ logDir: TEST_LOG_DIR }),
    (server) => server.stop(),
  );
}

export function getMoto(): Promise<MotoServer> {
  return once(
    'moto',
    () => startMotoServer({ logDir: TEST_LOG_DIR }),
    (server) => server.stop(),
  );
}

/** The in-process HTTP server that speaks the OpenMetadata API (no token required). */
export function getOpenMetadata(): Promise<OpenMetadataTestServer> {
  return once(
    'openmetadata',
    async () => {
      const openMetadata = await import('../../devstack/openmetadata-test-server.js');
      return openMetadata.startOpenMetadataTestServer();
    },
    (server) => server.close(),
  );
}

/** All four servers, started concurrently (each only once per process). */
export async function getTestStack(): Promise<TestStack> {
  const [temporal, kinesisLocal, moto, openMetadata] = await Promise.all([
    getTemporal(),
    getKinesisLocal(),
    getMoto(),
    getOpenMetadata(),
  ]);
  return { temporal, kinesisLocal, moto, openMetadata };
}

/** Startup time in ms of each server started so far. */
export function getStartupTimings(): Readonly<Record<string, number>> {
  return { ...startupMs };
}

/** Mocha global fixture: stops every server that was started, concurrently. */
export async function mochaGlobalTeardown(): Promise<void> {
  const entries = [...started.values()];
  started.clear();
  await Promise.all(
    entries.map(async ({ promise, stop }) => {
      const server = await promise.catch(() => undefined);
      if (server !== undefined) await stop(server);
    }),
  );
  if (Object.keys(startupMs).length > 0) {
    mkdirSync(TEST_LOG_DIR, { recursive: true });
    writeFileSync(path.join(TEST_LOG_DIR, 'startup-times.json'), `${JSON.stringify(startupMs, null, 2)}\n`);
  }
}
