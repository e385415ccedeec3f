// Reading the progress of a run (its progress query, and its batches' queries) as a snapshot.
import { type Client } from '@temporalio/client';
import { withCallScope } from '../temporal-connection.js';
import { totalText } from './render.js';
import {
  doneCount,
  type BatchProgress,
  type RunPhase,
  type RunProgress,
  type StreamCounts,
} from '../../common/progress.js';
import { ingestionWorkflowId } from '../../common/run-input.js';
import type { IngestionStep, StreamFailure } from '../../common/summary.js';
import { batchProgressQuery, progressQuery } from '../../workflows/queries.js';

/** The steps of a run as a user sees them, in order. */
export type RunStepName = 'checks' | 'listing' | 'streams' | 'sweep';
export type RunStepState = 'pending' | 'running' | 'done';

export interface RunStepProgress {
  step: RunStepName;
  state: RunStepState;
  detail?: string;
}

export interface BatchSnapshot {
  workflowId: string;
  done: number;
  total: number;
  /** False when the batch did not answer (not started yet, or its worker is unreachable): counted as 0. */
  answered: boolean;
}

/** Where a run stands: what `readRunProgress` returns and the progress display shows. */
export interface ProgressSnapshot {
  workflowId: string;
  serviceName?: string;
  phase: RunPhase;
  /** Streams with an outcome so far (the sum of `counts`). */
  done: number;
  /** Streams listed so far: the total once `totalKnown`, a lower bound before. */
  total: number;
  totalKnown: boolean;
  /** Per-outcome counts of finished batches plus every batch still running. */
  counts: StreamCounts;
  streamsSeen: number;
  filtered: number;
  batches: BatchSnapshot[];
  steps: RunStepProgress[];
  /** The first failures of finished batches. */
  failures: StreamFailure[];
  /** Those failures by step. */
  failuresByStep: Partial<Record<IngestionStep, number>>;
  startedAt: string;
  elapsedMs: number;
  /** A dry run's counts are of what it would write: said so wherever they are shown. */
  dryRun?: boolean;
}

const WORKFLOW_ID_PREFIX = ingestionWorkflowId('');

/** How often a read is retried when an in-flight batch does not answer (see readRunProgress). */
const READ_ATTEMPTS = 3;
const READ_RETRY_MS = 50;

/**
 * Reads the progress of a run: its own `progress` query, then the `batchProgress` query of
 * every batch it lists as in flight, concurrently.
 *
 * The counts stay exact across the race between the two reads: the run's answer is one
 * consistent state (a batch is either in `finished` or in `inFlightBatches`, never both), and
 * only the batches of that answer are added to it. A batch that closes after the run answered
 * still answers its query with its final counts (Temporal replays closed workflows for
 * queries), which the run's answer did not count yet. When a batch does not answer at all
 * (closed and unreachable, or not started yet), the run is read again: a batch that closed in
 * between is then in `finished`, and the counts of the first reads are dropped, never mixed
 * with the new answer. A batch that still does not answer after the last attempt is counted
 * as 0 done (it is in flight: its streams are not in `finished`).
 */
export async function readRunProgress(client: Client, workflowId: string): Promise<ProgressSnapshot> {
  const run = client.workflow.getHandle(workflowId);
  for (let attempt = 1; ; attempt += 1) {
    const { progress, answers } = await withCallScope(client, async () => {
      const progress = await run.query(progressQuery);
      const answers = await Promise.allSettled(
        progress.inFlightBatches.map((id) => client.workflow.getHandle(id).query(batchProgressQuery)),
      );
      return { progress, answers };
    });
    const batches = answers.map((answer) => (answer.status === 'fulfilled' ? answer.value : undefined));
    if (batches.every((batch) => batch !== undefined) || attempt >= READ_ATTEMPTS) {
      return snapshotOf(workflowId, progress, batches);
    }
    await delay(READ_RETRY_MS);
  }
}

function snapshotOf(
  workflowId: string,
  progress: RunProgress,
  answers: Array<BatchProgress | undefined>,
): ProgressSnapshot {
  const counts: StreamCounts = { ...progress.finished };
  const batches: BatchSnapshot[] = progress.inFlightBatches.map((id, index) => {
    const answer = answers[index];
    if (!answer) return { workflowId: id, done: 0, total: 0, answered: false };
    counts.created += answer.created;
    counts.updated += answer.updated;
    counts.unchanged += answer.unchanged;
    counts.skipped += answer.skipped;
    counts.failed += answer.failed;
    return { workflowId: id, done: doneCount(answer), total: answer.total, answered: true };
  });
  const done = doneCount(counts);
  const failuresByStep: Partial<Record<IngestionStep, number>> = {};
  for (const failure of progress.failures)
    failuresByStep[failure.step] = (failuresByStep[failure.step] ?? 0) + 1;
  const snapshot: ProgressSnapshot = {
    workflowId,
    phase: progress.phase,
    done,
    total: Math.max(progress.listed, done),
    totalKnown: progress.listingComplete,
    counts,
    streamsSeen: progress.streamsSeen,
    filtered: progress.filtered,
    batches,
    steps: [],
    failures: progress.failures,
    failuresByStep,
    startedAt: progress.startedAt,
    elapsedMs: Math.max(0, Date.now() - Date.parse(progress.startedAt)),
  };
  // Before its checks the run does not know its config yet; its workflow id names the service.
  const serviceName =
    progress.serviceName ??
    (workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : undefined);
  if (serviceName !== undefined) snapshot.serviceName = serviceName;
  snapshot.steps = stepsOf(snapshot);
  return snapshot;
}

const PHASE_ORDER: Record<RunPhase, number> = { checks: 0, listing: 1, streams: 2, sweep: 3, done: 4 };

/** Whether phase `a` comes before phase `b` in a run. */
export function phaseBefore(a: RunPhase, b: RunPhase): boolean {
  return PHASE_ORDER[a] < PHASE_ORDER[b];
}

function stepsOf(s: ProgressSnapshot): RunStepProgress[] {
  const order = PHASE_ORDER[s.phase];
  const state = (runningFrom: number, doneFrom: number): RunStepState =>
    order >= doneFrom ? 'done' : order >= runningFrom ? 'running' : 'pending';
  const running = s.batches.length;
  return [
    { step: 'checks', state: state(0, 1), detail: 'AWS identity, Kinesis, OpenMetadata, messaging service' },
    {
      step: 'listing',
      state: state(1, 2),
      detail: `${s.streamsSeen} seen, ${s.filtered} filtered out, ${s.total} kept`,
    },
    {
      step: 'streams',
      state: state(1, 3),
      detail: `${s.done}/${totalText(s)} done${running ? `, ${running} ${running === 1 ? 'batch' : 'batches'} running` : ''}`,
    },
    { step: 'sweep', state: state(3, 4), detail: 'soft-delete topics whose stream is gone' },
  ];
}

/** Waits `ms` without keeping the process alive. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
