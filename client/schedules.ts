// The Temporal side of `om-kinesis schedule`: one Temporal Schedule per OpenMetadata service,
// found by the service name. Printing and exit codes belong to client/commands/schedule/.
import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
  type ScheduleSpecDescription,
  type ScheduleUpdateOptions,
  type Workflow,
} from '@temporalio/client';
import {
  ApplicationFailure,
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
} from '@temporalio/common';
import {
  INGESTION_WORKFLOW_TYPE,
  ingestionWorkflowId,
  type IngestionRunInput,
  type IngestionRunOptions,
} from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { withSearchAttributeFallback } from './search-attribute-fallback.js';
import { connectToCluster, type TemporalTarget } from './temporal-connection.js';

/** Schedule memo key naming the service; `schedule list` shows the schedules that carry it. */
export const SCHEDULE_SERVICE_MEMO = 'omKinesisService';

/**
 * A scheduled time missed while the cluster was unavailable (an upgrade, a restart, a failover)
 * is still run when the cluster comes back within this window; after a longer outage it is
 * dropped and the next scheduled time does the work. Each run is a full, idempotent sync of
 * the service, so a run that is hours late buys nothing the next one does not, while firing
 * it at an arbitrary moment after a long outage (against an OpenMetadata that may be
 * recovering too) is what the window avoids. The server's default is a year.
 */
export const SCHEDULE_CATCHUP_WINDOW = '1h';
export const SCHEDULE_CATCHUP_WINDOW_MS = 60 * 60 * 1000;

const serviceKey = defineSearchAttributeKey('OmKinesisService', SearchAttributeType.KEYWORD);
const connectorKey = defineSearchAttributeKey('OmKinesisConnector', SearchAttributeType.KEYWORD);

/** The id of a service's schedule: one per service, so a second `create` collides with it. */
export function scheduleIdFor(serviceName: string): string {
  return `om-kinesis-${serviceName}`;
}

/**
 * The workflow id a scheduled run starts under (Temporal appends the scheduled time). The run
 * then continues as a child under `om-kinesis-<serviceName>`, the id `ingest` uses, so a
 * scheduled run and a manual one never write the same service at once.
 */
export function scheduledWorkflowIdFor(serviceName: string): string {
  return `${ingestionWorkflowId(serviceName)}-scheduled`;
}

/** When a schedule runs: exactly one of `cron` / `everyMs`. */
export interface ScheduleTiming {
  cron?: string;
  everyMs?: number;
  jitterMs?: number;
  timeZone?: string;
}

/** Thrown when a service already has a schedule and `create` was not asked to update it. */
export class ScheduleExistsError extends Error {
  readonly code = 'SCHEDULE_EXISTS';
  constructor(
    readonly serviceName: string,
    readonly scheduleId: string,
  ) {
    super(`service ${serviceName} already has a schedule (${scheduleId})`);
    this.name = 'ScheduleExistsError';
  }
}

/** Thrown when a service has no schedule in the namespace. */
export class ScheduleMissingError extends Error {
  readonly code = 'SCHEDULE_NOT_FOUND';
  constructor(
    readonly serviceName: string,
    readonly scheduleId: string,
  ) {
    super(`service ${serviceName} has no schedule (schedule id ${scheduleId} not found)`);
    this.name = 'ScheduleMissingError';
  }
}

/** Thrown when Temporal refuses the spec (a cron expression or time zone it cannot read). */
export class ScheduleSpecRejectedError extends Error {
  readonly code = 'SCHEDULE_SPEC_REJECTED';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ScheduleSpecRejectedError';
  }
}

/** Called when the namespace lacks the search attributes and the schedule is made without them. */
export type SearchAttributesMissing = () => void;

export interface ScheduleClient {
  client: Client;
  close(): Promise<void>;
}

export async function connectScheduleClient(target: TemporalTarget): Promise<ScheduleClient> {
  const connection = await connectToCluster(target);
  return {
    client: new Client({ connection, namespace: target.namespace }),
    close: () => connection.close(),
  };
}

