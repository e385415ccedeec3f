// `om-kinesis schedule ...`: one Temporal Schedule per OpenMetadata service, managed by service
// name. This module parses, prints and picks exit codes; client/schedules.ts talks to Temporal
// and is loaded only when a schedule command runs (it pulls in the Temporal client).
import { InvalidArgumentError, type Command } from 'commander';
import type {
  CalendarSpecDescription,
  Client,
  Range,
  ScheduleDescription,
  ScheduleSpecDescription,
} from '@temporalio/client';
import { formatConfigIssue, type ConfigIssue } from '../../common/config/index.js';
import { DEFAULT_TASK_QUEUE, type IngestionRunInput } from '../../common/run-input.js';
import { SECRETS_KEY_ENV, secretsKeyFrom } from '../../common/sealed-secrets.js';
import { buildRunInput } from '../run-input.js';
import type * as SchedulesModule from '../schedules.js';
import type { RunOutcome, ScheduledRun, ScheduleTiming, ServiceScheduleDetails } from '../schedules.js';
import { renderTable } from '../summary-table.js';
import { temporalTargetFrom, type TemporalFlags, type TemporalTarget } from '../temporal-connection.js';
import { CliExit, EXIT_BAD_CONFIG, EXIT_RUN_FAILED, printWarnings, readConfigText } from './shared.js';

type Schedules = typeof SchedulesModule;

interface ConnectionFlags extends TemporalFlags {
  taskQueue?: string;
}

interface TimingFlags {
  cron?: string;
  every?: number;
  jitter?: number;
  timeZone?: string;
}

export interface ScheduleCreateCommandOptions extends ConnectionFlags, TimingFlags {
  config: string;
  paused?: boolean;
  note?: string;
  update?: boolean;
}

export interface ScheduleUpdateCommandOptions extends ConnectionFlags, TimingFlags {
  config: string;
  /** Whether --task-queue was given (otherwise the schedule keeps its task queue). */
  taskQueueGiven: boolean;
}

export interface ScheduleCommandOptions extends ConnectionFlags {
  note?: string;
  json?: boolean;
}

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
    const address = command.options.find((option) => option.long === '--address');
    if (address) address.description = 'Temporal frontend address (env TEMPORAL_ADDRESS); required';
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
    await scheduleUpdateCommand({
      ...options,
      taskQueueGiven: command.getOptionValueSource('taskQueue') !== 'default',
    });
  });

  withCluster(schedule.command('list').description('the om-kinesis schedules of the namespace'), false)
    .option('--json', 'print them as JSON')
    .action(async (options: ScheduleCommandOptions) => {
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
      await schedulePauseCommand(service, options, true);
    },
  );
  byName('unpause', "resume the service's schedule", true).action(
    async (service: string, options: ScheduleCommandOptions) => {
      await schedulePauseCommand(service, options, false);
    },
  );
  byName('trigger', 'start a scheduled run now (skipped if one of the schedule is running)', false).action(
    async (service: string, options: ScheduleCommandOptions) => {
      process.exitCode = await scheduleTriggerCommand(service, options);
    },
  );
  byName('delete', "delete the service's schedule (runs already started go on)", false).action(
    async (service: string, options: ScheduleCommandOptions) => {
      await scheduleDeleteCommand(service, options);
    },
  );
  return schedule;
}

function withTiming(command: Command): Command {
  return command
    .option('--cron <expr>', 'cron expression, e.g. "0 3 * * *" (in --time-zone, default UTC)')
    .option('--every <duration>', 'interval, e.g. 30m, 6h, 1d', durationArgument(1000))
    .option(
      '--jitter <duration>',
      'start each run up to this much later, at random (e.g. 5m)',
      durationArgument(0),
    )
    .option('--time-zone <tz>', 'IANA time zone the cron expression is read in, e.g. Europe/Paris');
}

/** `30m`, `1h`, `1d`, `90s` or combined (`1h30m`) to milliseconds, or undefined if not one. */
export function parseDuration(text: string): number | undefined {
  // Stricter than the `ms` strings the SDK accepts: there, a bare `30` means 30 milliseconds.
  if (!/^(\d+[dhms])+$/.test(text)) return undefined;
  const unitMs: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([dhms])/g))
    total += Number(amount) * (unitMs[unit ?? 's'] ?? 0);
  return total;
}

