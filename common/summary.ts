/** What one run did, returned by the workflow and printed by the CLI. */
export interface IngestionSummary {
  serviceName: string;
  dryRun: boolean;
  /** Streams listed in Kinesis. */
  streamsSeen: number;
  /** Streams dropped by topicFilterPattern. */
  filtered: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Streams that exist but cannot be a topic now (no open shards, vanished while listed). */
  skipped: number;
  /** Topics soft-deleted by the stale sweep. */
  deleted: number;
  /** Streams that could not be ingested. `failures` lists the first of them. */
  failed: number;
  failures: StreamFailure[];
  /** Failures reading Kinesis (streams that could not be described). */
  sourceErrors: number;
  /** Failed writes to OpenMetadata: topics, sample data, the sweep. */
  sinkErrors: number;
  /** Things that went wrong without failing a stream (e.g. sampling denied); `warnings` lists the first. */
  warningCount: number;
  warnings: RunWarning[];
  sampleMessages: number;
  /** Why the stale sweep did not run, when it did not. */
  sweepSkippedReason?: string;
  /** Whether this run created (or restored) the messaging service: an existing one is never written. */
  serviceWritten: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Success % of the source as `metadata ingest` reports it. */
  successPercent: number;
  successThreshold: number;
  /** In a dry run: what would have been written (the first of them). */
  plannedWrites: string[];
  /** Set when this run did nothing, e.g. because a run of the service was in progress. */
  notRunReason?: string;
}

export interface StreamFailure {
  stream: string;
  step: IngestionStep;
  type: string;
  message: string;
}

export interface RunWarning {
  stream?: string;
  step: IngestionStep;
  message: string;
}

export type IngestionStep =
  | 'prepare'
  | 'verifyAwsIdentity'
  | 'checkOpenMetadata'
  | 'checkKinesisConnection'
  | 'upsertService'
  | 'listStreams'
  | 'describeStream'
  | 'upsertTopic'
  | 'sampleData'
  | 'sweepStaleTopics'
  | 'pipelineStatus'
  | 'batch';

/** Kept in full up to this many; the counts stay exact beyond it. */
export const MAX_LISTED_FAILURES = 100;
export const MAX_LISTED_WARNINGS = 100;
export const MAX_LISTED_PLANNED_WRITES = 200;

/** Per-batch counts a child workflow returns to its parent (no per-stream lists beyond failures). */
export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  failures: StreamFailure[];
  sourceErrors: number;
  sinkErrors: number;
  warnings: RunWarning[];
  warningCount: number;
  sampleMessages: number;
  plannedWrites: string[];
  fatalError?: { step: IngestionStep; type: string; message: string };
}

export function emptyBatchResult(): BatchResult {
  return {
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    failures: [],
    sourceErrors: 0,
    sinkErrors: 0,
    warnings: [],
    warningCount: 0,
    sampleMessages: 0,
    plannedWrites: [],
  };
}

/** The source's success % as the official connector computes it: ingested / (ingested + failed). */
export function successPercent(ingested: number, failed: number): number {
  const total = ingested + failed;
  return total === 0 ? 100 : Math.round((ingested / total) * 10000) / 100;
}
