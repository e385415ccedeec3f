import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import cliProgress from 'cli-progress';
import {
  doneCount,
  type BatchProgress,
  type RunPhase,
  type RunProgress,
  type StreamCounts,
} from '../common/progress.js';
import { ingestionWorkflowId } from '../common/run-input.js';
import type { IngestionStep, IngestionSummary, StreamFailure } from '../common/summary.js';
import { batchProgressQuery, progressQuery } from '../workflows/queries.js';
import { errorText } from './error-text.js';
import { exitCodeFor, renderSummary, renderTable } from './summary-table.js';
import { watchWorkers } from './worker-presence.js';
import { printableLine } from '../common/printable.js';

// ---------------------------------------------------------------------------------------------
// Reading the progress of a run

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
    const progress = await run.query(progressQuery);
    const answers = await Promise.allSettled(
      progress.inFlightBatches.map((id) => client.workflow.getHandle(id).query(batchProgressQuery)),
    );
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

// ---------------------------------------------------------------------------------------------
// Rendering

const PHASE_LABELS: Record<RunPhase, string> = {
  checks: 'checking AWS, Kinesis and OpenMetadata',
  listing: 'listing and ingesting streams',
  streams: 'ingesting streams',
  sweep: 'sweeping stale topics',
  done: 'finished',
};

export function phaseLabel(phase: RunPhase): string {
  return PHASE_LABELS[phase];
}

function totalText(s: ProgressSnapshot, short = false): string {
  if (s.totalKnown) return String(s.total);
  if (s.phase === 'checks') return '?';
  return short ? `≥${s.total}` : `at least ${s.total}`;
}

/** How an outcome reads: what happened, or in a dry run what would happen. */
function outcomeWord(outcome: keyof StreamCounts, dryRun: boolean | undefined): string {
  if (!dryRun) return outcome;
  return outcome === 'created' ? 'to create' : outcome === 'updated' ? 'to update' : outcome;
}

function countsText(counts: StreamCounts, dryRun?: boolean): string {
  return (['created', 'updated', 'unchanged', 'skipped', 'failed'] as const)
    .map((outcome) => `${counts[outcome]} ${outcomeWord(outcome, dryRun)}`)
    .join(', ');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** One line: what a non-terminal display prints periodically. */
export function renderProgressLine(s: ProgressSnapshot): string {
  const running = s.batches.length;
  return [
    `progress${s.serviceName ? ` ${s.serviceName}` : ''} [${seconds(s.elapsedMs)}]: ${phaseLabel(s.phase)}`,
    s.phase === 'checks'
      ? 'no stream listed yet'
      : `${s.done}/${totalText(s)} streams done (${countsText(s.counts, s.dryRun)})`,
    ...(running ? [`${running} ${running === 1 ? 'batch' : 'batches'} running`] : []),
  ].join('; ');
}

/** The full picture of a run in progress (what `status --once` prints). */
export function renderProgressReport(s: ProgressSnapshot): string {
  const lines = [
    `Run ${s.workflowId}${s.serviceName ? ` (service ${s.serviceName})` : ''}: in progress, ${phaseLabel(s.phase)}, started ${s.startedAt} (${seconds(s.elapsedMs)} ago)`,
    `Streams: ${s.done}/${totalText(s)} done`,
    `Topics so far${s.dryRun ? ' (dry run: nothing is written)' : ''}: ${countsText(s.counts, s.dryRun)}`,
    renderTable(
      ['Step', 'State', 'Detail'],
      s.steps.map((step) => [step.step, step.state, step.detail ?? '']),
    ),
  ];
  if (s.batches.length > 0) {
    lines.push(
      `Batches running: ${s.batches
        .map(
          (b) =>
            `${b.workflowId.slice(b.workflowId.lastIndexOf('/') + 1)} ${b.answered ? `${b.done}/${b.total}` : '(not answering yet)'}`,
        )
        .join(', ')}`,
    );
  }
  if (s.counts.failed > s.failures.length) {
    lines.push(
      `Failed so far: ${s.counts.failed} streams (those of running batches are listed when their batch ends)`,
    );
  }
  if (s.failures.length > 0) {
    const byStep = Object.entries(s.failuresByStep)
      .map(([step, n]) => `${step} ${n}`)
      .join(', ');
    lines.push(
      `Failures so far, of finished batches (${byStep}):`,
      renderTable(
        ['Stream', 'Step', 'Error'],
        s.failures.map((f) => [f.stream, f.step, oneLine(f.message)]),
      ),
    );
  }
  return lines.join('\n');
}

function oneLine(text: string): string {
  return printableLine(text, 120);
}

/** Shows snapshots as they come: a live bar on a terminal, plain periodic lines elsewhere. */
export interface ProgressDisplay {
  show(snapshot: ProgressSnapshot): void;
  /** A problem reading the progress (shown once per distinct message). */
  note(message: string): void;
  stop(): void;
}

export interface ProgressDisplayOptions {
  /** Default process.stderr: stdout is for the summary. */
  stream?: NodeJS.WriteStream;
  /** Default: whether `stream` is a terminal (and TERM is not `dumb`). */
  tty?: boolean;
  /** Without a terminal: the most time between two lines (lines also come on phase changes). Default 5 s. */
  lineIntervalMs?: number;
}

export function createProgressDisplay(options: ProgressDisplayOptions = {}): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? (Boolean(stream.isTTY) && process.env.TERM !== 'dumb');
  return tty ? barDisplay(stream) : lineDisplay(stream, options.lineIntervalMs ?? 5_000);
}