function durationArgument(minimumMs: number): (text: string) => number {
  return (text) => {
    const ms = parseDuration(text.trim());
    if (ms === undefined)
      throw new InvalidArgumentError(
        'expected a duration: a whole number and a unit (s, m, h, d), e.g. 90s, 30m, 1h, 1d',
      );
    if (ms < minimumMs) throw new InvalidArgumentError(`expected at least ${formatDuration(minimumMs)}`);
    return ms;
  };
}

/** Milliseconds as `1d2h3m4s` (the units `--every` takes). */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0) text += `${rest}ms`;
  return text || '0s';
}

function timingFrom(options: TimingFlags, required: boolean): ScheduleTiming | undefined {
  if (options.cron !== undefined && options.every !== undefined)
    throw new CliExit(EXIT_BAD_CONFIG, 'give either --cron or --every, not both');
  if (options.cron === undefined && options.every === undefined) {
    if (required)
      throw new CliExit(
        EXIT_BAD_CONFIG,
        'a schedule needs its times: --cron EXPR (e.g. "0 3 * * *") or --every DURATION (e.g. 6h)',
      );
    return undefined;
  }
  return {
    ...(options.cron !== undefined ? { cron: options.cron } : {}),
    ...(options.every !== undefined ? { everyMs: options.every } : {}),
    ...(options.jitter !== undefined ? { jitterMs: options.jitter } : {}),
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
  };
}

/** The run input `ingest` would send to a cluster: exit 2 with every error when the config is bad. */
async function scheduledRunInput(file: string): Promise<{ serviceName: string; input: IngestionRunInput }> {
  const text = await readConfigText(file);
  const passphrase = process.env[SECRETS_KEY_ENV];
  const built = buildRunInput(text, {
    env: process.env,
    fileName: file,
    ...(passphrase ? { sealingKey: secretsKeyFrom(passphrase) } : {}),
  });
  printWarnings(built.warnings);
  if (!built.input || !built.config) throw invalidConfig(file, built.errors);
  return { serviceName: built.config.serviceName, input: built.input };
}

function invalidConfig(file: string, errors: ConfigIssue[]): CliExit {
  const lines = errors.map((issue) => `  ${formatConfigIssue(issue)}`);
  return new CliExit(
    EXIT_BAD_CONFIG,
    `${file}: the config is invalid (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}); no schedule was created or changed:\n${lines.join('\n')}`,
  );
}

function clusterFor(options: ConnectionFlags): TemporalTarget {
  const target = temporalTargetFrom(options, process.env);
  if (!target)
    throw new CliExit(
      EXIT_BAD_CONFIG,
      'schedules live on a Temporal cluster: pass --address HOST:PORT or set TEMPORAL_ADDRESS (a local dev server listens on 127.0.0.1:7233); nothing was changed',
    );
  return target;
}

/** Connects, runs `use`, closes; turns the schedule errors into CLI exits. */
async function withSchedules<T>(
  target: TemporalTarget,
  use: (schedules: Schedules, client: Client) => Promise<T>,
): Promise<T> {
  const schedules = await import('../schedules.js');
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

function warnSearchAttributesMissing(): void {
  console.error(
    'warning: the search attributes OmKinesisService / OmKinesisConnector are not registered on this namespace, so runs cannot be filtered by service; register them with: temporal operator search-attribute create --name OmKinesisService --type Keyword && temporal operator search-attribute create --name OmKinesisConnector --type Keyword',
  );
}

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
        warnSearchAttributesMissing,
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
        warnSearchAttributesMissing,
      );
      console.log(`Updated schedule ${updated.scheduleId} for service ${serviceName} in ${where(target)}`);
      console.log(scheduleLines(updated, 3).join('\n'));
    }
  });
}

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
      warnSearchAttributesMissing,
    );
    console.log(`Updated schedule ${updated.scheduleId} for service ${serviceName} in ${where(target)}`);
    console.log(scheduleLines(updated, 3).join('\n'));
  });
}

