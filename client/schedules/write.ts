// Creating, changing and operating a service's schedule.
import type { Client } from '@temporalio/client';
import { ScheduleAlreadyRunning, type ScheduleDescription } from '@temporalio/client';
import { ingestionWorkflowId, type IngestionRunInput } from '../../common/run-input.js';
import { withSearchAttributeFallback } from '../search-attribute-fallback.js';
import {
  SCHEDULE_SERVICE_MEMO,
  ScheduleExistsError,
  type ScheduleTiming,
  type SearchAttributesMissing,
  missingSchedule,
  scheduleActionFor,
  scheduleIdFor,
  schedulePolicies,
  scheduleSpecFor,
  searchAttributesFor,
  specRejection,
  updatedSchedule,
  withServiceSchedule,
} from './definition.js';

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
  | { kind: 'started'; workflowId: string }
  | { kind: 'skipped' }
  | { kind: 'requested' }
  | { kind: 'busy'; workflowId: string };

/**
 * Asks for a run now, with the schedule's overlap policy SKIP (the SDK's default for a trigger
 * is ALLOW_ALL), then watches the schedule's counters for up to `waitMs` to tell whether it
 * started a run or skipped it because a scheduled run is still in progress. With a run of the
 * service in progress that the schedule did not start, nothing is triggered (`busy`).
 */
export async function triggerServiceSchedule(
  client: Client,
  serviceName: string,
  waitMs = 5000,
): Promise<TriggerOutcome> {
  return withServiceSchedule(client, serviceName, async (handle) => {
    const before = (await handle.describe()).info;
    // A run started outside the schedule (ingest, the Temporal CLI) holds the service's workflow
    // id: a scheduled run now would only say so and end, so none is asked for. A scheduled run
    // holds it too, as the child of its trigger: that one is the overlap policy's to judge.
    const running = await client.workflow
      .getHandle(ingestionWorkflowId(serviceName))
      .describe()
      .then(
        (description) =>
          ['RUNNING', 'PAUSED'].includes(description.status.name) &&
          description.parentExecution === undefined,
        () => false,
      );
    if (running) return { kind: 'busy', workflowId: ingestionWorkflowId(serviceName) };
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
