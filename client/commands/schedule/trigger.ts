import { EXIT_RUN_FAILED } from '../shared.js';
import { clusterFor, withSchedules } from './cluster.js';
import type { ScheduleCommandOptions } from './options.js';

/** `om-kinesis schedule trigger SERVICE`: a run now, unless one of the schedule is in progress. */
export async function scheduleTriggerCommand(
  serviceName: string,
  options: ScheduleCommandOptions,
): Promise<number> {
  const target = clusterFor(options);
  const outcome = await withSchedules(target, (schedules, client) =>
    schedules.triggerServiceSchedule(client, serviceName),
  );
  switch (outcome.kind) {
    case 'started':
      console.log(
        `Started ${outcome.workflowId} for service ${serviceName}. Follow it with: om-kinesis schedule describe ${serviceName}`,
      );
      return 0;
    case 'skipped':
      console.error(
        `No run started: a run of the schedule of service ${serviceName} is still in progress (overlap policy Skip). See: om-kinesis schedule describe ${serviceName}`,
      );
      return EXIT_RUN_FAILED;
    case 'busy':
      console.error(
        `No run started: a run of service ${serviceName} is in progress (workflow id ${outcome.workflowId}), started outside the schedule; a scheduled run now would end at once without ingesting. Follow it with: om-kinesis status ${serviceName}`,
      );
      return EXIT_RUN_FAILED;
    case 'requested':
      console.log(
        `Asked the schedule of service ${serviceName} for a run; it has not started one yet. See: om-kinesis schedule describe ${serviceName}`,
      );
      return 0;
  }
}