export async function scheduleListCommand(options: ScheduleCommandOptions): Promise<void> {
  const target = clusterFor(options);
  const listings = await withSchedules(target, (schedules, client) => schedules.listServiceSchedules(client));
  if (options.json) {
    const rows = listings.map((listing) => ({
      serviceName: listing.serviceName,
      scheduleId: listing.scheduleId,
      times: listing.spec ? specText(listing.spec) : '',
      paused: listing.paused,
      ...(listing.note ? { note: listing.note } : {}),
      nextRun: listing.nextRun?.toISOString() ?? null,
    }));
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (listings.length === 0) {
    console.log(
      `No om-kinesis schedules in ${where(target)}. Create one with: om-kinesis schedule create -c config.yaml --every 6h`,
    );
    return;
  }
  const now = new Date();
  console.log(
    renderTable(
      ['Service', 'Times', 'State', 'Next run'],
      listings.map((listing) => [
        listing.serviceName,
        listing.spec ? specText(listing.spec) : '',
        listing.paused ? 'paused' : 'active',
        listing.paused || !listing.nextRun ? '-' : timeText(listing.nextRun, now),
      ]),
    ),
  );
}

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
    case 'requested':
      console.log(
        `Asked the schedule of service ${serviceName} for a run; it has not started one yet. See: om-kinesis schedule describe ${serviceName}`,
      );
      return 0;
  }
}

export async function scheduleDeleteCommand(
  serviceName: string,
  options: ScheduleCommandOptions,
): Promise<void> {
  const target = clusterFor(options);
  await withSchedules(target, (schedules, client) => schedules.deleteServiceSchedule(client, serviceName));
  console.log(`Deleted the schedule of service ${serviceName}; runs already started go on`);
}

function where(target: TemporalTarget): string {
  return `namespace ${target.namespace} at ${target.address}`;
}

/** The settings of a schedule, one per line, as create / update / describe print them. */
function scheduleLines(description: ScheduleDescription, nextRuns: number, now = new Date()): string[] {
  const input = description.action.args?.[0] as IngestionRunInput | undefined;
  const options = Object.entries(input?.options ?? {}).map(([key, value]) => `${key} ${String(value)}`);
  const { action, info, state, policies } = description;
  const lines = [
    `  Times:       ${specText(description.spec)}`,
    `  State:       ${state.paused ? 'paused' : 'active'}${state.note ? ` (note: ${state.note})` : ''}`,
    `  Runs:        ${action.workflowType} on task queue ${action.taskQueue}, workflow id ${action.workflowId ?? ''}-<time>`,
  ];
  if (options.length > 0) lines.push(`  Run options: ${options.join(', ')}`);
  lines.push(
    `  Policies:    overlap ${policies.overlap}, catch-up window ${formatDuration(policies.catchupWindow)}`,
  );
  const next = state.paused ? [] : info.nextActionTimes.slice(0, nextRuns).map((time) => timeText(time, now));
  lines.push(`  Next runs:   ${next[0] ?? (state.paused ? 'none while paused' : 'none')}`);
  for (const time of next.slice(1)) lines.push(`               ${time}`);
  return lines;
}

function describeText(details: ServiceScheduleDetails): string[] {
  const { description } = details;
  const { info } = description;
  const now = new Date();
  const lines = [
    `Schedule ${description.scheduleId} of service ${details.serviceName}`,
    ...scheduleLines(description, 5, now),
    `  Actions:     ${info.numActionsTaken} taken, ${info.numActionsSkippedOverlap} skipped (a run was in progress), ${info.numActionsMissedCatchupWindow} missed (past the catch-up window)`,
  ];
  if (details.recentRuns.length === 0) {
    lines.push('Last runs: none yet');
    return lines;
  }
  lines.push(
    'Last runs (newest first):',
    renderTable(
      ['Started', 'Workflow id', 'Status', 'Outcome'],
      details.recentRuns.map((run) => [
        timeText(run.startedAt, now),
        run.workflowId,
        run.outcome.status,
        outcomeText(run.outcome),
      ]),
    ),
  );
  return lines;
}