const SHORT_PHASE_LABELS: Record<RunPhase, string> = {
  checks: 'checking',
  listing: 'listing, ingesting',
  streams: 'ingesting',
  sweep: 'sweeping stale topics',
  done: 'finished',
};

/** The counts that are not 0, so that the bar fits a narrow terminal. */
function shortCountsText(counts: StreamCounts, dryRun?: boolean): string {
  const parts = (Object.entries(counts) as Array<[keyof StreamCounts, number]>)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${n} ${outcomeWord(outcome, dryRun)}`);
  return parts.length > 0 ? parts.join(', ') : 'none done yet';
}

function barDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  let bar: cliProgress.SingleBar | undefined;
  let stopped = false;
  let last: ProgressSnapshot | undefined;
  let lastNote: string | undefined;
  const payload = (s: ProgressSnapshot, note?: string) => ({
    totalText: totalText(s, true),
    phase: note ?? SHORT_PHASE_LABELS[s.phase],
    counts: shortCountsText(s.counts, s.dryRun),
    elapsed: seconds(s.elapsedMs),
  });
  return {
    show(s) {
      if (stopped) return;
      last = s;
      lastNote = undefined;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: '[{bar}] {value}/{totalText} streams | {phase} | {counts} | {elapsed}',
            barsize: 20,
            // Ctrl-C keeps its usual meaning (cli-progress would otherwise take the first one),
            // so the cursor is never hidden: nothing is left to restore.
            hideCursor: false,
            gracefulExit: false,
            emptyOnZero: true,
            // Cut to the terminal's width rather than wrap: a wrapped line cannot be redrawn.
            linewrap: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(s.total, s.done, payload(s));
      } else {
        bar.setTotal(s.total);
        bar.update(s.done, payload(s));
      }
    },
    note(message) {
      if (stopped || message === lastNote) return;
      lastNote = message;
      // A line of its own above the bar, which the next update redraws below it.
      stream.write(`${bar ? '\r\x1b[2K' : ''}progress: ${message}\n`);
      if (bar && last) bar.update(last.done, payload(last));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}

/** Without a change, a line is repeated only this many intervals later: a sign of life, not news. */
const UNCHANGED_LINE_INTERVALS = 6;

function lineDisplay(stream: NodeJS.WriteStream, intervalMs: number): ProgressDisplay {
  let stopped = false;
  let lastPhase: RunPhase | undefined;
  let lastPrintedAt = 0;
  let lastContent: string | undefined;
  let lastNote: string | undefined;
  return {
    show(s) {
      if (stopped) return;
      const now = Date.now();
      // What the line says, less the elapsed time that changes on every read.
      const content = renderProgressLine({ ...s, elapsedMs: 0 });
      const wait = content === lastContent ? intervalMs * UNCHANGED_LINE_INTERVALS : intervalMs;
      if (s.phase === lastPhase && now - lastPrintedAt < wait) return;
      lastPhase = s.phase;
      lastPrintedAt = now;
      lastContent = content;
      lastNote = undefined;
      stream.write(`${renderProgressLine(s)}\n`);
    },
    note(message) {
      if (stopped || message === lastNote) return;
      lastNote = message;
      stream.write(`progress: ${message}\n`);
    },
    stop() {
      stopped = true;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Following a run

export interface WatchOptions extends ProgressDisplayOptions {
  /** Time between two reads. Default 500 ms on a terminal, 1 s otherwise. */
  pollMs?: number;
  /** The run is a dry run: its counts are shown as what it would write. */
  dryRun?: boolean;
  /** Say when no worker polls the run's task queue (on a cluster: see worker-presence.ts). */
  workers?: { namespace: string; taskQueue: string; workerCommand: string };
  /** Called with every snapshot read. */
  onSnapshot?: (snapshot: ProgressSnapshot) => void;
  /** Aborted: stop reading and showing at once (the caller stopped waiting for the run). */
  signal?: AbortSignal;
}

/** The longest wait for the last read once the run has ended. */
const FINAL_READ_MS = 3_000;

/**
 * Shows the progress of run `workflowId` while `until` is pending (typically the run's result),
 * then settles as `until` does. Progress is best effort: a read that fails is noted, never
 * fatal, and the reads stop as soon as `until` settles.
 */
export async function watchRunProgress<T>(
  client: Client,
  workflowId: string,
  until: Promise<T>,
  options: WatchOptions = {},
): Promise<T> {
  const display = createProgressDisplay(options);
  const tty = options.tty ?? Boolean((options.stream ?? process.stderr).isTTY);
  const pollMs = options.pollMs ?? (tty ? 500 : 1_000);
  let ended = false;
  const aborted = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const end = Promise.race([
    until.then(
      () => undefined,
      () => undefined,
    ),
    aborted,
  ]);
  void end.then(() => {
    ended = true;
  });
  const retries = new Set<string>();
  const read = async (): Promise<void> => {
    try {
      const snapshot = await readRunProgress(client, workflowId);
      if (options.dryRun) snapshot.dryRun = true;
      options.onSnapshot?.(snapshot);
      display.show(snapshot);
      for (const retry of await retryingSteps(client, workflowId)) {
        // One line per attempt: what is retried, why, and when the next attempt comes.
        if (retries.has(retry.key)) continue;
        retries.add(retry.key);
        display.note(retry.message);
      }
    } catch (error) {
      display.note(`not available (${errorText(error)})`);
    }
  };
  const workers = options.workers
    ? watchWorkers(client, options.workers, (line) => display.note(line))
    : undefined;
  const loop = (async () => {
    while (!ended) {
      await read();
      if (!ended) await Promise.race([end, delay(pollMs)]);
    }
  })();
  try {
    await end;
    if (!options.signal?.aborted) {
      // A read in flight when the run ended, then one last read: the display ends on the run's final counts.
      await Promise.race([loop, delay(FINAL_READ_MS)]);
      await Promise.race([read(), delay(FINAL_READ_MS)]);
    }
  } finally {
    workers?.stop();
    display.stop();
  }
  return until;
}

/**
 * The steps of the run that failed and wait for their next attempt, from the run's pending
 * activities: e.g. `checkOpenMetadata: OpenMetadata could not be reached ...; retrying
 * (attempt 3, next in 8 s)`. `key` tells one attempt from the next.
 */
export async function retryingSteps(
  client: Client,
  workflowId: string,
): Promise<Array<{ key: string; message: string }>> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  const retrying = [];
  for (const activity of raw.pendingActivities ?? []) {
    const attempt = activity.attempt ?? 1;
    const failure = activity.lastFailure?.message;
    if (attempt < 2 || !failure) continue;
    const nextAt = Number(activity.nextAttemptScheduleTime?.seconds ?? 0) * 1000;
    const next = nextAt > Date.now() ? `, next in ${Math.ceil((nextAt - Date.now()) / 1000)} s` : '';
    const step = activity.activityType?.name ?? 'a step';
    retrying.push({
      key: `${activity.activityId}/${attempt}`,
      message: `${step}: ${failure.replace(/\s+/g, ' ').trim()}; retrying (attempt ${attempt}${next})`,
    });
  }
  return retrying;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

// ---------------------------------------------------------------------------------------------
// How a run ended

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
    return { status: 'completed', summary: (await handle.result()) as IngestionSummary };
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
