import type { StreamFailure } from './summary.js';

/** Counts of streams a batch (or a whole run) has finished, by outcome. */
export interface StreamCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export type RunPhase = 'checks' | 'listing' | 'streams' | 'sweep' | 'done';

/**
 * What the `progress` query of a run answers. Streams of batches still running are counted by
 * querying those batches (`batchProgress`), whose workflow ids `inFlightBatches` lists: the
 * run's own history holds no per-stream events.
 */
export interface RunProgress {
  serviceName?: string;
  phase: RunPhase;
  streamsSeen: number;
  filtered: number;
  /** Streams listed (and kept) so far; the total once `listingComplete`. */
  listed: number;
  listingComplete: boolean;
  /** Streams of finished batches. */
  finished: StreamCounts;
  inFlightBatches: string[];
  /** The first failures of finished batches. */
  failures: StreamFailure[];
  startedAt: string;
}

/** What the `batchProgress` query of a batch answers. */
export interface BatchProgress extends StreamCounts {
  total: number;
}

export function doneCount(counts: StreamCounts): number {
  return counts.created + counts.updated + counts.unchanged + counts.skipped + counts.failed;
}
