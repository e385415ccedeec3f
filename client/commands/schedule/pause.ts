import { clusterFor, withSchedules } from './cluster.js';
import type { ScheduleCommandOptions } from './options.js';

/** `om-kinesis schedule pause|unpause SERVICE [--note TEXT]`. */
export async function schedulePauseCommand(
  serviceName: string,
  options: ScheduleCommandOptions,
  pause: boolean,
): Promise<void> {
  const target = clusterFor(options);
  await withSchedules(target, async (schedules, client) => {
    if (pause) {
      await schedules.pauseServiceSchedule(
        client,
        serviceName,
        options.note ?? 'paused with om-kinesis schedule pause',
      );
      console.log(
        `Paused the schedule of service ${serviceName}: no scheduled run starts until \`om-kinesis schedule unpause ${serviceName}\``,
      );
    } else {
      await schedules.unpauseServiceSchedule(
        client,
        serviceName,
        options.note ?? 'unpaused with om-kinesis schedule unpause',
      );
      console.log(`Unpaused the schedule of service ${serviceName}`);
    }
  });
}
