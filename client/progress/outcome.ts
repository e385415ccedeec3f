// How a run ended, its summary and exit code.
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import type { IngestionSummary } from '../../common/summary.js';
import { withCallScope } from '../temporal-connection.js';
import { exitCodeFor, renderSummary } from '../summary-table.js';

export type RunOutcome =
  | { status: 'completed'; summary: IngestionSummary }
  | {
      status: 'failed' | 'terminated' | 'cancelled' | 'timed out';
      message: string;
      /** What the run had done when it failed, when it says so. */
      partial?: IngestionSummary;
    };

/** Waits for the run's result (following continue-as-new) and tells how it ended. */
export async function runOutcome(handle: WorkflowHandle): Promise<RunOutcome> {
  try {
    const summary = (await withCallScope(handle.client, () => handle.result())) as IngestionSummary;
    return { status: 'completed', summary };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause;
    const message = cause instanceof ApplicationFailure ? cause.message : (cause?.message ?? error.message);
    const partial =
      cause instanceof ApplicationFailure ? (cause.details?.[0] as IngestionSummary | undefined) : undefined;
    const status =
      cause instanceof TerminatedFailure
        ? 'terminated'
        : cause instanceof CancelledFailure
          ? 'cancelled'
          : cause instanceof TimeoutFailure
            ? 'timed out'
            : 'failed';
    return { status, message: message || status, ...(partial ? { partial } : {}) };
  }
}

/**
 * Exit code of a run's outcome, as `ingest` has it: the summary's (threshold, sink errors;
 * `raiseOnError` as the config says) when it completed, 1 otherwise.
 */
export function outcomeExitCode(outcome: RunOutcome, raiseOnError: boolean): number {
  return outcome.status === 'completed' ? exitCodeFor(outcome.summary, raiseOnError) : 1;
}

/** The summary of an ended run, or what it had done when it failed (undefined when nothing). */
export function renderOutcomeSummary(outcome: RunOutcome): string | undefined {
  if (outcome.status === 'completed') return renderSummary(outcome.summary);
  return outcome.partial ? renderSummary(outcome.partial) : undefined;
}
