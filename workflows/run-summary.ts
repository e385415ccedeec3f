// The run's totals and its summary: pure bookkeeping of the ingestion workflow, kept apart from
// its orchestration. Runs in the workflow sandbox (deterministic, no I/O).
import type { StreamBatchCursor } from '../common/activity-results.js';
import type { RunContext } from '../common/run-context.js';
import type { SearchAttributeName } from '../common/search-attributes.js';
import {
  MAX_LISTED_FAILURES,
  MAX_LISTED_PLANNED_WRITES,
  MAX_LISTED_WARNINGS,
  successPercent,
  type BatchResult,
  type IngestionSummary,
} from '../common/summary.js';

/** What a run carries into its next history when it continues as new. */
export interface IngestionProgress {
  ctx: RunContext;
  serviceFqn: string;
  cursor?: StreamBatchCursor;
  batchesStarted: number;
  totals: BatchResult;
  streamsSeen: number;
  filtered: number;
  serviceWritten: boolean;
  runWarnings: string[];
  startedAt: string;
  /** Kept names listed so far. */
  listed: number;
  /** The search attributes the namespace has (see run-visibility.ts). */
  searchAttributes: SearchAttributeName[];
}

export function mergeBatch(totals: BatchResult, batch: BatchResult): void {
  totals.created += batch.created;
  totals.updated += batch.updated;
  totals.unchanged += batch.unchanged;
  totals.skipped += batch.skipped;
  totals.failed += batch.failed;
  totals.sourceErrors += batch.sourceErrors;
  totals.sinkErrors += batch.sinkErrors;
  totals.sampleMessages += batch.sampleMessages;
  totals.warningCount += batch.warningCount;
  totals.failures.push(...batch.failures.slice(0, MAX_LISTED_FAILURES - totals.failures.length));
  totals.warnings.push(...batch.warnings.slice(0, MAX_LISTED_WARNINGS - totals.warnings.length));
  totals.plannedWrites.push(
    ...batch.plannedWrites.slice(0, MAX_LISTED_PLANNED_WRITES - totals.plannedWrites.length),
  );
  if (batch.fatalError && !totals.fatalError) totals.fatalError = batch.fatalError;
}

export function addWarning(totals: BatchResult, warning: BatchResult['warnings'][number]): void {
  totals.warningCount += 1;
  if (totals.warnings.length < MAX_LISTED_WARNINGS) totals.warnings.push(warning);
}

export function addPlannedWrite(totals: BatchResult, write: string): void {
  if (totals.plannedWrites.length < MAX_LISTED_PLANNED_WRITES) totals.plannedWrites.push(write);
}

export function summarize(
  progress: IngestionProgress,
  deleted: number,
  sweepSkippedReason: string | undefined,
): IngestionSummary {
  const { totals, ctx } = progress;
  const finishedAt = new Date();
  const ingested = totals.created + totals.updated + totals.unchanged + totals.skipped;
  const summary: IngestionSummary = {
    serviceName: ctx.config.serviceName,
    dryRun: ctx.options.dryRun,
    streamsSeen: progress.streamsSeen,
    filtered: progress.filtered,
    created: totals.created,
    updated: totals.updated,
    unchanged: totals.unchanged,
    skipped: totals.skipped,
    deleted,
    failed: totals.failed,
    failures: totals.failures,
    sourceErrors: totals.sourceErrors,
    sinkErrors: totals.sinkErrors,
    warningCount: totals.warningCount + progress.runWarnings.length,
    warnings: [
      ...progress.runWarnings.map((message) => ({ step: 'prepare' as const, message })),
      ...totals.warnings,
    ].slice(0, MAX_LISTED_WARNINGS),
    sampleMessages: totals.sampleMessages,
    serviceWritten: progress.serviceWritten,
    startedAt: progress.startedAt,
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - Date.parse(progress.startedAt),
    successPercent: successPercent(ingested, totals.failed),
    successThreshold: ctx.config.successThreshold,
    plannedWrites: totals.plannedWrites,
  };
  if (sweepSkippedReason) summary.sweepSkippedReason = sweepSkippedReason;
  return summary;
}

export function notRunSummary(serviceName: string, startedAt: string, reason: string): IngestionSummary {
  const finishedAt = new Date();
  return {
    serviceName,
    dryRun: false,
    streamsSeen: 0,
    filtered: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    deleted: 0,
    failed: 0,
    failures: [],
    sourceErrors: 0,
    sinkErrors: 0,
    warningCount: 0,
    warnings: [],
    sampleMessages: 0,
    serviceWritten: false,
    startedAt,
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - Date.parse(startedAt),
    successPercent: 100,
    successThreshold: 0,
    plannedWrites: [],
    notRunReason: reason,
  };
}
