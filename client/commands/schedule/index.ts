// `om-kinesis schedule ...`: one Temporal Schedule per OpenMetadata service, managed by service
// name. One module per subcommand; they parse, print and pick exit codes, while
// client/schedules.ts talks to Temporal and is loaded only when a schedule command runs (it pulls
// in the Temporal client).
import type { Command } from 'commander';
import type {
  ScheduleCommandOptions,
  ScheduleCreateCommandOptions,
  ScheduleUpdateCommandOptions,
} from './options.js';
import { withTiming } from './timing.js';

export type { ScheduleCommandOptions, ScheduleCreateCommandOptions, ScheduleUpdateCommandOptions };
export { formatDuration, parseDuration } from './timing.js';
export { specText } from './render.js';

/**
 * Adds the `schedule` command group to the program. `withConnectionOptions` adds the Temporal
 * connection flags every cluster command takes.
 */
export function addScheduleCommand(
  program: Command,
  withConnectionOptions: (command: Command) => Command,
): Command {
  const schedule = program
    .command('schedule')
    .description('keep one Temporal Schedule per OpenMetadata service (create, list, describe, pause, ...)');
  // Every schedule command needs a cluster. Only create / update take a task queue: the others
  // act on the schedule, which has its own (the flag is accepted there, not shown).
  const withCluster = (command: Command, taskQueue = true): Command => {
    withConnectionOptions(command);
    if (!taskQueue) command.options.find((option) => option.long === '--task-queue')?.hideHelp();
    return command;
  };

  withTiming(
    withCluster(
      schedule
        .command('create')
        .description("create the service's schedule: runs `ingest` with this config at the times given")
        .requiredOption('-c, --config <file>', 'the YAML you give `metadata ingest -c`'),
    ),
  )
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note kept on the schedule (shown by describe and the Web UI)')
    .option('--update', 'if the service has a schedule already, update it to this config and spec')
    .action(async (options: ScheduleCreateCommandOptions) => {
      const { scheduleCreateCommand } = await import('./create.js');
      await scheduleCreateCommand(options);
    });

  withTiming(
    withCluster(
      schedule
        .command('update')
        .description("apply a config change (and, if given, new times) to the service's schedule")
        .requiredOption('-c, --config <file>', 'the YAML you give `metadata ingest -c`'),
    ),
  ).action(async (options: Omit<ScheduleUpdateCommandOptions, 'taskQueueGiven'>, command: Command) => {
    const { scheduleUpdateCommand } = await import('./update.js');
    await scheduleUpdateCommand({
      ...options,
      taskQueueGiven: command.getOptionValueSource('taskQueue') !== 'default',
    });
  });

  withCluster(schedule.command('list').description('the om-kinesis schedules of the namespace'), false)
    .option('--json', 'print them as JSON')
    .action(async (options: ScheduleCommandOptions) => {
      const { scheduleListCommand } = await import('./list.js');
      await scheduleListCommand(options);
    });

  withCluster(
    schedule
      .command('describe')
      .description("the service's schedule: times, state, next runs, last runs and their outcome")
      .argument('<service>', 'OpenMetadata service name (source.serviceName)'),
    false,
  )
    .option('--json', 'print it as JSON')
    .action(async (service: string, options: ScheduleCommandOptions) => {
      const { scheduleDescribeCommand } = await import('./describe.js');
      await scheduleDescribeCommand(service, options);
    });

  const byName = (name: string, description: string, withNote: boolean) => {
    const command = withCluster(
      schedule
        .command(name)
        .description(description)
        .argument('<service>', 'OpenMetadata service name (source.serviceName)'),
      false,
    );
    if (withNote) command.option('--note <text>', 'why (kept on the schedule)');
    return command;
  };
  byName('pause', "pause the service's schedule: no scheduled run starts until unpause", true).action(
    async (service: string, options: ScheduleCommandOptions) => {
      const { schedulePauseCommand } = await import('./pause.js');
      await schedulePauseCommand(service, options, true);
    },
  );
  byName('unpause', "resume the service's schedule", true).action(
    async (service: string, options: ScheduleCommandOptions) => {
      const { schedulePauseCommand } = await import('./pause.js');
      await schedulePauseCommand(service, options, false);
    },
  );
  byName('trigger', 'start a scheduled run now (skipped if one of the schedule is running)', false).action(
    async (service: string, options: ScheduleCommandOptions) => {
      const { scheduleTriggerCommand } = await import('./trigger.js');
      process.exitCode = await scheduleTriggerCommand(service, options);
    },
  );
  byName('delete', "delete the service's schedule (runs already started go on)", false).action(
    async (service: string, options: ScheduleCommandOptions) => {
      const { scheduleDeleteCommand } = await import('./delete.js');
      await scheduleDeleteCommand(service, options);
    },
  );
  return schedule;
}
