import type { IngestionStep, IngestionSummary } from './summary.js';

/**
 * What a run reports to its OpenMetadata ingestion pipeline (`ingestionPipelineFQN`), in the
 * shape every supported version accepts (PipelineStatus and StepSummary of 1.3; later versions
 * only added optional keys). Built in workflow code, from the run's summary.
 */
export type PipelineState = 'running' | 'success' | 'partialSuccess' | 'failed' | 'stopped';

export interface StepSummary {
  name: string;
  records: number;
  updated_records: number;
  warnings: number;
  errors: number;
  filtered: number;
  failures: Array<{ name: string; error: string }>;
}

export interface PipelineStatusReport {
  serviceFqn: string;
  state: PipelineState;
  /** ISO time the run started: the status's startDate and timestamp. */
  startedAt: string;
  /** ISO time the run ended: the status's endDate (absent while running). */
  finishedAt?: string;
  steps?: StepSummary[];
}

/** OpenMetadata shows at most this many failures per step (the official client's limit). */
const MAX_STEP_FAILURES = 10;

/** The steps each of the two reported steps stands for (run-level ones, like prepare, in neither). */
const SOURCE_STEPS: ReadonlySet<IngestionStep> = new Set(['listStreams', 'describeStream', 'batch']);
const SINK_STEPS: ReadonlySet<IngestionStep> = new Set(['upsertTopic', 'sampleData', 'sweepStaleTopics']);

/**
 * The state of a finished run as the official client decides it: `success` when nothing
 * failed, `partialSuccess` when the success % is still at or above the threshold, `failed`
 * below it.
 */
export function finishedState(summary: IngestionSummary): PipelineState {
  if (summary.failed === 0 && summary.sourceErrors === 0 && summary.sinkErrors === 0) return 'success';
  return summary.successPercent >= summary.successThreshold ? 'partialSuccess' : 'failed';
}

/** The two steps `metadata ingest` reports: the source (Kinesis) and the sink (OpenMetadata). */
export function stepSummariesOf(summary: IngestionSummary): StepSummary[] {
  const failuresOf = (steps: ReadonlySet<IngestionStep>) =>
    summary.failures
      .filter((failure) => steps.has(failure.step))
      .slice(0, MAX_STEP_FAILURES)
      .map((failure) => ({ name: failure.stream, error: `${failure.step}: ${failure.message}` }));
  const warningsOf = (steps: ReadonlySet<IngestionStep>) =>
    summary.warnings.filter((warning) => steps.has(warning.step)).length;
  const written = summary.created + summary.updated + summary.unchanged;
  return [
    {
      name: 'Kinesis',
      records: written + summary.skipped,
      updated_records: 0,
      warnings: warningsOf(SOURCE_STEPS),
      errors: summary.sourceErrors,
      filtered: summary.filtered,
      failures: failuresOf(SOURCE_STEPS),
    },
    {
      name: 'OpenMetadata',
      records: written + summary.deleted,
      updated_records: summary.updated,
      warnings: warningsOf(SINK_STEPS),
      errors: summary.sinkErrors,
      filtered: 0,
      failures: failuresOf(SINK_STEPS),
    },
  ];
}
