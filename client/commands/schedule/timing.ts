// The times of a schedule: the --cron / --every / --jitter / --time-zone flags and durations.
import { InvalidArgumentError, type Command } from 'commander';
import type { ScheduleTiming } from '../../schedules/index.js';
import { CliExit, EXIT_BAD_CONFIG } from '../shared.js';
import type { TimingFlags } from './options.js';

export function withTiming(command: Command): Command {
  return command
    .option('--cron <expr>', 'cron expression, e.g. "0 3 * * *" (in --time-zone, default UTC)')
    .option('--every <duration>', 'interval, e.g. 30m, 6h, 1d', durationArgument(1000))
    .option(
      '--jitter <duration>',
      'start each run up to this much later, at random (e.g. 5m)',
      durationArgument(0),
    )
    .option('--time-zone <tz>', 'IANA time zone the cron expression is read in, e.g. Europe/Paris');
}

/** `30m`, `1h`, `1d`, `90s` or combined (`1h30m`) to milliseconds, or undefined if not one. */
export function parseDuration(text: string): number | undefined {
  // Stricter than the `ms` strings the SDK accepts: there, a bare `30` means 30 milliseconds.
  if (!/^(\d+[dhms])+$/.test(text)) return undefined;
  const unitMs: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([dhms])/g))
    total += Number(amount) * (unitMs[unit ?? 's'] ?? 0);
  return total;
}

export function durationArgument(minimumMs: number): (text: string) => number {
  return (text) => {
    const ms = parseDuration(text.trim());
    if (ms === undefined)
      throw new InvalidArgumentError(
        'expected a duration: a whole number and a unit (s, m, h, d), e.g. 90s, 30m, 1h, 1d',
      );
    if (ms < minimumMs) throw new InvalidArgumentError(`expected at least ${formatDuration(minimumMs)}`);
    return ms;
  };
}

/** Milliseconds as `1d2h3m4s` (the units `--every` takes). */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0) text += `${rest}ms`;
  return text || '0s';
}

export function timingFrom(options: TimingFlags, required: boolean): ScheduleTiming | undefined {
  if (options.cron !== undefined && options.every !== undefined)
    throw new CliExit(EXIT_BAD_CONFIG, 'give either --cron or --every, not both');
  if (options.cron === undefined && options.every === undefined) {
    if (required)
      throw new CliExit(
        EXIT_BAD_CONFIG,
        'a schedule needs its times: --cron EXPR (e.g. "0 3 * * *") or --every DURATION (e.g. 6h)',
      );
    return undefined;
  }
  return {
    ...(options.cron !== undefined ? { cron: options.cron } : {}),
    ...(options.every !== undefined ? { everyMs: options.every } : {}),
    ...(options.jitter !== undefined ? { jitterMs: options.jitter } : {}),
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
  };
}
