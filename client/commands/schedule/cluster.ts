// What every schedule command shares: the run input a schedule starts, the cluster it lives on,
// and the translation of the schedule module's errors into CLI exits.
import type { Client } from '@temporalio/client';
import { formatConfigIssue, type ConfigIssue } from '../../../common/config/index.js';
import type { IngestionRunInput } from '../../../common/run-input.js';
import { currentSecretsKey } from '../../../common/sealed-secrets.js';
import { buildRunInput } from '../../run-input.js';
import type * as SchedulesModule from '../../schedules.js';
import { temporalTargetFrom, type TemporalTarget } from '../../temporal-connection.js';
import { CliExit, EXIT_BAD_CONFIG, EXIT_RUN_FAILED, printWarnings, readConfigText } from '../shared.js';
import type { ConnectionFlags } from './options.js';

type Schedules = typeof SchedulesModule;

/** The run input `ingest` would send to a cluster: exit 2 with every error when the config is bad. */
export async function scheduledRunInput(
  file: string,
): Promise<{ serviceName: string; input: IngestionRunInput }> {
  const text = await readConfigText(file);
  const sealingKey = currentSecretsKey(process.env);
  const built = buildRunInput(text, {
    env: process.env,
    fileName: file,
    ...(sealingKey ? { sealingKey } : {}),
  });
  printWarnings(built.warnings);
  if (!built.input || !built.config) throw invalidConfig(file, built.errors);
  return { serviceName: built.config.serviceName, input: built.input };
}

export function invalidConfig(file: string, errors: ConfigIssue[]): CliExit {
  const lines = errors.map((issue) => `  ${formatConfigIssue(issue)}`);
  return new CliExit(
    EXIT_BAD_CONFIG,
    `${file}: the config is invalid (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}); no schedule was created or changed:\n${lines.join('\n')}`,
  );
}

export function clusterFor(options: ConnectionFlags): TemporalTarget {
  const target = temporalTargetFrom(options, process.env);
  if (!target)
    throw new CliExit(
      EXIT_BAD_CONFIG,
      'schedules live on a Temporal cluster: pass --address HOST:PORT or set TEMPORAL_ADDRESS (a local dev server listens on 127.0.0.1:7233); nothing was changed',
    );
  return target;
}

/** Connects, runs `use`, closes; turns the schedule errors into CLI exits. */
export async function withSchedules<T>(
  target: TemporalTarget,
  use: (schedules: Schedules, client: Client) => Promise<T>,
): Promise<T> {
  const schedules = await import('../../schedules.js');
  const connected = await schedules.connectScheduleClient(target);
  const { client } = connected;
  try {
    return await use(schedules, client);
  } catch (error) {
    if (error instanceof schedules.ScheduleMissingError)
      throw new CliExit(
        EXIT_RUN_FAILED,
        `${error.message} in namespace ${target.namespace} at ${target.address}. The schedules there: om-kinesis schedule list`,
      );
    if (error instanceof schedules.ScheduleSpecRejectedError)
      throw new CliExit(
        EXIT_BAD_CONFIG,
        `Temporal refused the schedule's times: ${error.message}; nothing was changed`,
      );
    throw error;
  } finally {
    await connected.close();
  }
}

export function warnSearchAttributesMissing(): void {
  console.error(
    'warning: the search attributes OmKinesisService / OmKinesisConnector are not registered on this namespace, so runs cannot be filtered by service; register them with: temporal operator search-attribute create --name OmKinesisService --type Keyword && temporal operator search-attribute create --name OmKinesisConnector --type Keyword',
  );
}

export function where(target: TemporalTarget): string {
  return `namespace ${target.namespace} at ${target.address}`;
}
