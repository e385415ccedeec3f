// What people see of a run without querying it: its search attributes (the Web UI's list
// columns and filters, `temporal workflow list --query`), how it ended in its current details
// (run-details.ts) and the run metrics (run-metrics.ts). None of it changes what the run does.
import {
  ApplicationFailure,
  ContinueAsNew,
  isCancellation,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  missingSearchAttributesAdvice,
  searchAttributeUpdates,
  type RunSearchAttributes,
  type SearchAttributeName,
} from '../common/search-attributes.js';
import { ingestionWorkflowId, type IngestionRunInput } from '../common/run-input.js';
import type { IngestionSummary } from '../common/summary.js';
import { searchAttributesStep } from './activity-proxies.js';
import { outcomeText, runHeading, triggerHeading } from './run-details.js';
import { countRun, type RunOutcome } from './run-metrics.js';
import { scheduleOfRun, triggerOfRun } from './run-origin.js';
import { failureInfo } from './failures.js';

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
  const isIngestion =
    serviceName !== undefined && workflowInfo().workflowId === ingestionWorkflowId(serviceName);
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
      : isIngestion
        ? runHeading(serviceName, facts.dryRun === true)
        : triggerHeading(serviceName, facts.dryRun === true, ingestionWorkflowId(serviceName));
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
