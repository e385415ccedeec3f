// What people see of a run without querying it: its search attributes (the Web UI's list
// columns and filters, `temporal workflow list --query`), its current details (the run's page)
// and the product's run metrics. None of it changes what the run does.
import {
  ApplicationFailure,
  ContinueAsNew,
  isCancellation,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { doneCount, type RunProgress } from '../common/progress.js';
import {
  missingSearchAttributesAdvice,
  searchAttributeUpdates,
  type RunSearchAttributes,
  type SearchAttributeName,
} from '../common/search-attributes.js';
import { ingestionWorkflowId, type IngestionRunInput } from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { searchAttributesStep } from './activity-proxies.js';
import { countRun, type RunOutcome } from './run-metrics.js';
import { failureInfo } from './failures.js';

/** Memo key a trigger gives the ingestion it starts: its own workflow id. */
export const TRIGGER_MEMO = 'omKinesisTrigger';

const scheduledByKey = defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD);

/** The search attributes the namespace has, and what to tell the operator when some are missing. */
export interface SearchAttributeCheck {
  registered: SearchAttributeName[];
  warning?: string;
}

/**
 * Asks the worker which search attributes the namespace has. Never fails the run: without an
 * answer it goes on without attributes, and says why.
 */
export async function checkSearchAttributes(): Promise<SearchAttributeCheck> {
  try {
    const found = await searchAttributesStep.checkSearchAttributes.executeWithOptions(
      { summary: 'check search attributes' },
      [],
    );
    const warning = missingSearchAttributesAdvice(found);
    return { registered: found.registered, ...(warning ? { warning } : {}) };
  } catch (error) {
    if (isCancellation(error)) throw error;
    return {
      registered: [],
      warning: `the search attributes of the namespace could not be read (${failureInfo(error).message}), so the run sets none and cannot be filtered by service in the Web UI; the workers' identity needs permission to list them (temporal operator search-attribute list).`,
    };
  }
}

/** Sets those of `values` whose attributes the namespace has (see {@link searchAttributeUpdates}). */
export function setRunSearchAttributes(registered: readonly string[], values: RunSearchAttributes): void {
  const pairs = searchAttributeUpdates(values, new Set(registered));
  if (pairs.length > 0) upsertSearchAttributes(pairs);
}

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

/** The run's page in the Web UI, while it runs: where it stands. */
export function showProgress(serviceName: string, dryRun: boolean, progress: RunProgress): void {
  const counts = progress.finished;
  const total = progress.listingComplete ? `${progress.listed}` : `at least ${progress.listed}`;
  setCurrentDetails(
    [
      runHeading(serviceName, dryRun),
      `**${PHASES[progress.phase]}**: ${doneCount(counts)} of ${total} streams done, ${progress.inFlightBatches.length} batches running`,
      `${counts.created} created · ${counts.updated} updated · ${counts.unchanged} unchanged · ${counts.skipped} skipped · ${counts.failed} failed`,
    ].join('\n\n'),
  );
}

/** A trigger's page: which run does the work. */
export function showTrigger(serviceName: string, dryRun: boolean, serviceRunId: string): void {
  setCurrentDetails(triggerHeading(serviceName, dryRun, serviceRunId));
}

function triggerHeading(serviceName: string, dryRun: boolean, serviceRunId: string): string {
  const schedule = scheduleOfRun();
  const by = schedule ? `Trigger of the schedule \`${schedule}\`` : 'Trigger';
  return `**${by}** for service \`${serviceName}\`${dryRun ? ' (dry run)' : ''}: the ingestion runs as the workflow \`${serviceRunId}\`.`;
}

