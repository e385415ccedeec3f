import { clusterFor, withSchedules } from './cluster.js';
import type { ScheduleCommandOptions } from './options.js';
import { describeJson, describeText } from './render.js';

/** `om-kinesis schedule describe SERVICE`: times, state, next runs, last runs and their outcome. */
export async function scheduleDescribeCommand(
  serviceName: string,
  options: ScheduleCommandOptions,
): Promise<void> {
  const target = clusterFor(options);
  const details = await withSchedules(target, (schedules, client) =>
    schedules.describeServiceSchedule(client, serviceName),
  );
  console.log(
    options.json ? JSON.stringify(describeJson(details), null, 2) : describeText(details).join('\n'),
  );
}
