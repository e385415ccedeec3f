// What every schedule command shares: the run input a schedule starts, the cluster it lives on,
// and the translation of the schedule module's errors into CLI exits.
import type { Client } from '@temporalio/client';
import type { IngestionRunInput } from '../../../common/run-input.js';
import type * as SchedulesModule from '../../schedules/index.js';
import { temporalTargetFrom, type TemporalTarget } from '../../temporal-connection.js';
import { loadRunConfig } from '../run-config.js';
import { CliExit, EXIT_BAD_CONFIG, EXIT_RUN_FAILED } from '../shared.js';
import type { ConnectionFlags } from './options.js';

type Schedules = typeof SchedulesModule;

/** The run input `ingest` would send to a cluster: exit 2 with every error when the config is bad. */
export async function scheduledRunInput(
  file: string,
): Promise<{ serviceName: string; input: IngestionRunInput }> {
  const { config, input } = await loadRunConfig(file, 'cluster', {
    nothingDone: 'no schedule was created or changed',
  });
  return { serviceName: config.serviceName, input };
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
  const schedules = await import('../../schedules/index.js');
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

export function where(target: TemporalTarget): string {
  return `namespace ${target.namespace} at ${target.address}`;
}