function runHeading(serviceName: string, dryRun: boolean): string {
  const trigger = triggerOfRun();
  return `**Ingestion of service \`${serviceName}\`**${dryRun ? ' (dry run: nothing is written)' : ''}${trigger ? `, started by \`${trigger}\`` : ''}`;
}

const PHASES: Record<RunProgress['phase'], string> = {
  checks: 'Checking',
  listing: 'Listing and ingesting',
  streams: 'Ingesting',
  sweep: 'Sweeping stale topics',
  done: 'Done',
};

function outcomeText(summary: IngestionSummary): string {
  if (summary.notRunReason) return `**Not run**: ${summary.notRunReason}`;
  const seconds = Math.round(summary.durationMs / 1000);
  return [
    `**Completed** in ${seconds} s: ${summary.streamsSeen} streams seen, ${summary.filtered} filtered`,
    `${summary.created} created · ${summary.updated} updated · ${summary.unchanged} unchanged · ${summary.skipped} skipped · ${summary.failed} failed · ${summary.deleted} soft-deleted · ${summary.sampleMessages} sample messages`,
    ...(summary.warningCount > 0 ? [`${summary.warningCount} warnings (see the result)`] : []),
  ].join('\n\n');
}

/** What a run has learnt about itself so far: filled in as it goes. */
export interface RunFacts {
  /** From the run input, validated once the input is (a run that fails to validate keeps it). */
  serviceName?: string;
  dryRun?: boolean;
  /** The search attributes the namespace has. */
  registered: readonly SearchAttributeName[];
  /** Whether the run has set its service, role and dry run attributes. */
  announced?: boolean;
}

/** The facts a run knows from its raw input, before it is validated. */
export function factsOfInput(input: IngestionRunInput): RunFacts {
  const source = (input?.config as { source?: { serviceName?: unknown } } | undefined)?.source;
  const serviceName = typeof source?.serviceName === 'string' ? source.serviceName : undefined;
  return { ...(serviceName ? { serviceName } : {}), dryRun: input?.options?.dryRun === true, registered: [] };
}

/**
 * Sets the run's service, role and dry run attributes: `ingestion` under the service's own
 * workflow id, `trigger` under any other.
 */
export function announceRun(facts: RunFacts): void {
  const { serviceName, dryRun, registered } = facts;
  if (serviceName === undefined) return;
  const role = workflowInfo().workflowId === ingestionWorkflowId(serviceName) ? 'ingestion' : 'trigger';
  setRunSearchAttributes(registered, { service: serviceName, role, dryRun: dryRun === true });
  facts.announced = true;
}

/**
 * Runs the body of a run and makes its end visible: the counts as search attributes (on the
 * ingestion run), the outcome as current details, and the run metrics. A failed run's counts
 * are those its failure carries (what it did before failing). A continueAsNew is not an end.
 *
 * Each run a person or a Schedule started is counted once in the metrics: an ingestion that a
 * trigger started leaves it to the trigger, whose outcome is the ingestion's.
 */
export async function reportRunEnd(
  facts: RunFacts,
  body: () => Promise<IngestionSummary>,
): Promise<IngestionSummary> {
  try {
    const summary = await body();
    endVisibly(facts, summary.notRunReason ? 'not_run' : 'completed', summary);
    return summary;
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    const summary = error instanceof ApplicationFailure ? summaryOf(error.details?.[0]) : undefined;
    const outcome: RunOutcome = isCancellation(error) ? 'cancelled' : 'failed';
    endVisibly(facts, outcome, summary, failureInfo(error).message);
    throw error;
  }
}

function endVisibly(
  facts: RunFacts,
  outcome: RunOutcome,
  summary: IngestionSummary | undefined,
  failure?: string,
): void {
  // A run that failed before it set its attributes (its input did not validate) still shows
  // the service its input names.
  if (!facts.announced) announceRun(facts);
  const { serviceName } = facts;
  const serviceRunId = serviceName === undefined ? undefined : ingestionWorkflowId(serviceName);
  const isIngestion = workflowInfo().workflowId === serviceRunId;
  if (isIngestion && summary && !summary.notRunReason) {
    setRunSearchAttributes(facts.registered, {
      created: summary.created,
      updated: summary.updated,
      failed: summary.failed,
    });
  }
  const heading =
    serviceName === undefined
      ? '**Run**'
      : isIngestion || serviceRunId === undefined
        ? runHeading(serviceName, facts.dryRun === true)
        : triggerHeading(serviceName, facts.dryRun === true, serviceRunId);
  const what =
    failure !== undefined
      ? `**${outcome === 'cancelled' ? 'Cancelled' : 'Failed'}**: ${failure}`
      : summary
        ? outcomeText(summary)
        : '';
  setCurrentDetails([heading, what].join('\n\n'));
  if (triggerOfRun() === undefined) {
    countRun(serviceName ?? '', outcome, facts.dryRun === true, scheduleOfRun() !== undefined);
  }
}

function summaryOf(details: unknown): IngestionSummary | undefined {
  return details && typeof details === 'object' && 'serviceName' in details
    ? (details as IngestionSummary)
    : undefined;
}
