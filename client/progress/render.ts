// Rendering a snapshot: the one-line form and the full report.
import { type RunPhase, type StreamCounts } from '../../common/progress.js';
import { renderTable } from '../summary-table.js';
import { printableLine } from '../../common/printable.js';
import { type ProgressSnapshot } from './snapshot.js';

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

export function totalText(s: ProgressSnapshot, short = false): string {
  if (s.totalKnown) return String(s.total);
  if (s.phase === 'checks') return '?';
  return short ? `≥${s.total}` : `at least ${s.total}`;
}

/** How an outcome reads: what happened, or in a dry run what would happen. */
export function outcomeWord(outcome: keyof StreamCounts, dryRun: boolean | undefined): string {
  if (!dryRun) return outcome;
  return outcome === 'created' ? 'to create' : outcome === 'updated' ? 'to update' : outcome;
}

function countsText(counts: StreamCounts, dryRun?: boolean): string {
  return (['created', 'updated', 'unchanged', 'skipped', 'failed'] as const)
    .map((outcome) => `${counts[outcome]} ${outcomeWord(outcome, dryRun)}`)
    .join(', ');
}

export function seconds(ms: number): string {
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
