// The CLI's exit codes, one rule for every command (the README's table):
//   0 done; 1 the run failed or did not meet its threshold (or the command could not do its work:
//   a server unreachable, no such run or schedule); 2 the invocation or the config is wrong;
//   130 interrupted (Ctrl-C).

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_CONFIG = 2;
export const EXIT_INTERRUPTED = 130;

/** Thrown by a command to end the CLI with a message and an exit code (no stack trace). */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliExit';
  }
}