export interface NewServiceSchedule {
  serviceName: string;
  /** The run input, as `ingest` builds it. */
  input: IngestionRunInput;
  taskQueue: string;
  timing: ScheduleTiming;
  paused?: boolean;
  note?: string;
}

/** Creates the service's schedule; throws ScheduleExistsError if it has one already. */
export async function createServiceSchedule(
  client: Client,
  schedule: NewServiceSchedule,
  onSearchAttributesMissing: SearchAttributesMissing,
): Promise<ScheduleDescription> {
  const scheduleId = scheduleIdFor(schedule.serviceName);
  const create = (withSearchAttributes: boolean) =>
    client.schedule.create({
      scheduleId,
      spec: scheduleSpecFor(schedule.timing),
      action: scheduleActionFor(schedule, withSearchAttributes),
      policies: schedulePolicies(),
      // The Web UI shows the memo on the schedule's page; `schedule list` selects by it.
      memo: { [SCHEDULE_SERVICE_MEMO]: schedule.serviceName, omKinesisConnector: 'kinesis' },
      ...(withSearchAttributes ? { typedSearchAttributes: searchAttributesFor(schedule.serviceName) } : {}),
      state: {
        paused: schedule.paused === true,
        ...(schedule.note !== undefined ? { note: schedule.note } : {}),
      },
    });
  try {
    const handle = await withSearchAttributeFallback(create, onSearchAttributesMissing);
    return await handle.describe();
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning)
      throw new ScheduleExistsError(schedule.serviceName, scheduleId);
    throw specRejection(error) ?? error;
  }
}

/** What `update` changes; whatever is undefined is kept as the schedule has it. */
export interface ServiceScheduleChange {
  serviceName: string;
  /** The new run input; its `options` are merged over the run options the schedule has. */
  input: IngestionRunInput;
  /** Replaces the spec (jitter and time zone included) when set. */
  timing?: ScheduleTiming;
  /** Applied to the schedule's current spec when `timing` is not set. */
  jitterMs?: number;
  timeZone?: string;
  taskQueue?: string;
  paused?: boolean;
  note?: string;
}

/**
 * Replaces the schedule's action (new run input) and, when asked, its spec; keeps whatever the
 * change leaves undefined. Throws ScheduleMissingError if the service has no schedule.
 */
export async function updateServiceSchedule(
  client: Client,
  change: ServiceScheduleChange,
  onSearchAttributesMissing: SearchAttributesMissing,
): Promise<ScheduleDescription> {
  const handle = client.schedule.getHandle(scheduleIdFor(change.serviceName));
  const update = (withSearchAttributes: boolean) =>
    handle.update((previous) => updatedSchedule(previous, change, withSearchAttributes));
  try {
    await withSearchAttributeFallback(update, onSearchAttributesMissing);
    return await handle.describe();
  } catch (error) {
    throw missingSchedule(error, change.serviceName) ?? specRejection(error) ?? error;
  }
}

function updatedSchedule(
  previous: ScheduleDescription,
  change: ServiceScheduleChange,
  withSearchAttributes: boolean,
): ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<Workflow>> {
  const previousInput = previous.action.args?.[0] as IngestionRunInput | undefined;
  const options: IngestionRunOptions = { ...previousInput?.options, ...change.input.options };
  const note = change.note ?? previous.state.note;
  const spec: ScheduleSpec = change.timing
    ? scheduleSpecFor(change.timing)
    : {
        ...(previous.spec as ScheduleSpec),
        ...(change.jitterMs !== undefined ? { jitter: change.jitterMs } : {}),
        ...(change.timeZone !== undefined ? { timezone: change.timeZone } : {}),
      };
  return {
    spec,
    action: scheduleActionFor(
      {
        serviceName: change.serviceName,
        input: {
          config: change.input.config,
          ...(Object.keys(options).length > 0 ? { options } : {}),
        },
        taskQueue: change.taskQueue ?? previous.action.taskQueue,
      },
      withSearchAttributes,
    ),
    policies: schedulePolicies(),
    ...(withSearchAttributes ? { typedSearchAttributes: searchAttributesFor(change.serviceName) } : {}),
    state: { paused: change.paused ?? previous.state.paused, ...(note !== undefined ? { note } : {}) },
  };
}

