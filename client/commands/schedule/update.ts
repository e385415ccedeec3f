import { clusterFor, scheduledRunInput, where, withSchedules } from './cluster.js';
import { warnSearchAttributesMissing } from '../../search-attribute-fallback.js';
import type { ScheduleUpdateCommandOptions } from './options.js';
import { scheduleLines } from './render.js';
import { timingFrom } from './timing.js';

/** `om-kinesis schedule update -c FILE`: the config (and times, if given) of the service's schedule. */
export async function scheduleUpdateCommand(options: ScheduleUpdateCommandOptions): Promise<void> {
  const timing = timingFrom(options, false);
  const { serviceName, input } = await scheduledRunInput(options.config);
  const target = clusterFor(options);
  await withSchedules(target, async (schedules, client) => {
    const updated = await schedules.updateServiceSchedule(
      client,
      {
        serviceName,
        input,
        ...(timing ? { timing } : {}),
        ...(!timing && options.jitter !== undefined ? { jitterMs: options.jitter } : {}),
        ...(!timing && options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
        ...(options.taskQueueGiven && options.taskQueue ? { taskQueue: options.taskQueue } : {}),
      },
      () => warnSearchAttributesMissing(target.namespace, 'the schedule goes on without them'),
    );
    console.log(`Updated schedule ${updated.scheduleId} for service ${serviceName} in ${where(target)}`);
    console.log(scheduleLines(updated, 3).join('\n'));
  });
}
