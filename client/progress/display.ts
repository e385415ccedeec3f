// Showing the progress while a run goes on: a live bar on a terminal, plain lines otherwise.
import cliProgress from 'cli-progress';
import { type RunPhase, type StreamCounts } from '../../common/progress.js';
import { type ProgressSnapshot } from './snapshot.js';
import { outcomeWord, renderProgressLine, seconds, totalText } from './render.js';

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
