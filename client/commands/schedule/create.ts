import { DEFAULT_TASK_QUEUE } from '../../../common/run-input.js';
import type { ScheduleTiming } from '../../schedules/index.js';
import { CliExit, EXIT_RUN_FAILED } from '../shared.js';
import { clusterFor, scheduledRunInput, where, withSchedules } from './cluster.js';
import { warnSearchAttributesMissing } from '../../search-attribute-fallback.js';
import type { ScheduleCreateCommandOptions } from './options.js';
import { scheduleLines } from './render.js';
import { timingFrom } from './timing.js';

/** `om-kinesis schedule create -c FILE (--cron | --every)`; with --update, replaces an existing one. */
export async function scheduleCreateCommand(options: ScheduleCreateCommandOptions): Promise<void> {
  const timing = timingFrom(options, true) as ScheduleTiming;
  const { serviceName, input } = await scheduledRunInput(options.config);
  const target = clusterFor(options);
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  await withSchedules(target, async (schedules, client) => {
    try {
      const created = await schedules.createServiceSchedule(
        client,
        {
          serviceName,
          input,
          taskQueue,
          timing,
          ...(options.paused ? { paused: true } : {}),
          ...(options.note !== undefined ? { note: options.note } : {}),
        },
        () => warnSearchAttributesMissing(target.namespace, 'the schedule goes on without them'),
      );
      console.log(`Created schedule ${created.scheduleId} for service ${serviceName} in ${where(target)}`);
      console.log(scheduleLines(created, 3).join('\n'));
    } catch (error) {
      if (!(error instanceof schedules.ScheduleExistsError)) throw error;
      if (!options.update)
        throw new CliExit(
          EXIT_RUN_FAILED,
          `${error.message} in ${where(target)}; nothing was changed. To apply this config and these times to it, add --update (or run: om-kinesis schedule update -c ${options.config}); to see it: om-kinesis schedule describe ${serviceName}`,
        );
      // The config and times are replaced; the paused state and note stay unless given.
      const updated = await schedules.updateServiceSchedule(
        client,
        {
          serviceName,
          input,
          timing,
          taskQueue,
          ...(options.paused ? { paused: true } : {}),
          ...(options.note !== undefined ? { note: options.note } : {}),
        },
        () => warnSearchAttributesMissing(target.namespace, 'the schedule goes on without them'),
      );
      console.log(`Updated schedule ${updated.scheduleId} for service ${serviceName} in ${where(target)}`);
      console.log(scheduleLines(updated, 3).join('\n'));
    }
  });
}