function scheduleSpecFor(timing: ScheduleTiming): ScheduleSpec {
  return {
    ...(timing.cron !== undefined ? { cronExpressions: [timing.cron] } : {}),
    ...(timing.everyMs !== undefined ? { intervals: [{ every: timing.everyMs }] } : {}),
    ...(timing.jitterMs !== undefined ? { jitter: timing.jitterMs } : {}),
    ...(timing.timeZone !== undefined ? { timezone: timing.timeZone } : {}),
  };
}

/**
 * Overlap SKIP: a scheduled time that comes while the previous scheduled run is still going is
 * dropped, not queued. No pause on failure: a failed run (OpenMetadata down, say) must not stop
 * the catalogue from being kept up to date by the next one.
 */
function schedulePolicies() {
  return { overlap: 'SKIP' as const, catchupWindow: SCHEDULE_CATCHUP_WINDOW, pauseOnFailure: false };
}

function scheduleActionFor(
  schedule: Pick<NewServiceSchedule, 'serviceName' | 'input' | 'taskQueue'>,
  withSearchAttributes: boolean,
): ScheduleOptionsStartWorkflowAction<Workflow> {
  const { serviceName, input } = schedule;
  return {
    type: 'startWorkflow',
    workflowType: INGESTION_WORKFLOW_TYPE,
    workflowId: scheduledWorkflowIdFor(serviceName),
    taskQueue: schedule.taskQueue,
    args: [input],
    staticSummary: `Scheduled Kinesis -> OpenMetadata ingestion of service ${serviceName}${input.options?.dryRun ? ' (dry run)' : ''}`,
    staticDetails: [
      `Started by the Temporal Schedule \`${scheduleIdFor(serviceName)}\`.`,
      `The ingestion runs as the child workflow \`${ingestionWorkflowId(serviceName)}\`, so that one service never has two runs at once; if a run of the service is in progress, this one does nothing and says so.`,
    ].join('\n\n'),
    ...(withSearchAttributes ? { typedSearchAttributes: searchAttributesFor(serviceName) } : {}),
  };
}

function searchAttributesFor(serviceName: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: serviceKey, value: serviceName },
    { key: connectorKey, value: 'kinesis' },
  ]);
}

function specRejection(error: unknown): ScheduleSpecRejectedError | undefined {
  // The SDK turns the server's "Invalid schedule spec: ..." into a TypeError with the reason.
  if (error instanceof TypeError) return new ScheduleSpecRejectedError(error.message, { cause: error });
  return undefined;
}

function missingSchedule(error: unknown, serviceName: string): ScheduleMissingError | undefined {
  return error instanceof ScheduleNotFoundError
    ? new ScheduleMissingError(serviceName, scheduleIdFor(serviceName))
    : undefined;
}

/** Runs `use` with the service's schedule handle, turning "not found" into ScheduleMissingError. */
async function withServiceSchedule<T>(
  client: Client,
  serviceName: string,
  use: (handle: ScheduleHandle) => Promise<T>,
): Promise<T> {
  try {
    return await use(client.schedule.getHandle(scheduleIdFor(serviceName)));
  } catch (error) {
    throw missingSchedule(error, serviceName) ?? error;
  }
}

export interface ServiceScheduleListing {
  serviceName: string;
  scheduleId: string;
  spec: ScheduleSpecDescription | undefined;
  paused: boolean;
  note: string | undefined;
  nextRun: Date | undefined;
}

/** The om-kinesis schedules of the namespace (those carrying the service memo), by service name. */
export async function listServiceSchedules(client: Client): Promise<ServiceScheduleListing[]> {
  const listings: ServiceScheduleListing[] = [];
  for await (const schedule of client.schedule.list()) {
    const serviceName = schedule.memo?.[SCHEDULE_SERVICE_MEMO];
    if (typeof serviceName !== 'string') continue;
    listings.push({
      serviceName,
      scheduleId: schedule.scheduleId,
      spec: schedule.spec,
      paused: schedule.state.paused,
      note: schedule.state.note,
      nextRun: schedule.info.nextActionTimes[0],
    });
  }
  return listings.sort((a, b) => a.serviceName.localeCompare(b.serviceName));
}

