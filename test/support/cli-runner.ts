// Runs commands as child processes, the way users run them, for tests of the CLI.
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../client/local-temporal/temporal-cli.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The om-kinesis CLI of this checkout (built in dist/). */
export const OM_KINESIS_BIN = path.join(projectRoot(), 'bin', 'om-kinesis.js');

/** Runs `file args` with `env` and resolves with its exit code and output (never rejects). */
export function runCommand(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `om-kinesis args`. The test process's environment is passed on with `env` on top, but
 * without TEMPORAL_ADDRESS unless `env` sets it (so that no cluster is configured by accident),
 * and without the variables named in `unset`.
 */
export function runOmKinesis(
  args: string[],
  env: Record<string, string> = {},
  options: { unset?: string[]; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('TEMPORAL_ADDRESS' in env)) delete childEnv.TEMPORAL_ADDRESS;
  for (const name of options.unset ?? []) delete childEnv[name];
  return runCommand(process.execPath, [OM_KINESIS_BIN, ...args], childEnv, options.timeoutMs);
}

/** An `om-kinesis` process still running, for tests that interrupt it. */
export interface RunningCommand {
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches `pattern` (rejects after `timeoutMs`, or if the process ends first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends `signal` to the process group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void;
  /** The pids of its child processes now (e.g. the local Temporal dev server). */
  children(): number[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/**
 * Starts `om-kinesis args` in a process group of its own, like a command a terminal runs: a
 * signal sent to the group is what Ctrl-C sends.
 */
export function startOmKinesis(args: string[], env: Record<string, string> = {}): RunningCommand {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('TEMPORAL_ADDRESS' in env)) delete childEnv.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, [OM_KINESIS_BIN, ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const pid = child.pid ?? -1;
  return {
    pid,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitForStderr(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      for (;;) {
        const match = pattern.exec(stderr);
        if (match) return match;
        if (done) throw new Error(`om-kinesis ended before its stderr matched ${pattern}:\n${stderr}`);
        if (Date.now() > deadline)
          throw new Error(`stderr did not match ${pattern} in ${timeoutMs} ms:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    signal(signal) {
      process.kill(-pid, signal);
    },
    children() {
      const found: number[] = [];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (ppid === pid) found.push(Number(entry));
        } catch {
          // Gone meanwhile.
        }
      }
      return found;
    },
  };
}
