// Listing the om-kinesis schedules and describing one, with the outcome of its last runs.
import type { Client } from '@temporalio/client';
import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  type ScheduleDescription,
  type ScheduleSpecDescription,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { IngestionSummary } from '../../common/summary.js';
import { SCHEDULE_SERVICE_MEMO, withServiceSchedule } from './definition.js';

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

export async function runOutcome(client: Client, workflowId: string, runId: string): Promise<RunOutcome> {
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
