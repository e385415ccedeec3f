import { clusterFor, withSchedules } from './cluster.js';
import type { ScheduleCommandOptions } from './options.js';

/** `om-kinesis schedule delete SERVICE`: removes the schedule; runs already started go on. */
export async function scheduleDeleteCommand(
  serviceName: string,
  options: ScheduleCommandOptions,
): Promise<void> {
  const target = clusterFor(options);
  await withSchedules(target, (schedules, client) => schedules.deleteServiceSchedule(client, serviceName));
  console.log(`Deleted the schedule of service ${serviceName}; runs already started go on`);
}