function outcomeText(outcome: RunOutcome): string {
  if (outcome.summary) {
    const s = outcome.summary;
    if (s.notRunReason) return `not run: ${s.notRunReason}`;
    return `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed${s.dryRun ? ' (dry run)' : ''}`;
  }
  if (outcome.message) return oneLine(outcome.message);
  if (outcome.status === 'RUNNING') return 'in progress';
  if (outcome.status === 'GONE') return 'no longer in history (past the retention period)';
  return '';
}

function describeJson(details: ServiceScheduleDetails) {
  const { description } = details;
  return {
    serviceName: details.serviceName,
    scheduleId: description.scheduleId,
    times: specText(description.spec),
    paused: description.state.paused,
    note: description.state.note || null,
    taskQueue: description.action.taskQueue,
    workflowIdPrefix: description.action.workflowId ?? null,
    runOptions: (description.action.args?.[0] as IngestionRunInput | undefined)?.options ?? {},
    policies: description.policies,
    actions: {
      taken: description.info.numActionsTaken,
      skippedOverlap: description.info.numActionsSkippedOverlap,
      missedCatchupWindow: description.info.numActionsMissedCatchupWindow,
    },
    nextRuns: description.state.paused
      ? []
      : description.info.nextActionTimes.map((time) => time.toISOString()),
    recentRuns: details.recentRuns.map((run: ScheduledRun) => ({
      scheduledAt: run.scheduledAt.toISOString(),
      startedAt: run.startedAt.toISOString(),
      workflowId: run.workflowId,
      runId: run.runId,
      status: run.outcome.status,
      ...(run.outcome.summary ? { summary: run.outcome.summary } : {}),
      ...(run.outcome.message ? { message: run.outcome.message } : {}),
    })),
  };
}

/** A schedule's times as the user wrote them: `every 6h`, `cron "0 3 * * MON-FRI"`, jitter, zone. */
export function specText(spec: ScheduleSpecDescription): string {
  const parts = [
    ...(spec.intervals ?? []).map(
      (interval) =>
        `every ${formatDuration(interval.every)}${interval.offset ? ` (offset ${formatDuration(interval.offset)})` : ''}`,
    ),
    // The server keeps a cron expression as a calendar; this writes it back as cron.
    ...(spec.calendars ?? []).map((calendar) => `cron "${cronText(calendar)}"`),
  ];
  let text = parts.join(' and ') || 'no times';
  if (spec.jitter) text += `, jitter ${formatDuration(spec.jitter)}`;
  if (spec.timezone) text += `, time zone ${spec.timezone}`;
  return text;
}

const MONTHS = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
];
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

function cronText(calendar: CalendarSpecDescription): string {
  const short = (name: string) => name.slice(0, 3);
  const fields = [
    cronField(calendar.minute, 0, 59, String),
    cronField(calendar.hour, 0, 23, String),
    cronField(calendar.dayOfMonth, 1, 31, String),
    cronField(calendar.month, MONTHS[0], MONTHS[11], short),
    cronField(calendar.dayOfWeek, DAYS[0], DAYS[6], short),
  ];
  const everySecondZero =
    calendar.second.length === 1 && calendar.second[0]?.start === 0 && calendar.second[0].end === 0;
  if (!everySecondZero) fields.unshift(cronField(calendar.second, 0, 59, String));
  if (calendar.year.length > 0) fields.push(cronField(calendar.year, undefined, undefined, String));
  return fields.join(' ');
}

function cronField<T>(ranges: Range<T>[], first: unknown, last: unknown, name: (value: T) => string): string {
  if (ranges.length === 0) return '*';
  return ranges
    .map((range) => {
      const step = range.step > 1 ? `/${range.step}` : '';
      if (range.start === first && range.end === last) return `*${step}`;
      if (range.start === range.end) return name(range.start);
      return `${name(range.start)}-${name(range.end)}${step}`;
    })
    .join(',');
}

function timeText(time: Date, now: Date): string {
  const iso = time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const diff = time.getTime() - now.getTime();
  const rounded =
    Math.abs(diff) >= 60_000
      ? Math.round(Math.abs(diff) / 60_000) * 60_000
      : Math.round(Math.abs(diff) / 1000) * 1000;
  return `${iso} (${diff >= 0 ? `in ${formatDuration(rounded)}` : `${formatDuration(rounded)} ago`})`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
