// Ctrl-C for commands that have something to wind down. The first SIGINT (or SIGTERM) calls the
// command's handler, which ends its work properly (cancel the local run, detach from a cluster
// run); a second one ends the process at once. Without a handler registered, Node's default
// applies (the process ends at once), which suits commands that hold nothing.

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

const SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

/** 130 for Ctrl-C, 143 for SIGTERM: the shell's 128 + signal number. */
export function interruptExitCode(signal: InterruptSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

export interface InterruptWatch {
  /** The first signal received, if any. */
  readonly signal: InterruptSignal | undefined;
  /** Settles with the first signal. */
  readonly received: Promise<InterruptSignal>;
  dispose(): void;
}

/**
 * Until disposed: the first signal settles `received` (and calls `onFirst`); the second exits
 * the process at once with 130 / 143, after `onSecond` (which must be synchronous: say why).
 */
export function watchInterrupts(
  options: { onSecond?: (signal: InterruptSignal) => void } = {},
): InterruptWatch {
  let first: InterruptSignal | undefined;
  let resolve: (signal: InterruptSignal) => void = () => {};
  const received = new Promise<InterruptSignal>((settle) => (resolve = settle));
  const handler = (signal: InterruptSignal): void => {
    if (first === undefined) {
      first = signal;
      resolve(signal);
      return;
    }
    options.onSecond?.(signal);
    // 'exit' handlers still run: the local dev server is killed by client/local-temporal.
    process.exit(interruptExitCode(signal));
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    get signal() {
      return first;
    },
    received,
    dispose() {
      for (const signal of SIGNALS) process.off(signal, handler);
    },
  };
}

/**
 * Once a command is done and the process is only winding down, a signal ends it at once with
 * the shell's code (130 / 143), as a second Ctrl-C does during a command, rather than by the
 * signal itself, which would show no exit code.
 */
export function exitAtOnceOnInterrupt(): void {
  for (const signal of SIGNALS) process.once(signal, () => process.exit(interruptExitCode(signal)));
}