/**
 * What became of one scheduled run: its Temporal status (`RUNNING`, `COMPLETED` with the
 * summary, `FAILED` with the failure message, `TERMINATED`, ...), or `GONE` once the
 * namespace's retention has removed it.
 */
export interface RunOutcome {
  status: string;
  summary?: IngestionSummary;
  message?: string;
}

export interface ScheduledRun {
  scheduledAt: Date;
  startedAt: Date;
  workflowId: string;
  runId: string;
  outcome: RunOutcome;
}

export interface ServiceScheduleDetails {
  serviceName: string;
  description: ScheduleDescription;
  /** The schedule's recent runs (Temporal keeps the last 10), newest first. */
  recentRuns: ScheduledRun[];
}

export async function describeServiceSchedule(
  client: Client,
  serviceName: string,
): Promise<ServiceScheduleDetails> {
  const description = await withServiceSchedule(client, serviceName, (handle) => handle.describe());
  const recentRuns = await Promise.all(
    description.info.recentActions.map(async (action): Promise<ScheduledRun> => {
      const { workflowId, firstExecutionRunId } = action.action.workflow;
      return {
        scheduledAt: action.scheduledAt,
        startedAt: action.takenAt,
        workflowId,
        runId: firstExecutionRunId,
        outcome: await runOutcome(client, workflowId, firstExecutionRunId),
      };
    }),
  );
  recentRuns.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  return { serviceName, description, recentRuns };
}

async function runOutcome(client: Client, workflowId: string, runId: string): Promise<RunOutcome> {
  const handle = client.workflow.getHandle(workflowId, runId);
  try {
    const status = (await handle.describe()).status.name;
    if (status !== 'COMPLETED' && status !== 'FAILED' && status !== 'CONTINUED_AS_NEW') return { status };
    return { status: 'COMPLETED', summary: (await handle.result()) as IngestionSummary };
  } catch (error) {
    // Past the namespace's retention the run is gone from history.
    if (error instanceof WorkflowNotFoundError) return { status: 'GONE' };
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause;
    const message = cause instanceof ApplicationFailure ? cause.message : (cause?.message ?? error.message);
    return { status: 'FAILED', message };
  }
}

export async function pauseServiceSchedule(client: Client, serviceName: string, note: string): Promise<void> {
  await withServiceSchedule(client, serviceName, (handle) => handle.pause(note));
}

export async function unpauseServiceSchedule(
  client: Client,
  serviceName: string,
  note: string,
): Promise<void> {
  await withServiceSchedule(client, serviceName, (handle) => handle.unpause(note));
}

export async function deleteServiceSchedule(client: Client, serviceName: string): Promise<void> {
  await withServiceSchedule(client, serviceName, (handle) => handle.delete());
}

export type TriggerOutcome =
  { kind: 'started'; workflowId: string } | { kind: 'skipped' } | { kind: 'requested' };

/**
 * Asks for a run now, with the schedule's overlap policy SKIP (the SDK's default for a trigger
 * is ALLOW_ALL), then watches the schedule's counters for up to `waitMs` to tell whether it
 * started a run or skipped it because a scheduled run is still in progress.
 */
export async function triggerServiceSchedule(
  client: Client,
  serviceName: string,
  waitMs = 5000,
): Promise<TriggerOutcome> {
  return withServiceSchedule(client, serviceName, async (handle) => {
    const before = (await handle.describe()).info;
    await handle.trigger('SKIP');
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const info = (await handle.describe()).info;
      if (info.numActionsSkippedOverlap > before.numActionsSkippedOverlap) return { kind: 'skipped' };
      if (info.numActionsTaken > before.numActionsTaken) {
        const newest = [...info.recentActions].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime())[0];
        if (newest) return { kind: 'started', workflowId: newest.action.workflow.workflowId };
      }
    }
    return { kind: 'requested' };
  });
}
