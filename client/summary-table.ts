import type { IngestionSummary } from '../common/summary.js';
import { printable, printableLine } from '../common/printable.js';

/** Renders rows as a bordered text table (the shape `metadata ingest` prints). */
export function renderTable(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const render = (row: string[], numericRight: boolean) =>
    `| ${row.map((cell, i) => (numericRight && /^-?\d+(\.\d+)?$/.test(cell) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [line, render(header, false), line, ...cells.slice(1).map((row) => render(row, true)), line].join(
    '\n',
  );
}

/**
 * The end-of-run report: per step counts, failures, success % against the threshold. The
 * table's counts are the topic counts below it, added up: OpenMetadata processed every topic
 * created, updated, found unchanged or soft-deleted, and updated those it updated. A dry run's
 * counts are of what it would write, and say so.
 */
export function renderSummary(summary: IngestionSummary): string {
  if (summary.notRunReason)
    return printable(`Workflow Summary: service ${summary.serviceName}: not run: ${summary.notRunReason}`);
  const { sourceErrors, sinkErrors, dryRun } = summary;
  const read = summary.created + summary.updated + summary.unchanged + summary.skipped;
  const written = summary.created + summary.updated + summary.unchanged + summary.deleted;
  const would = (word: string, dryRunWord: string) => (dryRun ? dryRunWord : word);
  const lines = [
    `Workflow Summary: service ${summary.serviceName}${dryRun ? ' (dry run: nothing was written; the counts are what a run would write)' : ''}`,
    renderTable(
      ['Step', 'Processed', 'Updated', 'Warnings', 'Filtered', 'Errors'],
      [
        [
          'Kinesis',
          read + summary.failed - sourceErrors,
          0,
          summary.warningCount,
          summary.filtered,
          sourceErrors,
        ],
        [would('OpenMetadata', 'OpenMetadata (dry run)'), written, summary.updated, 0, 0, sinkErrors],
      ],
    ),
    `Streams seen: ${summary.streamsSeen}   filtered: ${summary.filtered}`,
    `Topics${dryRun ? ' a run would write' : ''}: ${summary.created} ${would('created', 'to create')}, ${summary.updated} ${would('updated', 'to update')}, ${summary.unchanged} unchanged, ${summary.skipped} skipped, ${summary.deleted} ${would('soft-deleted', 'to soft-delete')}, ${summary.failed} failed`,
    `Sample messages${dryRun ? ' a run would write' : ''}: ${summary.sampleMessages}`,
  ];
  if (summary.sweepSkippedReason) lines.push(`Stale sweep not run: ${summary.sweepSkippedReason}`);
  if (summary.failures.length > 0) {
    lines.push(
      `Failures${summary.failed > summary.failures.length ? ` (first ${summary.failures.length} of ${summary.failed})` : ''}:`,
      renderTable(
        ['Stream', 'Step', 'Error'],
        summary.failures.map((f) => [f.stream, f.step, oneLine(f.message)]),
      ),
    );
  }
  if (summary.warnings.length > 0) {
    lines.push(
      `Warnings${summary.warningCount > summary.warnings.length ? ` (first ${summary.warnings.length} of ${summary.warningCount})` : ''}:`,
    );
    for (const w of summary.warnings)
      // A warning is read whole (it may say the command to run), on one line.
      lines.push(`  - ${w.stream ? `${w.stream}: ` : ''}${w.step}: ${printableLine(w.message, 1000)}`);
  }
  if (summary.dryRun && summary.plannedWrites.length > 0) {
    lines.push('Would write:');
    for (const write of summary.plannedWrites) lines.push(`  - ${write}`);
  }
  lines.push(
    `Success %: ${summary.successPercent.toFixed(2)} (threshold ${summary.successThreshold})`,
    `Duration: ${(summary.durationMs / 1000).toFixed(1)} s`,
  );
  // Names and messages come from servers and run inputs: shown, never acted upon by the terminal.
  return printable(lines.join('\n'));
}

function oneLine(text: string): string {
  return printableLine(text, 160);
}

/** Exit code of `ingest`, as `metadata ingest`: 1 when the source is below the threshold or the sink failed. */
export function exitCodeFor(summary: IngestionSummary, raiseOnError: boolean): number {
  if (!raiseOnError) return 0;
  return summary.successPercent < summary.successThreshold || summary.sinkErrors > 0 ? 1 : 0;
}
