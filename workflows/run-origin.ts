// Who started a run: a Temporal Schedule (through a trigger run), a trigger, or neither; and
// how a trigger runs the ingestion under the service's own workflow id.
import { ApplicationFailure, executeChild, isCancellation, workflowInfo } from '@temporalio/workflow';
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/common';
import { INGESTION_WORKFLOW_TYPE, ingestionWorkflowId, type IngestionRunInput } from '../common/run-input.js';
import { searchAttributeUpdates } from '../common/search-attributes.js';
import type { IngestionSummary } from '../common/summary.js';
import { failureInfo } from './failures.js';
import type { kinesisMetadataIngestion } from './ingestion.js';
import { notRunSummary } from './run-summary.js';

/** Memo key a trigger gives the ingestion it starts: its own workflow id. */
export const TRIGGER_MEMO = 'omKinesisTrigger';

/** Set by Temporal on the runs a Schedule starts. */
const scheduledByKey = defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD);

/** The id of the Temporal Schedule that started this run, if one did. */
export function scheduleOfRun(): string | undefined {
  const scheduledBy = workflowInfo().typedSearchAttributes.get(scheduledByKey);
  return typeof scheduledBy === 'string' && scheduledBy !== '' ? scheduledBy : undefined;
}

/** The workflow id of the trigger that started this ingestion, if one did. */
export function triggerOfRun(): string | undefined {
  const trigger = workflowInfo().memo?.[TRIGGER_MEMO];
  return typeof trigger === 'string' ? trigger : undefined;
}

/**
 * A run started under another workflow id (by a Temporal Schedule, which appends a timestamp,
 * or by hand) runs as a child under the service's own id, so that one service never has two
 * runs at once whatever started them. If a run of the service is in progress, this one does
 * nothing and says so.
 */
export async function runUnderServiceId(
  input: IngestionRunInput,
  {
    serviceName,
    dryRun,
    registered,
  }: { serviceName: string; dryRun: boolean; registered: readonly string[] },
  startedAt: string,
): Promise<IngestionSummary> {
  const serviceRunId = ingestionWorkflowId(serviceName);
  const trigger = workflowInfo().workflowId;
  const schedule = scheduleOfRun();
  try {
    // By type name: this module cannot import the workflow it starts (it imports this one).
    return await executeChild<typeof kinesisMetadataIngestion>(INGESTION_WORKFLOW_TYPE, {
      workflowId: serviceRunId,
      args: [input],
      typedSearchAttributes: searchAttributeUpdates(
        { service: serviceName, role: 'ingestion', dryRun },
        new Set(registered),
      ),
      memo: { [TRIGGER_MEMO]: trigger },
      staticSummary: `Kinesis -> OpenMetadata ingestion of service ${serviceName}${dryRun ? ' (dry run)' : ''}, started by ${schedule ? `the schedule ${schedule}` : trigger}`,
      staticDetails: `Started by the workflow \`${trigger}\`${schedule ? `, which the Temporal Schedule \`${schedule}\` started` : ''}: a run started under another workflow id runs under the service's own id, so that one service never has two runs at once.`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      if (isCancellation(error)) throw error;
      // The run's own failure, not "child workflow failed": this is what the user reads.
      const cause = rootApplicationFailure(error);
      throw ApplicationFailure.create({
        type: cause?.type ?? failureInfo(error).type,
        message: cause?.message ?? failureInfo(error).message,
        nonRetryable: true,
        details: cause?.details ?? [],
      });
    }
    return notRunSummary(
      serviceName,
      startedAt,
      `a run of service ${serviceName} is already in progress (workflow id ${serviceRunId}); this one did nothing`,
    );
  }
}

function rootApplicationFailure(error: unknown): ApplicationFailure | undefined {
  let current: unknown = error;
  while (current instanceof Error && !(current instanceof ApplicationFailure)) current = current.cause;
  return current instanceof ApplicationFailure ? current : undefined;
}
