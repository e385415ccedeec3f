// The product's metrics measured by activities, recorded on the worker's Temporal metric meter:
// the worker's `--metrics-bind` endpoint serves them with the SDK's own (docs/operations.md,
// "Metrics and alerts"). Names are the exported ones without the exporter's `_total` suffix.
import { noopMetricMeter, type MetricMeter } from '@temporalio/common';

/** The writes to OpenMetadata, named by what they write. */
export type OpenMetadataWrite =
  | 'messaging_service'
  | 'topic'
  | 'topic_restore'
  | 'topic_delete'
  | 'sample_data'
  | 'ingestion_pipeline'
  | 'pipeline_status';

export interface ActivityMetrics {
  /** A write to OpenMetadata ended (`error`: it failed, after the HTTP client's own retry). */
  openMetadataWrite(service: string, write: OpenMetadataWrite, outcome: 'ok' | 'error'): void;
  /** AWS answered an attempt of `operation` with a throttling error (the SDK retries it). */
  awsThrottled(operation: string): void;
  /** How long a call of `operation` waited for its turn at the account's quota. */
  pacerWaited(operation: string, seconds: number): void;
}

/** Histogram buckets of the pacer wait (seconds): a turn comes within a second or so. */
export const PACER_WAIT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const PACER_WAIT_METRIC = 'om_kinesis_pacer_wait_seconds';

export function activityMetrics(meter: MetricMeter = noopMetricMeter): ActivityMetrics {
  const writes = meter.createCounter(
    'om_kinesis_openmetadata_writes',
    'writes',
    'Writes to OpenMetadata, by service, what was written, and outcome',
  );
  const throttles = meter.createCounter(
    'om_kinesis_aws_throttles',
    'responses',
    'AWS calls answered with a throttling error, by operation (each retried attempt counts)',
  );
  const waits = meter.createHistogram(
    PACER_WAIT_METRIC,
    'float',
    's',
    "Time Kinesis calls waited for their turn at the account's quota, by operation",
  );
  return {
    openMetadataWrite: (service, write, outcome) => writes.add(1, { service, write, outcome }),
    awsThrottled: (operation) => throttles.add(1, { operation }),
    pacerWaited: (operation, seconds) => waits.record(seconds, { operation }),
  };
}
