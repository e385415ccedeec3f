// What an om-kinesis schedule is: its id, times, policies, action and search attributes, and
// the errors of the schedule operations.
import {
  Client,
  ScheduleNotFoundError,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
  type ScheduleUpdateOptions,
  type Workflow,
} from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import {
  INGESTION_WORKFLOW_TYPE,
  ingestionWorkflowId,
  type IngestionRunInput,
  type IngestionRunOptions,
} from '../../common/run-input.js';
import { connectToCluster, type TemporalTarget } from '../temporal-connection.js';
import { type NewServiceSchedule, type ServiceScheduleChange } from './write.js';

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

export function updatedSchedule(
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

export function scheduleSpecFor(timing: ScheduleTiming): ScheduleSpec {
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
export function schedulePolicies() {
  return { overlap: 'SKIP' as const, catchupWindow: SCHEDULE_CATCHUP_WINDOW, pauseOnFailure: false };
}

export function scheduleActionFor(
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

export function searchAttributesFor(serviceName: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: serviceKey, value: serviceName },
    { key: connectorKey, value: 'kinesis' },
  ]);
}

export function specRejection(error: unknown): ScheduleSpecRejectedError | undefined {
  // The SDK turns the server's "Invalid schedule spec: ..." into a TypeError with the reason.
  if (error instanceof TypeError) return new ScheduleSpecRejectedError(error.message, { cause: error });
  return undefined;
}

export function missingSchedule(error: unknown, serviceName: string): ScheduleMissingError | undefined {
  return error instanceof ScheduleNotFoundError
    ? new ScheduleMissingError(serviceName, scheduleIdFor(serviceName))
    : undefined;
}

/** Runs `use` with the service's schedule handle, turning "not found" into ScheduleMissingError. */
export async function withServiceSchedule<T>(
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
