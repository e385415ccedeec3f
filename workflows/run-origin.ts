// Who started a run: a Temporal Schedule (through a trigger run), a trigger, or neither.
import { workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
