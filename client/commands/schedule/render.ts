// How schedules are printed: their settings, last runs and times, as text or JSON.
import type {
  CalendarSpecDescription,
  Range,
  ScheduleDescription,
  ScheduleSpecDescription,
} from '@temporalio/client';
import type { IngestionRunInput } from '../../../common/run-input.js';
import type { RunOutcome, ScheduledRun, ServiceScheduleDetails } from '../../schedules/index.js';
import { renderTable } from '../../summary-table.js';
import { formatDuration } from './timing.js';
import { printableLine } from '../../../common/printable.js';

/** The settings of a schedule, one per line, as create / update / describe print them. */
export function scheduleLines(
  description: ScheduleDescription,
  nextRuns: number,
  now = new Date(),
): string[] {
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

export function describeText(details: ServiceScheduleDetails): string[] {
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

export function outcomeText(outcome: RunOutcome): string {
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

export function describeJson(details: ServiceScheduleDetails) {
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

export function cronText(calendar: CalendarSpecDescription): string {
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

export function cronField<T>(
  ranges: Range<T>[],
  first: unknown,
  last: unknown,
  name: (value: T) => string,
): string {
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

export function timeText(time: Date, now: Date): string {
  const iso = time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const diff = time.getTime() - now.getTime();
  const rounded =
    Math.abs(diff) >= 60_000
      ? Math.round(Math.abs(diff) / 60_000) * 60_000
      : Math.round(Math.abs(diff) / 1000) * 1000;
  return `${iso} (${diff >= 0 ? `in ${formatDuration(rounded)}` : `${formatDuration(rounded)} ago`})`;
}

export function oneLine(text: string): string {
  return printableLine(text, 160);
}
