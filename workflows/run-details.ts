// The run's current details: what its page in the Web UI (User Metadata) says of it while it
// runs and once it has ended, in markdown. Set by workflow code at each step; no history event.
import { setCurrentDetails } from '@temporalio/workflow';
import { doneCount, type RunProgress } from '../common/progress.js';
import type { IngestionSummary } from '../common/summary.js';
import { scheduleOfRun, triggerOfRun } from './run-origin.js';

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

export function triggerHeading(serviceName: string, dryRun: boolean, serviceRunId: string): string {
  const schedule = scheduleOfRun();
  const by = schedule ? `Trigger of the schedule \`${schedule}\`` : 'Trigger';
  return `**${by}** for service \`${serviceName}\`${dryRun ? ' (dry run)' : ''}: the ingestion runs as the workflow \`${serviceRunId}\`.`;
}

export function runHeading(serviceName: string, dryRun: boolean): string {
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

export function outcomeText(summary: IngestionSummary): string {
  if (summary.notRunReason) return `**Not run**: ${summary.notRunReason}`;
  const seconds = Math.round(summary.durationMs / 1000);
  return [
    `**Completed** in ${seconds} s: ${summary.streamsSeen} streams seen, ${summary.filtered} filtered`,
    `${summary.created} created · ${summary.updated} updated · ${summary.unchanged} unchanged · ${summary.skipped} skipped · ${summary.failed} failed · ${summary.deleted} soft-deleted · ${summary.sampleMessages} sample messages`,
    ...(summary.warningCount > 0 ? [`${summary.warningCount} warnings (see the result)`] : []),
  ].join('\n\n');
}
