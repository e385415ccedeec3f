// The flags of `om-kinesis worker` that concern operating a fleet of workers: the Prometheus
// endpoint (`--metrics-bind`) and Worker Deployment versioning (`--deployment-name`,
// `--build-id`). See docs/operations.md, "Upgrading workers" and "Metrics and alerts".
import { readFileSync } from 'node:fs';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { Runtime, type LogLevel, type TelemetryOptions } from '@temporalio/worker';
import { sdkLogging, type IngestionWorkerLogger } from '../../worker/worker-logger.js';
import { InvalidArgumentError, type Command } from 'commander';
import { PACER_WAIT_BUCKETS, PACER_WAIT_METRIC } from '../../activities/metrics.js';
import { CliExit, EXIT_BAD_CONFIG, EXIT_RUN_FAILED } from './shared.js';

export interface WorkerOperationsOptions {
  /** HOST:PORT to serve Prometheus metrics on (`/metrics`). */
  metricsBind?: string;
  /** The Worker Deployment this worker belongs to; unset: an unversioned worker. */
  deploymentName?: string;
  /** The build of this worker in its deployment (default: the package version). */
  buildId?: string;
}

export function addWorkerOperationsOptions(command: Command): Command {
  return command
    .option(
      '--metrics-bind <host:port>',
      "serve Prometheus metrics (the SDK's and the product's) on http://HOST:PORT/metrics",
      hostAndPort,
    )
    .option(
      '--deployment-name <name>',
      'the Temporal Worker Deployment of this worker: each run stays on the build it started on (see "Upgrading workers")',
    )
    .option('--build-id <id>', `this worker's build in its deployment (default: ${productVersion()})`);
}

function hostAndPort(value: string): string {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65_535) {
    throw new InvalidArgumentError('expected HOST:PORT, e.g. 0.0.0.0:9464 or 127.0.0.1:9464');
  }
  return value;
}

/**
 * Installs the SDK's Runtime with `logger`, and with a Prometheus exporter when
 * `--metrics-bind` is set (a taken port ends the command, naming it).
 */
export function installWorkerRuntime(
  options: WorkerOperationsOptions,
  logger: IngestionWorkerLogger,
  level: LogLevel,
): void {
  const logging = sdkLogging(logger, level);
  const metrics = metricsFor(options);
  try {
    Runtime.install({
      ...logging,
      telemetryOptions: { ...logging.telemetryOptions, ...(metrics ? { metrics } : {}) },
    });
  } catch (error) {
    if (!metrics) throw error;
    throw new CliExit(
      EXIT_RUN_FAILED,
      `om-kinesis worker: cannot serve metrics on ${options.metricsBind} (--metrics-bind): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The Runtime's metrics for the flags: a Prometheus exporter when `--metrics-bind` is set. */
function metricsFor(options: WorkerOperationsOptions): TelemetryOptions['metrics'] {
  if (!options.metricsBind) return undefined;
  return {
    prometheus: {
      bindAddress: options.metricsBind,
      // Prometheus's conventions: counters end in _total, durations are in seconds.
      countersTotalSuffix: true,
      useSecondsForDurations: true,
      histogramBucketOverrides: { [PACER_WAIT_METRIC]: PACER_WAIT_BUCKETS },
    },
  };
}

/** The deployment version the flags name, or undefined for an unversioned worker. */
export function deploymentVersionFor(options: WorkerOperationsOptions): WorkerDeploymentVersion | undefined {
  if (!options.deploymentName) {
    if (options.buildId !== undefined) {
      throw new CliExit(
        EXIT_BAD_CONFIG,
        'om-kinesis worker: --build-id needs --deployment-name (a build belongs to a Worker Deployment, e.g. --deployment-name om-kinesis)',
      );
    }
    return undefined;
  }
  return { deploymentName: options.deploymentName, buildId: options.buildId ?? productVersion() };
}

/** What the startup line adds for these flags. */
export function describeOperations(
  options: WorkerOperationsOptions,
  deployment: WorkerDeploymentVersion | undefined,
): string {
  const parts = [];
  if (deployment)
    parts.push(
      `deployment ${deployment.deploymentName}, build ${deployment.buildId} (runs pinned to their build)`,
    );
  if (options.metricsBind) parts.push(`metrics at http://${options.metricsBind}/metrics`);
  return parts.map((part) => `; ${part}`).join('');
}

let version: string | undefined;

/** The version of this package, the default build id. */
export function productVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}
