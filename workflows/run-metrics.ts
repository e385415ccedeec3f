// The product's metrics that workflow code records: what runs and streams came to. The SDK
// emits them on the worker's metric meter, and never while replaying a history, so a run that
// moves between workers is counted once. Names are the exported ones without `_total`.
import { metricMeter } from '@temporalio/workflow';
import type { StreamCounts } from '../common/progress.js';

export type RunOutcome = 'completed' | 'failed' | 'not_run' | 'cancelled';

/** A run ended. The gauge tells when a service was last ingested, for "not ingested lately" alerts. */
export function countRun(service: string, outcome: RunOutcome, dryRun: boolean, scheduled: boolean): void {
  metricMeter
    .createCounter('om_kinesis_runs', 'runs', 'Runs that ended, by service and outcome')
    .add(1, { service, outcome, dry_run: dryRun, scheduled });
  if (outcome === 'completed' && !dryRun) {
    metricMeter
      .createGauge(
        'om_kinesis_last_completed_run_timestamp_seconds',
        'float',
        's',
        'When the last run of the service that was not a dry run completed (Unix time)',
      )
      .set(Date.now() / 1000, { service });
  }
}

/** Streams are done: created, updated, unchanged, skipped or failed. */
export function countStream(service: string, outcome: keyof StreamCounts, streams = 1): void {
  metricMeter
    .createCounter('om_kinesis_streams', 'streams', 'Streams ingested, by service and outcome')
    .add(streams, { service, outcome });
}

export function countSampleMessages(service: string, messages: number): void {
  metricMeter
    .createCounter('om_kinesis_sample_messages', 'messages', 'Sample messages read, by service')
    .add(messages, { service });
}
